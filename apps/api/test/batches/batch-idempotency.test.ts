import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Batch, BatchAccepted, BatchPreview, BatchRequestInput, ErrorBody } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

// POST /api/v1/batches honours the Idempotency-Key as every request that starts work does: the
// caller's same key with the same request gives back the batch the first call stored, and starts
// nothing; with another request it is a 409.

type Api = Awaited<ReturnType<typeof buildApi>>;

const KEY_USED = 'This Idempotency-Key was already used for a different request.';

const enable = (secretIds: string[], functionArn: string, expression = 'cron(0 3 ? * SAT *)'): BatchRequestInput => ({
  selection: { kind: 'secrets', secretIds },
  action: {
    action: 'enable',
    schedule: { kind: 'expression', expression },
    duration: '2h',
    function: { mode: 'existing', functionArn, strategy: 'single-user' },
    acknowledgeSharedFunction: true,
  },
  preflight: false,
});

/** What the console stored: batches and workflows (each batch's shared workflow and one per included secret). */
const stored = async (db: Kysely<Database>) => {
  const count = async (table: 'batches' | 'workflows') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { batches: await count('batches'), workflows: await count('workflows') };
};

/** Waits for the runners and dispatchers until the batch ended (the batch's own state, no clock). */
const waitForBatch = async (apis: Api[], id: string): Promise<Batch> => {
  for (;;) {
    for (const api of apis) {
      await api.runner.idle();
      await api.batchDispatcher.idle();
    }
    const batch = (await request(apis[0]!.app).get(`/api/v1/batches/${id}`).expect(200)).body as Batch;
    if (batch.status !== 'running' && batch.status !== 'pending') return batch;
  }
};

const until = async (what: string, done: () => boolean) => {
  for (let i = 0; i < 1500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error(`Timed out waiting until ${what}.`);
};

/**
 * A proxy to moto that can hold every AWS call until the test lets them through: two Starts held
 * while they plan have both looked for their key already, so both go on to store a batch.
 */
const holdingProxy = async () => {
  let gate: Promise<void> | null = null;
  let open = () => {};
  const held: string[] = [];
  const proxy: AwsProxy = await startAwsProxy({
    target: motoEndpoint(),
    intercept: async ({ headers, path }) => {
      if (gate) {
        held.push(typeof headers['x-amz-target'] === 'string' ? headers['x-amz-target'] : path);
        await gate;
      }
      return undefined;
    },
  });
  return {
    proxy,
    held,
    hold: () => {
      held.length = 0;
      gate = new Promise<void>((resolve) => {
        open = () => {
          gate = null;
          resolve();
        };
      });
    },
    open: () => open(),
  };
};

const functionArnOf = async (name: string) => (await aws().lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!;

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
});

describe('Start with an Idempotency-Key (one console, local admin)', () => {
  let api: Api;
  let moto: Awaited<ReturnType<typeof holdingProxy>>;
  let functionArn: string;
  beforeAll(async () => {
    moto = await holdingProxy();
    api = await buildApi({ AWS_ENDPOINT_URL: moto.proxy.url });
    functionArn = await functionArnOf('SecretsManager-postgres-single-user');
  });
  afterAll(async () => {
    moto.open();
    await api.close();
    await moto.proxy.close();
  });

  const preview = async (body: BatchRequestInput) => (await request(api.app).post('/api/v1/batches/preview').send(body).expect(200)).body as BatchPreview;
  const start = (body: object, key?: string) => {
    const post = request(api.app).post('/api/v1/batches');
    return (key === undefined ? post : post.set('Idempotency-Key', key)).send(body);
  };

  it('When Start is sent again with its key after the first was accepted (its preview used by then), then the answer is the same batch with its status now, and nothing more is stored or started', async () => {
    // Arrange
    const arns = await Promise.all([1, 2].map((i) => createFormattedSecret(`test/batches/key-retry-${i}`)));
    const body = enable(arns, functionArn);
    const plan = await preview(body);
    const key = randomUUID();
    const first = await start({ ...body, previewId: plan.previewId }, key).expect(202);
    const accepted = first.body as BatchAccepted;
    await waitForBatch([api], accepted.id);
    const before = await stored(api.database.db);

    // Act
    const retry = await start({ ...body, previewId: plan.previewId }, key);
    const withoutPreview = await start(body, key);
    const otherPreview = await start({ ...body, previewId: (await preview(body)).previewId }, key);

    // Assert
    for (const res of [retry, withoutPreview, otherPreview]) {
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(`/api/v1/batches/${accepted.id}`);
      expect(res.body).toEqual({ ...accepted, status: 'succeeded' });
    }
    expect(accepted).toEqual({
      id: accepted.id,
      status: 'running',
      location: `/api/v1/batches/${accepted.id}`,
      totals: { selected: 2, included: 2, refused: 0 },
    });
    expect(await stored(api.database.db)).toEqual(before);
    expect(before.workflows).toBeGreaterThanOrEqual(3);
  });

  it('When Start without a preview is sent again with its key, then no second batch of the same secrets is started', async () => {
    // Arrange
    const arn = await createFormattedSecret('test/batches/key-replan-1');
    const body = enable([arn], functionArn);
    const key = randomUUID();
    const accepted = (await start(body, key).expect(202)).body as BatchAccepted;
    await waitForBatch([api], accepted.id);
    const before = await stored(api.database.db);

    // Act
    const retry = await start(body, key);

    // Assert
    expect(retry.status).toBe(202);
    expect((retry.body as BatchAccepted).id).toBe(accepted.id);
    expect(await stored(api.database.db)).toEqual(before);
  });

  it('When the key of an accepted Start comes with another request, then the answer is 409 and nothing is stored or started; a new key starts it', async () => {
    // Arrange
    const arns = await Promise.all([1, 2].map((i) => createFormattedSecret(`test/batches/key-other-${i}`)));
    const key = randomUUID();
    const accepted = (await start(enable(arns, functionArn), key).expect(202)).body as BatchAccepted;
    await waitForBatch([api], accepted.id);
    const before = await stored(api.database.db);
    const otherSchedule = enable(arns, functionArn, 'cron(0 4 ? * SAT *)');

    // Act
    const answers = [
      await start(enable(arns.slice(0, 1), functionArn), key),
      await start(otherSchedule, key),
      await start({ ...otherSchedule, previewId: (await preview(otherSchedule)).previewId }, key),
    ];

    // Assert
    for (const res of answers) {
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).error.message).toBe(KEY_USED);
    }
    expect(await stored(api.database.db)).toEqual(before);
    const fresh = (await start(otherSchedule, randomUUID()).expect(202)).body as BatchAccepted;
    expect(fresh.id).not.toBe(accepted.id);
    await waitForBatch([api], fresh.id);
  });

  it('When the Idempotency-Key header is not a valid key, then Start answers 400 and starts nothing', async () => {
    // Arrange
    const arn = await createFormattedSecret('test/batches/key-invalid-1');
    const before = await stored(api.database.db);

    // Act
    const res = await start(enable([arn], functionArn), 'short');

    // Assert
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Idempotency-Key must be 8 to 128 characters');
    expect(await stored(api.database.db)).toEqual(before);
  });

  it('When two Starts with one key arrive together (both planning while AWS is held), then one batch is stored and started and both answer it', async () => {
    // Arrange
    const arns = await Promise.all([1, 2, 3].map((i) => createFormattedSecret(`test/batches/key-together-${i}`)));
    const body = enable(arns, functionArn);
    const key = randomUUID();
    const before = await stored(api.database.db);
    moto.hold();

    // Act
    const both = Promise.all([start(body, key), start(body, key)]);
    // Each looks for its key before its first AWS calls (a DescribeSecret of each of its secrets): once AWS holds both's, both have looked and found none.
    await until('both Starts are planning', () => moto.held.length >= 2 * arns.length);
    moto.open();
    const [a, b] = await both;

    // Assert
    expect([a.status, b.status]).toEqual([202, 202]);
    const id = (a.body as BatchAccepted).id;
    expect((b.body as BatchAccepted).id).toBe(id);
    const batch = await waitForBatch([api], id);
    expect(batch.status).toBe('succeeded');
    // One batch, its shared workflow and one workflow per secret.
    expect(await stored(api.database.db)).toEqual({ batches: before.batches + 1, workflows: before.workflows + 1 + arns.length });
    for (const arn of arns) expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: arn }))).RotationLambdaARN).toBe(functionArn);
  });

  it('When two Starts with one key and one preview arrive together, then both answer the one batch, neither finds the preview used', async () => {
    // Arrange
    const arns = await Promise.all([1, 2].map((i) => createFormattedSecret(`test/batches/key-together-kept-${i}`)));
    const body = enable(arns, functionArn);
    const plan = await preview(body);
    const key = randomUUID();
    const before = await stored(api.database.db);

    // Act
    const [a, b] = await Promise.all([start({ ...body, previewId: plan.previewId }, key), start({ ...body, previewId: plan.previewId }, key)]);

    // Assert
    expect([a.status, b.status]).toEqual([202, 202]);
    expect((b.body as BatchAccepted).id).toBe((a.body as BatchAccepted).id);
    await waitForBatch([api], (a.body as BatchAccepted).id);
    expect(await stored(api.database.db)).toEqual({ batches: before.batches + 1, workflows: before.workflows + 1 + arns.length });
  });
});

describe('Start with an Idempotency-Key (two API processes on one PostgreSQL)', () => {
  let database: TestDatabase;
  const sides: { api: Api; aws: Awaited<ReturnType<typeof holdingProxy>> }[] = [];
  let functionArn: string;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    for (let i = 0; i < 2; i++) {
      const side = await holdingProxy();
      sides.push({ aws: side, api: await buildApi({ AWS_ENDPOINT_URL: side.proxy.url, DATABASE_URL: database.options.url! }) });
    }
    functionArn = await functionArnOf('SecretsManager-postgres-single-user');
  });
  afterAll(async () => {
    for (const side of sides) {
      side.aws.open();
      await side.api.close();
      await side.aws.proxy.close();
    }
    await database?.drop();
  });

  it('When the same Start reaches both processes at once, then one batch is stored and started and both answer it', async () => {
    // Arrange
    const arns = await Promise.all([1, 2, 3].map((i) => createFormattedSecret(`test/batches/key-two-processes-${i}`)));
    const body = enable(arns, functionArn);
    const key = randomUUID();
    const db = sides[0]!.api.database.db;
    const before = await stored(db);
    for (const side of sides) side.aws.hold();

    // Act: each process gets one, and both plan (their AWS calls held) before either stores its batch.
    const both = Promise.all(sides.map((side) => request(side.api.app).post('/api/v1/batches').set('Idempotency-Key', key).send(body)));
    await until('both processes are planning', () => sides.every((side) => side.aws.held.length > 0));
    for (const side of sides) side.aws.open();
    const [a, b] = await both;

    // Assert
    expect([a!.status, b!.status]).toEqual([202, 202]);
    const id = (a!.body as BatchAccepted).id;
    expect((b!.body as BatchAccepted).id).toBe(id);
    const batch = await waitForBatch(
      sides.map((side) => side.api),
      id,
    );
    expect(batch.status).toBe('succeeded');
    expect(await stored(db)).toEqual({ batches: before.batches + 1, workflows: before.workflows + 1 + arns.length });
  });
});

describe('Start with an Idempotency-Key (two people, one console)', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  let payments: string;
  beforeAll(async () => {
    t = await startTeamsConsole();
    payments = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/payments/ledger-app' }))).RotationLambdaARN!;
  });
  afterAll(() => t.close());

  const waitFor = async (id: string) => {
    for (;;) {
      await t.console.api.runner.idle();
      await t.console.api.batchDispatcher.idle();
      const batch = (await (await t.call('admin', `/api/v1/batches/${id}`)).json()) as Batch;
      if (batch.status !== 'running' && batch.status !== 'pending') return batch;
    }
  };

  it("When someone else sends a key another person's Start used, then it is their own key: a batch of their own, and the first person still gets theirs", async () => {
    // Arrange
    const arn = await createFormattedSecret('test/batches/key-theirs-1');
    const body = enable([arn], payments);
    const key = randomUUID();
    const headers = { 'idempotency-key': key };
    const owners = await t.call('owner', '/api/v1/batches', { body, headers });
    expect(owners.status).toBe(202);
    const ownersBatch = (await owners.json()) as BatchAccepted;
    await waitFor(ownersBatch.id);

    // Act
    const admins = await t.call('admin', '/api/v1/batches', { body, headers });
    const adminsBatch = (await admins.json()) as BatchAccepted;
    await waitFor(adminsBatch.id);
    const ownersAgain = await t.call('owner', '/api/v1/batches', { body, headers });
    const adminsAgain = await t.call('admin', '/api/v1/batches', { body, headers });

    // Assert
    expect([admins.status, ownersAgain.status, adminsAgain.status]).toEqual([202, 202, 202]);
    expect(adminsBatch.id).not.toBe(ownersBatch.id);
    expect(((await ownersAgain.json()) as BatchAccepted).id).toBe(ownersBatch.id);
    expect(((await adminsAgain.json()) as BatchAccepted).id).toBe(adminsBatch.id);
  });
});
