import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  ROTATE_IMMEDIATELY_WARNING,
  type RotationPlan,
  type SchedulePreview,
  type SecretCheck,
  type SecretNetwork,
  type VpcDetail,
} from '@rotation-console/contracts';
import { DEMO_FUNCTIONS, DEMO_VPC_NAME, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoNetwork } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();
const path = (id: string, rest = '') => `/api/v1/secrets/${encodeURIComponent(id)}${rest}`;

describe('What the wizard reads before anything changes', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
  });
  afterAll(() => api.close());

  it.each(['prod/payments/orders-db', 'prod/identity/users-db'])(
    'When the secret %s names an RDS endpoint, then its database, VPC and the need for an endpoint are found',
    async (name) => {
      const res = await request(api.app).get(path(name, '/network')).expect(200);
      const network = res.body as SecretNetwork;
      expect(network.dbInstance?.vpcId).toMatch(/^vpc-/);
      expect(network.dbInstance?.subnetIds).toHaveLength(2);
      expect(network.suggestEndpoint).toBe(true);
      expect(network.message).toMatch(/no route out/);
    },
  );

  it('When the demo VPC is read, then its private subnets have no route out and no endpoint exists yet', async () => {
    const vpcs = (await request(api.app).get('/api/v1/vpcs').expect(200)).body.items as { id: string; name: string | null }[];
    const demo = vpcs.find((v) => v.name === DEMO_VPC_NAME)!;
    const detail = (await request(api.app).get(`/api/v1/vpcs/${demo.id}`).expect(200)).body as VpcDetail;
    expect(detail.subnets.every((s) => !s.hasRouteOut)).toBe(true);
    expect(detail.securityGroups.map((g) => g.name)).toContain(`${DEMO_VPC_NAME}-rotation-lambda`);
    expect(detail.secretsManagerEndpointId).toBeNull();
  });

  it('When functions are listed, then the existing rotation functions are offered', async () => {
    const res = await request(api.app).get('/api/v1/lambda-functions').expect(200);
    expect(res.body.items.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining([...DEMO_FUNCTIONS]));
  });

  it('When a function runs in a VPC that EC2 does not know (moto answers vpc-123abc for every function in a VPC), then no VPC is shown for it', async () => {
    // Arrange: what moto says of the demo functions, which run in the demo VPC.
    const listed = (await aws().lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
    const inVpc = listed
      .filter((f) => f.VpcConfig?.VpcId)
      .map((f) => f.FunctionName!)
      .sort();
    expect(listed.find((f) => f.VpcConfig?.VpcId)?.VpcConfig?.VpcId).toBe('vpc-123abc');

    // Act
    const res = await request(api.app).get('/api/v1/lambda-functions').expect(200);

    // Assert
    const offered = res.body.items as { name: string; vpcId: string | null }[];
    expect(inVpc.length).toBeGreaterThan(0);
    expect(offered.filter((f) => inVpc.includes(f.name))).toEqual(inVpc.map((name) => expect.objectContaining({ name, vpcId: null })));
  });

  it('When a secret is checked, then field verdicts come back and never the value', async () => {
    const value = (await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: 'prod/payments/reports-db' }))).SecretString!;
    const res = await request(api.app).get(path('prod/payments/reports-db', '/check')).expect(200);
    const check = res.body as SecretCheck;
    expect(check.ok).toBe(true);
    expect(check.secret.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['engine', 'host', 'username', 'password']));
    expect(res.text).not.toContain(JSON.parse(value).password);
  });

  it('When a secret that is not JSON is checked, then the check fails and says why', async () => {
    const res = await request(api.app).get(path('staging/analytics/legacy-reporting', '/check')).expect(200);
    expect(res.body).toMatchObject({ ok: false, secret: { problems: [expect.stringMatching(/not valid JSON/)] } });
    expect(res.text).not.toMatch(/password=/);
  });

  it('When a secret misses a field and has another wrong, then the check names both and gives the put-secret-value command with placeholders, never a value', async () => {
    const password = 'fix-never-shown-7c1d';
    await aws().secretsManager.send(
      new CreateSecretCommand({
        Name: 'test/fix/orders',
        SecretString: JSON.stringify({ engine: 'postgres', host: 'orders.internal', username: 'orders_app', password, port: 'abc' }),
      }),
    );
    await aws().secretsManager.send(
      new CreateSecretCommand({
        Name: 'test/fix/no-password',
        SecretString: JSON.stringify({ engine: 'postgres', host: 'orders.internal', username: 'orders_app' }),
      }),
    );

    const wrongPort = (await request(api.app).get(path('test/fix/orders', '/check')).expect(200)).body as SecretCheck;
    const missing = (await request(api.app).get(path('test/fix/no-password', '/check')).expect(200)).body as SecretCheck;

    expect(wrongPort.secret.fix?.fields).toEqual(['port']);
    expect(missing.secret.fix?.fields).toEqual(['password']);
    expect(missing.secret.fix?.cli).toBe(
      `aws secretsmanager put-secret-value --secret-id test/fix/no-password --secret-string '{"engine":"<engine>","host":"<host>","username":"<username>","password":"<password>","dbname":"<dbname>","port":"<port>"}'`,
    );
    const text = JSON.stringify([wrongPort, missing]);
    for (const value of [password, 'orders.internal', 'orders_app']) expect(text).not.toContain(value);
  });

  it('When multi-user rotation is checked with another master than masterarn names, then masterarn is the field to fix, to the chosen master\u2019s ARN', async () => {
    const master = (await request(api.app).get(path('staging/analytics/warehouse-master')).expect(200)).body.arn as string;
    const res = await request(api.app)
      .get(path('prod/payments/ledger-app', '/check'))
      .query({ strategy: 'alternating-users', masterSecretId: master })
      .expect(200);
    const check = res.body as SecretCheck;

    expect(check.ok).toBe(false);
    expect(check.secret.fields.find((f) => f.field === 'masterarn')).toMatchObject({ verdict: 'invalid' });
    expect(check.secret.fix).toMatchObject({
      fields: ['masterarn'],
      cli: expect.stringContaining(`--secret-id prod/payments/ledger-app --secret-string '{"engine":"<engine>"`),
    });
    expect(check.secret.fix?.cli).toContain(`"masterarn":"${master}"`);
  });

  it('When a plan rotates at once, then it warns once in the seed\u2019s words and its CLI session runs the steps\u2019 commands in the plan\u2019s order', async () => {
    const network = await demoNetwork();
    const res = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send({
        secretId: 'prod/payments/reports-db',
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: true,
        function: { mode: 'create', functionName: 'reports-rotation', strategy: 'single-user' },
        network: { ...network, createSecretsManagerEndpoint: true },
      })
      .expect(200);
    const plan = res.body as RotationPlan;

    expect(plan.warnings.filter((w) => /rotate once immediately/.test(w))).toEqual([ROTATE_IMMEDIATELY_WARNING]);
    expect(plan.steps.map((s) => s.id)).toEqual(plan.stages.flat());
    expect(plan.cliSession).toBe(plan.steps.flatMap((s) => (s.cli ? [s.cli] : [])).join('\n'));
    // The endpoint needs nothing before it: it runs in the first stage, so its command comes before the change set's.
    expect(plan.cliSession.indexOf('aws ec2 create-vpc-endpoint')).toBeLessThan(plan.cliSession.indexOf('aws cloudformation create-change-set'));
  });

  it('When multi-user rotation is checked with the master secret, then both secrets are checked', async () => {
    const master = (await request(api.app).get(path('prod/payments/ledger-master')).expect(200)).body.arn as string;
    const res = await request(api.app)
      .get(path('prod/payments/ledger-app', '/check'))
      .query({ strategy: 'alternating-users', masterSecretId: master })
      .expect(200);
    expect(res.body).toMatchObject({ ok: true, masterSecret: { ok: true, engine: 'mysql' } });
  });

  it('When a schedule is previewed, then the next five windows and the advice come back', async () => {
    const res = await request(api.app)
      .post('/api/v1/schedule-previews')
      .send({ schedule: { kind: 'expression', expression: 'cron(0 4 ? * SUN *)' }, duration: '3h' })
      .expect(200);
    const preview = res.body as SchedulePreview;
    expect(preview.valid).toBe(true);
    expect(preview.windows).toHaveLength(5);
    expect(preview.windows.every((w) => new Date(w.start).getUTCDay() === 0 && new Date(w.start).getUTCHours() === 4)).toBe(true);
    expect(preview.description).toContain('3h');
  });

  it('When a schedule AWS would refuse is previewed, then the reason comes back', async () => {
    const res = await request(api.app)
      .post('/api/v1/schedule-previews')
      .send({ schedule: { kind: 'expression', expression: 'rate(2 hours)' } })
      .expect(200);
    expect(res.body).toMatchObject({ valid: false, windows: [] });
    expect(res.body.errors.join(' ')).toMatch(/four hours/);
  });
});
