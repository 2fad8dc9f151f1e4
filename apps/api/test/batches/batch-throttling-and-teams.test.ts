import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import type { Batch, BatchAccepted, BatchPage, BatchPreview } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore } from '../../src/modules/batches/batch-store.ts';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

const createSecret = (name: string, team: string) => createFormattedSecret(name, team);

const enableBody = (secretIds: string[], functionArn: string) => ({
  selection: { kind: 'secrets', secretIds },
  action: {
    action: 'enable',
    schedule: { kind: 'expression', expression: 'cron(0 3 ? * SAT *)' },
    duration: '2h',
    function: { mode: 'existing', functionArn, strategy: 'single-user' },
    acknowledgeSharedFunction: true,
  },
  preflight: false,
});

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
});

describe('Batches under throttling', () => {
  // Only the throttling is mocked: the proxy answers the first RotateSecret with ThrottlingException, as AWS does past the quota.
  let throttledOnce = false;
  let proxy: Awaited<ReturnType<typeof startAwsProxy>>;
  let api: Awaited<ReturnType<typeof buildApi>>;
  beforeAll(async () => {
    proxy = await startAwsProxy({
      target: motoEndpoint(),
      intercept: async ({ headers }) => {
        if (headers['x-amz-target'] !== 'secretsmanager.RotateSecret' || throttledOnce) return undefined;
        throttledOnce = true;
        return { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
      },
    });
    // One SDK attempt: the throttled call reaches the workflow runner, whose backoff retries the step.
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, AWS_MAX_ATTEMPTS: '1' });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
  });

  it('When RotateSecret is throttled, then the step is retried with backoff and the secret gets its rotation', async () => {
    const functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: 'SecretsManager-postgres-single-user' }))).Configuration!.FunctionArn!;
    const arn = await createSecret('test/batches/throttled-db', 'payments');

    const accepted = (
      await request(api.app)
        .post('/api/v1/batches')
        .send(enableBody([arn], functionArn))
        .expect(202)
    ).body as BatchAccepted;
    let batch: Batch;
    for (;;) {
      await api.runner.idle();
      await api.batchDispatcher.idle();
      batch = (await request(api.app).get(`/api/v1/batches/${accepted.id}`).expect(200)).body as Batch;
      if (batch.status !== 'running') break;
    }

    expect(throttledOnce).toBe(true);
    expect(batch.status).toBe('succeeded');
    const workflow = await api.store.get(batch.items[0]!.workflowId!);
    expect(workflow?.steps.find((s) => s.kind === 'rotate-secret')?.attempts).toBe(2);
    expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: arn }))).RotationEnabled).toBe(true);
  });
});

describe('Batches and ownership', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  beforeAll(async () => {
    t = await startTeamsConsole();
  });
  afterAll(() => t.close());

  it("When an operator's batch names another team's secrets, then those are refused by name and only the team's own secret is planned", async () => {
    // payments' own function (the demo tags it), which an operator of payments may use.
    const functionArn = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/payments/ledger-app' }))).RotationLambdaARN!;
    const own = await createSecret('test/batches/payments-db', 'payments');
    const theirs = await createSecret('test/batches/identity-db', 'identity');

    const res = await t.call('owner', '/api/v1/batches/preview', { method: 'POST', body: enableBody([own, theirs, 'prod/analytics/events-db'], functionArn) });
    const plan = (await res.json()) as BatchPreview;

    expect(res.status).toBe(200);
    expect(plan.totals).toEqual({ selected: 3, included: 1, refused: 2 });
    expect(plan.secrets.filter((s) => !s.refusal).map((s) => s.secretArn)).toEqual([own]);
    expect(plan.secrets.filter((s) => s.refusal).map((s) => [s.secretName, s.refusal!.reason])).toEqual([
      [theirs, 'not-found'],
      ['prod/analytics/events-db', 'not-found'],
    ]);
  });

  it("When an operator starts a batch of only another team's secrets, then nothing starts and the answer names them as not found", async () => {
    const theirs = await createSecret('test/batches/identity-db-2', 'identity');
    const functionArn = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/payments/ledger-app' }))).RotationLambdaARN!;

    const res = await t.call('owner', '/api/v1/batches', { method: 'POST', body: enableBody([theirs], functionArn) });

    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(theirs);
    expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: theirs }))).RotationEnabled).toBeFalsy();
  });

  it("When operators list a batch someone else started with secrets of two teams, then each sees it with the totals of its own team's secret only, as its page shows them", async () => {
    // Arrange: an admin's batch of one payments and one identity secret, stored as Start stores it.
    const id = randomUUID();
    const arn = (team: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:test/batches/list-${team}-AbCdEf`;
    const item = (team: string) => ({
      secretArn: arn(team),
      secretName: `test/batches/list-${team}`,
      team,
      refusal: null,
      startOffsetMs: null,
      schedule: null,
      spec: null,
    });
    await new BatchStore(t.console.api.database.db).create(
      {
        id,
        action: 'disable',
        summary: 'Turn off rotation for 2 secrets',
        input: {},
        createdBy: { id: 'svc-test-admin', name: 'svc-test-admin', roles: ['admin'], teams: [] },
        createdAt: new Date().toISOString(),
        status: 'running',
        sharedWorkflowId: null,
        staggering: '',
        pacing: '',
      },
      [item('payments'), item('identity')],
    );
    const listed = async (who: 'owner' | 'other-team' | 'viewer' | 'no-team') =>
      ((await (await t.call(who, '/api/v1/batches')).json()) as BatchPage).items.find((b) => b.id === id);

    // Act
    const [payments, identity, viewer, noTeam] = await Promise.all([listed('owner'), listed('other-team'), listed('viewer'), listed('no-team')]);
    const page = (await (await t.call('owner', `/api/v1/batches/${id}`)).json()) as Batch;

    // Assert
    expect(payments?.totals.total).toBe(1);
    expect(identity?.totals.total).toBe(1);
    expect(viewer?.totals.total).toBe(2);
    expect(noTeam).toBeUndefined();
    expect(payments?.totals).toEqual(page.totals);
  });

  it('When a viewer asks for a batch plan, then it is refused', async () => {
    const res = await t.call('viewer', '/api/v1/batches/preview', { method: 'POST', body: enableBody(['prod/payments/orders-db'], 'fn') });
    expect(res.status).toBe(403);
  });
});
