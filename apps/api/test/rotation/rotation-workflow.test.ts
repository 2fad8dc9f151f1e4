import { randomUUID } from 'node:crypto';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationPlan, RotationRequestInput } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, demoNetwork, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();
const users: string[] = [];

describe('Enabling rotation through the API', () => {
  let network: Awaited<ReturnType<typeof demoNetwork>>;
  let singleUser: Awaited<ReturnType<typeof createDatabaseUserSecret>>;
  let functionArn: string;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    network = await demoNetwork();
    singleUser = await createDatabaseUserSecret('test/workflow/orders');
    users.push(singleUser.username);
  });
  afterAll(async () => {
    await api.close();
    await dropDatabaseUsers(users);
  });

  const newFunctionRequest = (secretId: string, functionName: string): RotationRequestInput => ({
    secretId,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: true,
    function: { mode: 'create', functionName, strategy: 'single-user' },
    network: { ...network, createSecretsManagerEndpoint: true },
  });

  it('When a plan is asked for, then every AWS call is listed with the CLI session and nothing changes', async () => {
    const res = await request(api.app).post('/api/v1/rotation-plans').send(newFunctionRequest(singleUser.name, 'orders-rotation')).expect(200);
    const plan = res.body as RotationPlan;

    expect(plan.functionSource).toBe('bundled-template');
    expect(plan.steps.map((s) => s.kind)).toContain('create-secrets-manager-endpoint');
    expect(plan.cliSession).toContain('aws lambda add-permission --function-name orders-rotation --principal secretsmanager.amazonaws.com');
    expect(plan.check.ok).toBe(true);
    expect(JSON.stringify(plan)).not.toContain(singleUser.password);
    const stacks = await aws()
      .cloudFormation.send(new DescribeStacksCommand({}))
      .catch(() => ({ Stacks: [] }));
    expect(stacks.Stacks ?? []).toHaveLength(0);
  });

  it('When a new single-user function is saved, then the workflow deploys it, wires it and the first rotation gives the secret a new password', async () => {
    const key = randomUUID();
    const started = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', key)
      .send(newFunctionRequest(singleUser.name, 'orders-rotation'))
      .expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);

    expect(workflow.status, JSON.stringify(workflow.steps.filter((s) => s.error))).toBe('succeeded');
    expect(workflow.outcome).toMatchObject({ result: 'rotated' });
    const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: singleUser.name }));
    functionArn = secret.RotationLambdaARN!;
    expect(functionArn).toMatch(/:function:orders-rotation$/);
    expect(secret.RotationEnabled).toBe(true);
    expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(30);
    const policy = JSON.parse((await aws().lambda.send(new GetPolicyCommand({ FunctionName: functionArn }))).Policy!);
    expect(JSON.stringify(policy.Statement)).toContain('secretsmanager.amazonaws.com');
    const config = await aws().lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
    expect(config.VpcConfig?.SubnetIds?.sort()).toEqual([...network.subnetIds].sort());
    const endpoints = await aws().ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [network.vpcId] }] }));
    expect(endpoints.VpcEndpoints?.filter((e) => e.ServiceName === 'com.amazonaws.us-east-1.secretsmanager')).toHaveLength(1);
    const versions = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: singleUser.name }));
    expect(versions.Versions?.find((v) => v.VersionStages?.includes('AWSCURRENT'))?.VersionId).toBe(
      workflow.steps.find((s) => s.id === 'rotate-secret')?.output?.versionId,
    );

    const current = await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: singleUser.name }));
    expect(JSON.parse(current.SecretString!).password).not.toBe(singleUser.password);

    const audit = await api.store.listAudit({ workflowId: started.body.id });
    expect(audit.items.map((a) => a.action).sort()).toEqual(['enable-rotation.finish', 'rotation.enable']);
    const enable = audit.items.find((a) => a.action === 'rotation.enable')!;
    expect(enable).toMatchObject({ actor: { id: 'local' }, before: { enabled: false, lambdaArn: null } });
    expect(JSON.stringify(audit.items)).not.toContain(singleUser.password);

    const again = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', key)
      .send(newFunctionRequest(singleUser.name, 'orders-rotation'))
      .expect(202);
    expect(again.body.id).toBe(started.body.id);
  });

  it('When an existing function rotates alternating users with a master secret, then the role may read the master secret', async () => {
    const master = await createDatabaseUserSecret('test/workflow/master', {}, { master: true });
    users.push(master.username);
    const app = await createDatabaseUserSecret('test/workflow/app', { masterarn: master.arn });
    users.push(app.username);

    const body = {
      secretId: app.name,
      schedule: { kind: 'expression', expression: 'cron(0 4 ? * SUN *)' },
      duration: '3h',
      rotateImmediately: true,
      function: { mode: 'existing', functionArn, strategy: 'alternating-users', masterSecretId: master.arn },
      network: null,
    } satisfies RotationRequestInput;
    // The function rotates the first test's secret too, and the grant changes its role: the plan says so, and Save needs the operator's word.
    const plan = await request(api.app).post('/api/v1/rotation-plans').send(body).expect(200);
    expect(plan.body.sharedFunction).toMatchObject({
      functionName: 'orders-rotation',
      otherSecrets: [{ name: singleUser.name }],
      changes: [{ what: 'role policy' }],
      acknowledgementRequired: true,
    });
    const unacknowledged = await request(api.app).post('/api/v1/workflows').set('Idempotency-Key', randomUUID()).send(body).expect(400);
    expect(unacknowledged.body.error.message).toContain(singleUser.name);

    const started = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', randomUUID())
      .send({ ...body, acknowledgeSharedFunction: true })
      .expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);

    expect(workflow.steps.map((s) => s.id)).not.toContain('create-function-change-set');
    // The master's user may create the clone login, so the rotation really succeeds (the log shows all four steps).
    expect(workflow.outcome, JSON.stringify(workflow.outcome)).toMatchObject({ result: 'rotated' });
    const grant = workflow.steps.find((s) => s.id === 'grant-master-secret-access')!;
    expect(grant.status).toBe('succeeded');
    const roleName = String(grant.output?.roleName);
    const policy = await aws().iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'SecretsManagerMasterSecretAccess' }));
    expect(decodeURIComponent(policy.PolicyDocument!)).toContain(master.arn);
    const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: app.name }));
    expect(secret.RotationRules).toMatchObject({ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' });
  });

  it('When rotation is turned on without rotating now, then the schedule is set and no version is left pending', async () => {
    const later = await createDatabaseUserSecret('test/workflow/later');
    users.push(later.username);
    const started = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', randomUUID())
      .send({
        secretId: later.name,
        schedule: { kind: 'days', days: 60 },
        rotateImmediately: false,
        function: { mode: 'existing', functionArn, strategy: 'single-user' },
        network: null,
      } satisfies RotationRequestInput)
      .expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);

    expect(workflow.status).toBe('succeeded');
    expect(workflow.outcome).toMatchObject({ result: 'not-started' });
    const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: later.name }));
    expect(secret.RotationEnabled).toBe(true);
    expect(Object.values(secret.VersionIdsToStages ?? {}).flat()).not.toContain('AWSPENDING');
  });

  it.each([
    ['an invalid schedule', { schedule: { kind: 'expression', expression: 'cron(0 4 * * *)' } }, 'schedule.expression'],
    ['a function name Lambda refuses', { function: { mode: 'create', functionName: 'bad name!', strategy: 'single-user' } }, 'function.functionName'],
    [
      'an unknown VPC',
      { network: { vpcId: 'vpc-0000000000', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], createSecretsManagerEndpoint: false } },
      'network.vpcId',
    ],
  ])('When the request has %s, then 400 gives the reason before anything runs', async (_what, change, field) => {
    const res = await request(api.app)
      .post('/api/v1/workflows')
      .send({ ...newFunctionRequest(singleUser.name, 'other-rotation'), ...change })
      .expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('When the master secret is for another engine, then 400 says so', async () => {
    const mysqlMaster = await aws().secretsManager.send(
      new (await import('@aws-sdk/client-secrets-manager')).CreateSecretCommand({
        Name: 'test/workflow/mysql-master',
        SecretString: JSON.stringify({ engine: 'mysql', host: '127.0.0.1', port: 5432, username: 'root', password: 'x' }),
      }),
    );
    const res = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send({
        ...newFunctionRequest(singleUser.name, 'x-rotation'),
        function: { mode: 'create', functionName: 'x-rotation', strategy: 'alternating-users', masterSecretId: mysqlMaster.ARN },
      })
      .expect(400);
    expect(res.body.error.message).toMatch(/engine "mysql"/);
  });
});
