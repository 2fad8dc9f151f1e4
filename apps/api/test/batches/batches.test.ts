import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Batch, BatchAccepted, BatchPage, BatchPreview, BatchRequestInput } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();

const createSecret = createFormattedSecret;
const describeSecret = (secretId: string) => aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));

/** Waits for the runner and the dispatcher until the batch ended (no clock: the batch's own state). */
const waitForBatch = async (id: string): Promise<Batch> => {
  for (;;) {
    await api.runner.idle();
    await api.batchDispatcher.idle();
    const res = await request(api.app).get(`/api/v1/batches/${id}`).expect(200);
    const batch = res.body as Batch;
    if (batch.status !== 'running' && batch.status !== 'pending') return batch;
  }
};

const preview = async (body: BatchRequestInput) => (await request(api.app).post('/api/v1/batches/preview').send(body).expect(200)).body as BatchPreview;
const start = async (body: BatchRequestInput) => (await request(api.app).post('/api/v1/batches').send(body).expect(202)).body as BatchAccepted;

describe('Batches: many secrets at once', () => {
  let functionArn: string;
  const names = Array.from({ length: 12 }, (_, i) => `test/batches/orders-${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: 'SecretsManager-postgres-single-user' }))).Configuration!.FunctionArn!;
    for (const name of names) await createSecret(name);
  });
  afterAll(async () => {
    await api.close();
  });

  const enable = (secretIds: string[], extra: Partial<BatchRequestInput> = {}): BatchRequestInput => ({
    selection: { kind: 'secrets', secretIds },
    action: {
      action: 'enable',
      schedule: { kind: 'expression', expression: 'cron(0 1 ? * SUN *)' },
      duration: '6h',
      function: { mode: 'existing', functionArn, strategy: 'single-user' },
    },
    preflight: false,
    ...extra,
  });

  it('When an enable batch is previewed, then the function permission is one shared step, every secret has its own staggered schedule, and a missing secret is refused by name', async () => {
    const plan = await preview(enable([...names, 'test/batches/no-such-secret']));

    expect(plan.totals).toEqual({ selected: 13, included: 12, refused: 1 });
    expect(plan.shared.steps.map((s) => s.kind)).toEqual(['add-invoke-permission']);
    expect(
      plan.secrets
        .filter((s) => !s.refusal)
        .map((s) => s.secretName)
        .sort(),
    ).toEqual(names);
    for (const s of plan.secrets.filter((x) => !x.refusal)) expect(s.steps.map((step) => step.kind)).toEqual(['rotate-secret']);
    const refused = plan.secrets.find((s) => s.refusal);
    expect(refused).toMatchObject({ secretName: 'test/batches/no-such-secret', refusal: { reason: 'not-found' } });
    // Six one-hour slots from 01:00 to 06:00 UTC, two secrets each.
    const hours = plan.secrets.filter((s) => !s.refusal).map((s) => s.schedule!.scheduleExpression);
    expect(hours).toEqual(['1', '1', '2', '2', '3', '3', '4', '4', '5', '5', '6', '6'].map((h) => `cron(0 ${h} ? * SUN *)`));
    expect(plan.secrets.every((s) => s.refusal || s.schedule!.duration === '1h')).toBe(true);
    expect(plan.staggering).toMatch(/6 one-hour slots/);
  });

  it('When an enable batch of 12 secrets runs, then every secret has rotation on with the function and its own staggered schedule in AWS, and the batch page shows each one succeeded', async () => {
    const accepted = await start(enable(names));
    expect(accepted.totals).toEqual({ selected: 12, included: 12, refused: 0 });

    const batch = await waitForBatch(accepted.id);

    expect(batch.status).toBe('succeeded');
    expect(batch.sharedStatus).toBe('succeeded');
    expect(batch.totals).toMatchObject({ total: 12, succeeded: 12, failed: 0, refused: 0 });
    expect(batch.items.every((i) => i.workflowId && i.stepsDone === i.stepsTotal && i.stepsTotal === 1)).toBe(true);
    const expressions: string[] = [];
    for (const name of names) {
      const d = await describeSecret(name);
      expect(d.RotationEnabled, name).toBe(true);
      expect(d.RotationLambdaARN).toBe(functionArn);
      expect(d.RotationRules?.Duration).toBe('1h');
      expressions.push(d.RotationRules!.ScheduleExpression!);
    }
    // What AWS holds: six start hours, two secrets each (the moto launcher keeps ScheduleExpression, as AWS does).
    expect([...new Set(expressions)].sort()).toEqual(['1', '2', '3', '4', '5', '6'].map((h) => `cron(0 ${h} ? * SUN *)`));
    expect(batch.items.map((i) => i.schedule!.scheduleExpression).sort()).toEqual([...expressions].sort());
  });

  it('When a batch is started, then it is listed, audited, and each secret workflow names the batch', async () => {
    const accepted = await start({ ...enable(names.slice(0, 2)), action: { action: 'disable' } });
    const batch = await waitForBatch(accepted.id);

    const list = (await request(api.app).get('/api/v1/batches').expect(200)).body as BatchPage;
    expect(list.items[0]).toMatchObject({ id: accepted.id, action: 'disable', status: 'succeeded' });
    const audit = await api.store.listAudit({ subject: `batch:${accepted.id}` });
    expect(audit.items.map((a) => a.action)).toEqual(['batch.disable']);
    const workflow = await api.store.get(batch.items[0]!.workflowId!);
    expect(workflow?.input).toMatchObject({ batchId: accepted.id });
  });

  it('When a disable batch runs, then rotation is off on each secret', async () => {
    const accepted = await start({ ...enable(names.slice(2, 6)), action: { action: 'disable' } });
    const batch = await waitForBatch(accepted.id);

    expect(batch.totals).toMatchObject({ total: 4, succeeded: 4 });
    for (const name of names.slice(2, 6)) expect((await describeSecret(name)).RotationEnabled, name).toBe(false);
  });

  it('When a disable batch names a secret whose rotation is off already, then that secret is refused with the reason and the others run', async () => {
    const plan = await preview({ ...enable(names.slice(2, 3).concat(names.slice(8, 9))), action: { action: 'disable' } });

    expect(plan.secrets.find((s) => s.secretName === names[2])).toMatchObject({ refusal: { reason: 'not-applicable' } });
    expect(plan.secrets.find((s) => s.secretName === names[8])).toMatchObject({ refusal: null });
  });

  it('When a rotate batch is previewed with the preflight, then a secret whose function cannot reach Secrets Manager is refused with the failing check, and without the preflight it is included', async () => {
    // The demo's orders-db rotates with a function in the demo VPC, whose subnets have no route out and no Secrets Manager endpoint.
    const body: BatchRequestInput = { selection: { kind: 'secrets', secretIds: ['prod/payments/orders-db'] }, action: { action: 'rotate', spreadMinutes: 10 } };

    const checked = await preview({ ...body, preflight: true });
    const unchecked = await preview({ ...body, preflight: false });

    expect(checked.secrets[0]).toMatchObject({ refusal: { reason: 'preflight-failed' }, preflight: { verdict: 'fail' } });
    expect(checked.secrets[0]!.refusal!.message).toMatch(/cannot reach Secrets Manager/);
    expect(unchecked.secrets[0]).toMatchObject({ refusal: null, preflight: null, startOffsetSeconds: 0 });
    expect(unchecked.staggering).toMatch(/spread evenly over 10 minutes/);
  });
});
