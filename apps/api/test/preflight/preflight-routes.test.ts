// The preflight's two routes end to end (issue 15): POST /api/v1/secrets/{id}/preflight ("Check
// rotation") reads the secret's configured function in moto and runs every check, the database
// login through the console's function against the real PostgreSQL; POST
// /api/v1/rotation-plans/preflight checks the wizard's choices before anything exists.
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PreflightReport } from '@rotation-console/contracts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { buildRotationFunctionZip } from '@rotation-console/rotation-functions';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, buildApi, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const ACCOUNT = '123456789012';
const users: string[] = [];
let api: Api;
let roleName = '';
let functionArn = '';

const report = (res: request.Response) => PreflightReport.parse(res.body);
const checkOf = (r: PreflightReport, id: string) => r.checks.find((c) => c.id === id)!;

/** A secret for a new PostgreSQL login on this machine; its password is the canary no answer may hold. */
const aSecret = async (name: string) => {
  const login = await createPostgresLogin();
  users.push(login.username);
  const arn = (await aws().secretsManager.send(new CreateSecretCommand({ Name: `${name}-${Date.now()}`, SecretString: login.secretString() }))).ARN!;
  return { arn, password: login.password };
};

beforeAll(async () => {
  await reset();
  roleName = `pf-routes-${Date.now()}`;
  const role = await aws().iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const bundle = await buildRotationFunctionZip();
  functionArn = (
    await aws().lambda.send(
      new CreateFunctionCommand({
        FunctionName: `pf-routes-${Date.now()}`,
        Runtime: bundle.runtime,
        Handler: bundle.handler,
        Role: role.Role!.Arn!,
        Timeout: 30,
        Code: { ZipFile: bundle.zip },
        // The bundled template's variables: the console's own function.
        Environment: {
          Variables: { ROTATION_STRATEGY: 'single-user', DB_ENGINE: 'postgres', SECRETS_MANAGER_ENDPOINT: 'https://secretsmanager.us-east-1.amazonaws.com' },
        },
      }),
    )
  ).FunctionArn!;
  api = await buildApi();
});
afterAll(async () => {
  await api?.close();
  await dropPostgresLogins(users);
});

describe('Check rotation: POST /api/v1/secrets/{secretId}/preflight', () => {
  it('When the function\u2019s role may not touch the secret, then the report fails on permissions with the fix, while the function and the database login pass, and no value is in it', async () => {
    // Arrange: rotation configured with the console's function, whose role has no policy yet.
    const secret = await aSecret('pf-routes/orders');
    await aws().secretsManager.send(
      new RotateSecretCommand({
        SecretId: secret.arn,
        RotationLambdaARN: functionArn,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );

    // Act
    const res = await request(api.app)
      .post(`/api/v1/secrets/${encodeURIComponent(secret.arn)}/preflight`)
      .send({})
      .expect(200);

    // Assert
    const r = report(res);
    expect(r).toMatchObject({ secretArn: secret.arn, functionArn, strategy: 'single-user', verdict: 'fail' });
    expect(r.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['permissions', 'function', 'database-login']));
    const permissions = checkOf(r, 'permissions');
    expect(permissions.verdict).toBe('fail');
    expect(permissions.findings.find((f) => f.verdict === 'fail')!.fix).toContain(`aws iam put-role-policy --role-name ${roleName}`);
    expect(checkOf(r, 'function').verdict).toBe('pass');
    expect(checkOf(r, 'database-login').verdict).toBe('pass');
    expect(JSON.stringify(r)).not.toContain(secret.password);
  });

  it('When the role is given what rotation needs and Secrets Manager may invoke the function, then Check rotation passes those checks', async () => {
    // Arrange
    const secret = await aSecret('pf-routes/ledger');
    await aws().secretsManager.send(
      new RotateSecretCommand({
        SecretId: secret.arn,
        RotationLambdaARN: functionArn,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );
    await aws().iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'rotation',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'secretsmanager:DescribeSecret',
                'secretsmanager:GetSecretValue',
                'secretsmanager:PutSecretValue',
                'secretsmanager:UpdateSecretVersionStage',
              ],
              Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:pf-routes/*`,
            },
            { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
          ],
        }),
      }),
    );
    await aws().lambda.send(
      new AddPermissionCommand({
        FunctionName: functionArn,
        StatementId: 'SecretsManagerAccess',
        Action: 'lambda:InvokeFunction',
        Principal: 'secretsmanager.amazonaws.com',
        SourceAccount: ACCOUNT,
      }),
    );

    // Act
    const r = report(
      await request(api.app)
        .post(`/api/v1/secrets/${encodeURIComponent(secret.arn)}/preflight`)
        .send({})
        .expect(200),
    );

    // Assert
    expect(checkOf(r, 'permissions').verdict).toBe('pass');
    expect(checkOf(r, 'database-login').verdict).toBe('pass');
  });

  it('When the secret has no rotation function yet, then Check rotation answers 409 pointing at the wizard', async () => {
    // Arrange
    const secret = await aSecret('pf-routes/new');

    // Act
    const res = await request(api.app)
      .post(`/api/v1/secrets/${encodeURIComponent(secret.arn)}/preflight`)
      .send({})
      .expect(409);

    // Assert
    expect((res.body as { error: { message: string } }).error.message).toMatch(/no rotation function yet: its preflight runs in the rotation wizard/);
  });
});

describe("The wizard's preflight: POST /api/v1/rotation-plans/preflight", () => {
  it('When the wizard creates a new function, then the planned role and runtime are checked and the database login cannot be told before the function exists', async () => {
    // Arrange
    const secret = await aSecret('pf-routes/planned');

    // Act
    const res = await request(api.app)
      .post('/api/v1/rotation-plans/preflight')
      .send({
        secretId: secret.arn,
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: true,
        function: { mode: 'create', functionName: 'pf-routes-planned', strategy: 'single-user' },
        network: null,
      })
      .expect(200);

    // Assert
    const r = report(res);
    expect(r.functionArn).toBeNull();
    expect(checkOf(r, 'permissions').verdict).toBe('pass');
    expect(checkOf(r, 'function').verdict).toBe('pass');
    expect(checkOf(r, 'database-login').verdict).toBe('unknown');
  });
});
