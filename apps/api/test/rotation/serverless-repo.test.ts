import { randomUUID } from 'node:crypto';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationPlan, RotationRequestInput } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { createFakeServerlessRepo } from '@rotation-console/harness/fake-serverless-repo.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

/**
 * On real AWS, new functions come from AWS's templates in the Serverless Application
 * Repository. No emulator has it, so a stand-in answers its two calls (behind the proxy,
 * at the same endpoint) and makes the change set on moto, as the service does.
 */
describe('Creating the function from the Serverless Application Repository', () => {
  let proxy: AwsProxy;
  let api: Awaited<ReturnType<typeof buildApi>>;
  let repo: ReturnType<typeof createFakeServerlessRepo>;
  const users: string[] = [];

  beforeAll(async () => {
    await reset();
    repo = createFakeServerlessRepo(aws(), motoEndpoint());
    proxy = await startAwsProxy({ target: motoEndpoint(), intercept: repo.intercept });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, FUNCTION_SOURCE: 'auto' });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
    await dropDatabaseUsers(users);
  });

  it('When the repository answers, then the plan uses AWS’s template and the workflow deploys its stack', async () => {
    const secret = await createDatabaseUserSecret('test/sar/orders');
    users.push(secret.username);
    const body: RotationRequestInput = {
      secretId: secret.name,
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'sar-rotation', strategy: 'single-user' },
      network: null,
    };

    const plan = (await request(api.app).post('/api/v1/rotation-plans').send(body).expect(200)).body as RotationPlan;
    expect(plan.functionSource).toBe('serverless-application-repository');
    expect(plan.cliSession).toContain(
      'aws serverlessrepo create-cloud-formation-change-set --application-id arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser',
    );

    const started = await request(api.app).post('/api/v1/workflows').set('Idempotency-Key', randomUUID()).send(body).expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);

    expect(workflow.status, workflow.error ?? '').toBe('succeeded');
    const changeSetCall = repo.received.find((r) => r.method === 'POST')!;
    expect(changeSetCall.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/serverlessrepo\/aws4_request/);
    expect(changeSetCall.body).toMatchObject({
      stackName: 'SecretsManagerRotation-sar-rotation',
      clientToken: expect.any(String),
      parameterOverrides: expect.arrayContaining([
        { name: 'functionName', value: 'sar-rotation' },
        { name: 'endpoint', value: 'https://secretsmanager.us-east-1.amazonaws.com' },
      ]),
    });
    const stacks = await aws().cloudFormation.send(new DescribeStacksCommand({ StackName: 'serverlessrepo-SecretsManagerRotation-sar-rotation' }));
    expect(stacks.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const described = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secret.name }));
    expect(described.RotationLambdaARN).toMatch(/:function:sar-rotation$/);
  });
});
