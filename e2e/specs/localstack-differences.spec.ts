import { randomBytes, randomUUID } from 'node:crypto';
import { CreateChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, waitUntilChangeSetCreateComplete } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '../fixtures.ts';
import type { HarnessClients } from '@rotation-console/harness/aws.ts';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';

// Where LocalStack 2026.3.0 differs from AWS. The harness makes it follow AWS where the product
// depends on it (packages/harness/localstack/rc_localstack/secretsmanager_parity.py); each test here
// fails if that workaround goes. What the harness leaves as it is, a test shows as it is.
test.describe('LocalStack differences from AWS', () => {
  test.skip(({ emulator }) => emulator !== 'localstack', 'On moto: these tests name LocalStack\u2019s differences from AWS.');
  test.skip(({ harnessEmulator }) => !harnessEmulator, 'On a LocalStack the harness did not start (AWS_ENDPOINT_URL): its workarounds are not there.');

  const run = randomBytes(3).toString('hex');
  const functionArn = async (aws: HarnessClients) =>
    (await aws.lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.FunctionArn!;
  const newSecret = async (aws: HarnessClients, name: string) =>
    aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"p"}' }));

  test('When rotation is turned on without rotating now, then RotateSecret answers and rotation is on with no rotation yet (LocalStack answers 500)', async ({
    aws,
  }) => {
    const name = `e2e/${run}/later`;
    await newSecret(aws, name);

    await aws.secretsManager.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: await functionArn(aws),
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );

    const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
    expect(secret.RotationEnabled).toBe(true);
    expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(30);
    expect(secret.LastRotatedDate).toBeUndefined();
    expect(Object.values(secret.VersionIdsToStages ?? {})).toEqual([['AWSCURRENT']]);
  });

  test('When rotation is turned on with a schedule expression and a window, then DescribeSecret shows both and rotation on (LocalStack drops them)', async ({
    aws,
  }) => {
    const name = `e2e/${run}/schedule`;
    await newSecret(aws, name);

    // Rotating now (the demo function fails, which RotateSecret does not wait for on AWS): this is not the RotateImmediately=false case.
    await aws.secretsManager.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: await functionArn(aws),
        RotationRules: { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' },
      }),
    );

    const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
    expect(secret.RotationEnabled).toBe(true);
    expect(secret.RotationLambdaARN).toBe(await functionArn(aws));
    expect(secret.RotationRules).toEqual({ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' });
  });

  test('When RotateSecret is repeated with the token of a finished version, then that version keeps its value and AWSCURRENT (LocalStack overwrote it with an empty AWSPENDING one)', async ({
    aws,
  }) => {
    const name = `e2e/${run}/repeated-token`;
    await newSecret(aws, name);
    // A finished rotation's version: the token is its version id, and it is AWSCURRENT.
    const token = randomUUID();
    const value = '{"engine":"postgres","host":"db","username":"u","password":"rotated"}';
    await aws.secretsManager.send(new PutSecretValueCommand({ SecretId: name, ClientRequestToken: token, SecretString: value }));

    // As a client whose first call timed out retries it: LocalStack runs the function before it answers.
    await aws.secretsManager.send(
      new RotateSecretCommand({
        SecretId: name,
        ClientRequestToken: token,
        RotationLambdaARN: await functionArn(aws),
        RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    );

    const current = await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: name }));
    expect(current.VersionId).toBe(token);
    expect(current.SecretString).toBe(value);
  });

  test('When a change set creates a stack with tags, then the stack under review carries them only on its change set (the console takes the change set\u2019s team for such a stack)', async ({
    aws,
  }) => {
    const StackName = `e2e-${run}-review`;
    const tags = [{ Key: 'team', Value: 'payments' }];
    const TemplateBody = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    await aws.cloudFormation.send(new CreateChangeSetCommand({ StackName, ChangeSetName: 'review', ChangeSetType: 'CREATE', TemplateBody, Tags: tags }));
    await waitUntilChangeSetCreateComplete({ client: aws.cloudFormation, minDelay: 1, maxDelay: 2, maxWaitTime: 30 }, { StackName, ChangeSetName: 'review' });

    const stack = (await aws.cloudFormation.send(new DescribeStacksCommand({ StackName }))).Stacks![0]!;
    expect(stack.StackStatus).toBe('REVIEW_IN_PROGRESS');
    expect(stack.Tags ?? []).toEqual([]);
    const set = await aws.cloudFormation.send(new DescribeChangeSetCommand({ StackName, ChangeSetName: 'review' }));
    expect(set.Tags).toEqual(tags);
  });

  test('When RDS is asked, then LocalStack answers 501: the open-source edition has no RDS, so the demo secrets name hosts of their own and no spec discovers a database', async ({
    aws,
  }) => {
    const error = await aws.rds.send(new DescribeDBInstancesCommand({})).catch((e: unknown) => e as { $metadata?: { httpStatusCode?: number } });
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(501);
  });
});
