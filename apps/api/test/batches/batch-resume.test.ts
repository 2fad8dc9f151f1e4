import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Batch, BatchAccepted } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

describe('A batch after a crash', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
  });

  it('When the process stops after storing a batch and before starting its secrets, then the next process starts each secret once and the batch ends', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rc-batch-resume-'));
    const functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: 'SecretsManager-postgres-single-user' }))).Configuration!.FunctionArn!;
    const names = ['test/batches/resume-1', 'test/batches/resume-2', 'test/batches/resume-3'];
    for (const name of names) await createFormattedSecret(name);
    // The first process stores the batch and its shared workflow, and dies before it starts anything.
    const first = await buildApi({ DATA_DIR: dataDir });
    first.batchDispatcher.stop();
    await first.runner.stop({ graceMs: 0 });
    const accepted = (
      await request(first.app)
        .post('/api/v1/batches')
        .send({
          selection: { kind: 'secrets', secretIds: names },
          action: {
            action: 'enable',
            schedule: { kind: 'expression', expression: 'cron(0 5 ? * * *)' },
            function: { mode: 'existing', functionArn, strategy: 'single-user' },
          },
          preflight: false,
        })
        .expect(202)
    ).body as BatchAccepted;
    await first.close();
    for (const name of names) expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).RotationEnabled).toBeFalsy();

    // The next one, on the same database: its runner resumes the shared workflow, its dispatcher the batch (twice: no item is started twice).
    const next = await buildApi({ DATA_DIR: dataDir });
    await next.runner.resumeUnfinished();
    await Promise.all([next.batchDispatcher.resume(), next.batchDispatcher.resume()]);
    let batch: Batch;
    for (;;) {
      await next.runner.idle();
      await next.batchDispatcher.idle();
      batch = (await request(next.app).get(`/api/v1/batches/${accepted.id}`).expect(200)).body as Batch;
      if (batch.status !== 'running') break;
    }
    const all = (await next.store.list({})).items;
    await next.close();

    expect(batch.status).toBe('succeeded');
    expect(new Set(batch.items.map((i) => i.workflowId)).size).toBe(3);
    const workflows = names.map((name) =>
      all.filter((w) => w.subject.endsWith(name) || w.subject.includes(`:${name}-`)).filter((w) => w.kind === 'enable-rotation'),
    );
    expect(workflows.map((w) => w.length)).toEqual([1, 1, 1]);
    for (const name of names) expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).RotationEnabled).toBe(true);
  });
});
