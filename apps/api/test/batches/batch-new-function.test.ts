import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Batch, BatchAccepted, BatchPreview, BatchRequestInput } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, dropDatabaseUsers } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

// The workflows run at once, as they do in production: the three rotations share the new function, each
// invocation in an environment of its own, and each watch reads its rotation's lines out of the shared log.
const api = await buildApi();
const users: string[] = [];

/** Until the batch ended; past 80 s it says where each secret is (what the test timeout would not). */
const waitForBatch = async (id: string): Promise<Batch> => {
  const deadline = Date.now() + 80_000;
  for (;;) {
    await Promise.race([Promise.all([api.runner.idle(), api.batchDispatcher.idle()]), new Promise((r) => setTimeout(r, 1000))]);
    const batch = (await request(api.app).get(`/api/v1/batches/${id}`).expect(200)).body as Batch;
    if (batch.status !== 'running' && batch.status !== 'pending') return batch;
    if (Date.now() > deadline)
      throw new Error(
        `batch ${id} still running: shared ${batch.sharedStatus}; ${JSON.stringify(batch.items.map((i) => [i.secretName, i.status, i.currentStep, i.result]))}`,
      );
  }
};
const passwordOf = async (secretId: string) =>
  JSON.parse((await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!).password as string;

describe('A batch with one new function for every secret, then rotate now', () => {
  const names = ['test/batches/real-1', 'test/batches/real-2', 'test/batches/real-3'];
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    for (const name of names) users.push((await createDatabaseUserSecret(name)).username);
  });
  afterAll(async () => {
    await api.close();
    await dropDatabaseUsers(users);
  });

  const enable: BatchRequestInput = {
    selection: { kind: 'secrets', secretIds: names },
    action: {
      action: 'enable',
      schedule: { kind: 'expression', expression: 'cron(0 4 ? * MON *)' },
      duration: '3h',
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'batch-shared-rotation', strategy: 'single-user' },
    },
    preflight: false,
  };

  it('When the batch is previewed, then the function is created once as shared steps, and each secret only turns its rotation on', async () => {
    const plan = (await request(api.app).post('/api/v1/batches/preview').send(enable).expect(200)).body as BatchPreview;

    expect(plan.shared.steps.map((s) => s.kind)).toEqual([
      'upload-function-code',
      'create-function-change-set',
      'execute-change-set',
      'read-function-arn',
      'add-invoke-permission',
    ]);
    expect(plan.shared.description).toMatch(/One new function batch-shared-rotation for the 3 secrets/);
    for (const s of plan.secrets) expect(s.steps.map((step) => step.kind)).toEqual(['rotate-secret', 'watch-first-rotation']);
    expect(plan.warnings.join(' ')).toMatch(/rotates once as soon as/);
  });

  it('When it runs, then one stack makes the function, every secret rotates with it (a new password in PostgreSQL), and a rotate-now batch rotates them again', async () => {
    const before = await Promise.all(names.map(passwordOf));
    const accepted = (await request(api.app).post('/api/v1/batches').send(enable).expect(202)).body as BatchAccepted;

    const batch = await waitForBatch(accepted.id);

    expect(batch.status, JSON.stringify(batch.items.map((i) => i.result))).toBe('succeeded');
    expect(batch.sharedStatus).toBe('succeeded');
    const functions = new Set<string>();
    for (const [i, name] of names.entries()) {
      const d = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
      functions.add(d.RotationLambdaARN!);
      expect(await passwordOf(name)).not.toBe(before[i]);
    }
    expect([...functions].map((arn) => arn.split(':').pop())).toEqual(['batch-shared-rotation']);

    const rotatedOnce = await Promise.all(names.map(passwordOf));
    const again = (
      await request(api.app)
        .post('/api/v1/batches')
        .send({ selection: { kind: 'filter', filter: { name: 'test/batches/real-' } }, action: { action: 'rotate', spreadMinutes: 0 }, preflight: false })
        .expect(202)
    ).body as BatchAccepted;
    const rotated = await waitForBatch(again.id);

    expect(again.totals.included).toBe(3);
    expect(rotated.status, JSON.stringify(rotated.items.map((i) => i.result))).toBe('succeeded');
    for (const [i, name] of names.entries()) expect(await passwordOf(name)).not.toBe(rotatedOnce[i]);
  });
});
