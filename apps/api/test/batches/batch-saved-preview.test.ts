import { DescribeSecretCommand, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Batch, BatchAccepted, BatchPage, BatchPreview, BatchRequestInput, ErrorBody } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_PREVIEW_TTL_MS } from '../../src/modules/batches/batch-preview-store.ts';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

// Start applies the plan the preview kept (`previewId`), as `terraform plan -out` then apply: no
// second planning, so no AWS read per secret at Start; what may change is checked again cheaply
// (the policy, a running workflow, the acknowledgement), and each item's workflow is still admitted
// against AWS before it changes anything.

const enable = (secretIds: string[], functionArn: string, extra: { acknowledgeSharedFunction?: boolean } = {}): BatchRequestInput => ({
  selection: { kind: 'secrets', secretIds },
  action: {
    action: 'enable',
    schedule: { kind: 'expression', expression: 'cron(0 3 ? * SAT *)' },
    duration: '2h',
    function: { mode: 'existing', functionArn, strategy: 'single-user' },
    ...extra,
  },
  preflight: false,
});

const describeSecret = (secretId: string) => aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
const errorOf = (body: unknown) => (body as ErrorBody).error;

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
});

describe('Start with the preview kept (one console, local admin)', () => {
  // The proxy can hold every AWS call until the test lets them through: what Start waits for, it shows.
  let gate: { open: () => void; closed: Promise<void> } | null = null;
  const held: string[] = [];
  let proxy: Awaited<ReturnType<typeof startAwsProxy>>;
  let api: Awaited<ReturnType<typeof buildApi>>;
  let functionArn: string;
  beforeAll(async () => {
    proxy = await startAwsProxy({
      target: motoEndpoint(),
      intercept: async ({ headers, path }) => {
        if (gate) {
          held.push(typeof headers['x-amz-target'] === 'string' ? headers['x-amz-target'] : path);
          await gate.closed;
        }
        return undefined;
      },
    });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url });
    functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: 'SecretsManager-postgres-single-user' }))).Configuration!.FunctionArn!;
  });
  afterAll(async () => {
    gate?.open();
    await api.close();
    await proxy.close();
  });

  const holdAws = () => {
    let open!: () => void;
    const closed = new Promise<void>((resolve) => (open = resolve));
    gate = {
      open: () => {
        gate = null;
        open();
      },
      closed,
    };
    return gate;
  };
  const preview = async (body: BatchRequestInput) => (await request(api.app).post('/api/v1/batches/preview').send(body).expect(200)).body as BatchPreview;
  const start = (body: object) => request(api.app).post('/api/v1/batches').send(body);
  const waitForBatch = async (id: string): Promise<Batch> => {
    for (;;) {
      await api.runner.idle();
      await api.batchDispatcher.idle();
      const batch = (await request(api.app).get(`/api/v1/batches/${id}`).expect(200)).body as Batch;
      if (batch.status !== 'running' && batch.status !== 'pending') return batch;
    }
  };
  const batchCount = async () => ((await request(api.app).get('/api/v1/batches').expect(200)).body as BatchPage).total;
  const keptPreviews = async () => (await api.database.db.selectFrom('batch_previews').select('id').execute()).map((r) => r.id);
  const expire = (previewId: string) =>
    api.database.db
      .updateTable('batch_previews')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', previewId)
      .execute();

  it('When a batch is previewed, then the answer names the kept plan and when it expires, 15 minutes on', async () => {
    const arn = await createFormattedSecret('test/batches/kept-answer-1');
    const before = Date.now();

    const plan = await preview(enable([arn], functionArn));

    expect(plan.previewId).toMatch(/^[0-9a-f-]{36}$/);
    expect(BATCH_PREVIEW_TTL_MS).toBe(15 * 60_000);
    expect(Date.parse(plan.expiresAt) - before).toBeGreaterThanOrEqual(BATCH_PREVIEW_TTL_MS - 1000);
    expect(Date.parse(plan.expiresAt) - Date.now()).toBeLessThanOrEqual(BATCH_PREVIEW_TTL_MS);
    expect(await keptPreviews()).toContain(plan.previewId);
  });

  it('When Start sends the previewId while every AWS call is held, then the batch is accepted without waiting for AWS, and once AWS answers every secret gets its rotation', async () => {
    const arns = await Promise.all([1, 2, 3, 4, 5].map((i) => createFormattedSecret(`test/batches/kept-held-${i}`)));
    const body = enable(arns, functionArn);
    const plan = await preview(body);
    const { open } = holdAws();

    let accepted: request.Response | 'timed out';
    try {
      // Planning again would read each secret (DescribeSecret, GetSecretValue) and wait here for the gate.
      accepted = await Promise.race([start({ ...body, previewId: plan.previewId }), new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), 15_000))]);
    } finally {
      open();
    }

    expect(accepted).not.toBe('timed out');
    const answer = accepted as request.Response;
    expect(answer.status).toBe(202);
    expect((answer.body as BatchAccepted).totals).toEqual({ selected: 5, included: 5, refused: 0 });
    // What was asked of AWS while Start ran: at most the shared step's admission, never a read per secret.
    expect(held.filter((op) => op === 'secretsmanager.GetSecretValue')).toEqual([]);
    const batch = await waitForBatch((answer.body as BatchAccepted).id);
    expect(batch.status).toBe('succeeded');
    for (const arn of arns) expect((await describeSecret(arn)).RotationLambdaARN).toBe(functionArn);
    expect(await keptPreviews()).not.toContain(plan.previewId);
  });

  it('When the same previewId is sent twice, then the second Start is refused with 409 and starts nothing', async () => {
    const arn = await createFormattedSecret('test/batches/kept-twice-1');
    const body = enable([arn], functionArn);
    const plan = await preview(body);
    await waitForBatch(((await start({ ...body, previewId: plan.previewId }).expect(202)).body as BatchAccepted).id);
    const batches = await batchCount();

    const again = await start({ ...body, previewId: plan.previewId });

    expect(again.status).toBe(409);
    expect(errorOf(again.body).message).toBe(`The preview ${plan.previewId} was not found: it was used already, or it expired and was removed; preview again.`);
    expect(errorOf(again.body).details).toEqual([{ path: 'previewId', message: errorOf(again.body).message }]);
    expect(await batchCount()).toBe(batches);
  });

  it('When the preview has expired, then Start answers 409 saying when, and nothing is started', async () => {
    const arn = await createFormattedSecret('test/batches/kept-expired-1');
    const body = enable([arn], functionArn);
    const plan = await preview(body);
    await expire(plan.previewId);
    const expiredAt = (await api.database.db.selectFrom('batch_previews').select('expires_at').where('id', '=', plan.previewId).executeTakeFirstOrThrow())
      .expires_at;
    const batches = await batchCount();

    const res = await start({ ...body, previewId: plan.previewId });

    expect(res.status).toBe(409);
    expect(errorOf(res.body).message).toBe(`The preview ${plan.previewId} expired at ${expiredAt}; preview again.`);
    expect(await batchCount()).toBe(batches);
    expect((await describeSecret(arn)).RotationEnabled).toBeFalsy();
  });

  it('When expired previews are kept and a new preview is stored, then the expired ones are deleted and the others kept', async () => {
    const arn = await createFormattedSecret('test/batches/kept-prune-1');
    const old = await preview(enable([arn], functionArn));
    const live = await preview(enable([arn], functionArn));
    await expire(old.previewId);

    const next = await preview(enable([arn], functionArn));

    const kept = await keptPreviews();
    expect(kept).not.toContain(old.previewId);
    expect(kept).toEqual(expect.arrayContaining([live.previewId, next.previewId]));
  });

  it('When Start sends a previewId with another request than the one previewed, then it answers 409 and starts nothing; with the same request the preview still starts', async () => {
    const arns = await Promise.all([1, 2].map((i) => createFormattedSecret(`test/batches/kept-other-${i}`)));
    const body = enable(arns, functionArn);
    const plan = await preview(body);
    const batches = await batchCount();

    const otherSelection = await start({ ...enable(arns.slice(0, 1), functionArn), previewId: plan.previewId });
    const otherSchedule = await start({
      ...body,
      action: { ...(body.action as object), schedule: { kind: 'expression', expression: 'cron(0 4 ? * SAT *)' } },
      previewId: plan.previewId,
    });

    for (const res of [otherSelection, otherSchedule]) {
      expect(res.status).toBe(409);
      expect(errorOf(res.body).message).toBe(`The preview ${plan.previewId} was made for a different request; preview again.`);
    }
    expect(await batchCount()).toBe(batches);
    // Defaults count as given: the preview's request with them spelled out is the same request.
    const same = await start({ ...body, allOrNothing: false, previewId: plan.previewId });
    expect(same.status).toBe(202);
    await waitForBatch((same.body as BatchAccepted).id);
  });

  it('When the kept plan changes a function other secrets use, then Start with the preview needs the acknowledgement, which the preview did not carry', async () => {
    // payments' function (the demo tags it) also rotates prod/payments/ledger-app. Its invoke permission
    // is there already, so on moto nothing of it changes; the kept plan is made to say what a plan that
    // changes its role policy says (the wizard's tests show the planner saying it).
    const shared = (await describeSecret('prod/payments/ledger-app')).RotationLambdaARN!;
    const arn = await createFormattedSecret('test/batches/kept-ack-1');
    const plan = await preview(enable([arn], shared));
    const row = await api.database.db.selectFrom('batch_previews').select('plan').where('id', '=', plan.previewId).executeTakeFirstOrThrow();
    const kept = JSON.parse(row.plan) as { items: { spec: { input: { plan: { sharedFunction: Record<string, unknown> } } } | null }[] };
    for (const item of kept.items) {
      const impact = item.spec!.input.plan.sharedFunction;
      expect(impact).toMatchObject({ otherSecrets: [{ name: 'prod/payments/ledger-app' }] });
      Object.assign(impact, { changes: [{ what: 'role policy', before: 'no grant', after: 'may read the master secret' }], acknowledgementRequired: true });
    }
    await api.database.db
      .updateTable('batch_previews')
      .set({ plan: JSON.stringify(kept) })
      .where('id', '=', plan.previewId)
      .execute();

    const unacknowledged = await start({ ...enable([arn], shared), previewId: plan.previewId });
    const acknowledged = await start({ ...enable([arn], shared, { acknowledgeSharedFunction: true }), previewId: plan.previewId });

    expect(unacknowledged.status).toBe(409);
    expect(errorOf(unacknowledged.body).message).toContain(
      `also rotates prod/payments/ledger-app; this plan changes its role policy. Read the plan and acknowledge the change to continue.`,
    );
    expect(acknowledged.status).toBe(202);
    const batch = await waitForBatch((acknowledged.body as BatchAccepted).id);
    expect(batch.status).toBe('succeeded');
    const workflow = await api.store.get(batch.items[0]!.workflowId!);
    expect(workflow?.input).toMatchObject({ request: { acknowledgeSharedFunction: true } });
    expect((await describeSecret(arn)).RotationLambdaARN).toBe(shared);
  });
});

describe('Start with the preview kept (two people, one console)', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  let payments: string;
  beforeAll(async () => {
    t = await startTeamsConsole();
    payments = (await describeSecret('prod/payments/ledger-app')).RotationLambdaARN!;
  });
  afterAll(() => t.close());

  const waitForBatch = async (id: string): Promise<Batch> => {
    for (;;) {
      await t.console.api.runner.idle();
      await t.console.api.batchDispatcher.idle();
      const batch = (await (await t.call('owner', `/api/v1/batches/${id}`)).json()) as Batch;
      if (batch.status !== 'running' && batch.status !== 'pending') return batch;
    }
  };

  it("When someone else sends another person's previewId, then it is answered as a preview that does not exist (409), and the preview stays its maker's", async () => {
    const arn = await createFormattedSecret('test/batches/kept-theirs-1');
    const body = enable([arn], payments, { acknowledgeSharedFunction: true });
    const plan = (await (await t.call('owner', '/api/v1/batches/preview', { body })).json()) as BatchPreview;

    const byAdmin = await t.call('admin', '/api/v1/batches', { body: { ...body, previewId: plan.previewId } });
    const byOtherTeam = await t.call('other-team', '/api/v1/batches', { body: { ...body, previewId: plan.previewId } });

    // The same answer for both, whatever they may do: nothing of the plan (not even its secrets' names) is told.
    for (const res of [byAdmin, byOtherTeam]) {
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.message).toBe(
        `The preview ${plan.previewId} was not found: it was used already, or it expired and was removed; preview again.`,
      );
    }
    const byOwner = await t.call('owner', '/api/v1/batches', { body: { ...body, previewId: plan.previewId } });
    expect(byOwner.status).toBe(202);
    await waitForBatch(((await byOwner.json()) as BatchAccepted).id);
  });

  it("When a secret's tag gives it to another team after the preview, then Start with the preview includes it and its workflow's admission refuses it before anything changes; Start without a preview refuses it at once", async () => {
    const arns = await Promise.all([1, 2].map((i) => createFormattedSecret(`test/batches/kept-retag-${i}`)));
    const body = enable(arns, payments, { acknowledgeSharedFunction: true });
    const plan = (await (await t.call('owner', '/api/v1/batches/preview', { body })).json()) as BatchPreview;
    expect(plan.totals).toEqual({ selected: 2, included: 2, refused: 0 });
    await aws().secretsManager.send(new TagResourceCommand({ SecretId: arns[1], Tags: [{ Key: 'team', Value: 'identity' }] }));

    const replanned = await t.call('owner', '/api/v1/batches', { body: { ...body, allOrNothing: true } });
    const res = await t.call('owner', '/api/v1/batches', { body: { ...body, previewId: plan.previewId } });

    // Without the preview: planned again, the secret now identity's is not found for payments' operator, so all-or-nothing starts nothing.
    expect(replanned.status).toBe(409);
    expect(((await replanned.json()) as ErrorBody).error.message).toContain(arns[1]);
    // With the preview: no read of the secret at Start, so it is in the batch; its admission reads its owner now.
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as BatchAccepted;
    expect(accepted.totals).toEqual({ selected: 2, included: 2, refused: 0 });
    const batch = await waitForBatch(accepted.id);
    const mine = batch.items.find((i) => i.secretArn === arns[0]);
    expect(mine?.status).toBe('succeeded');
    const workflows = await Promise.all(arns.map((arn) => t.console.api.store.get(batch.items.find((i) => i.secretArn === arn)!.workflowId!)));
    expect(workflows[0]?.status).toBe('succeeded');
    expect(workflows[1]?.status).not.toBe('succeeded');
    expect(workflows[1]?.error).toMatch(/may not workflows:start on .*kept-retag-2.*team "identity"/);
    expect((await describeSecret(arns[1]!)).RotationEnabled).toBeFalsy();
    expect((await describeSecret(arns[0]!)).RotationLambdaARN).toBe(payments);
  });

  it('When the kept plan names a secret of a team the caller may no longer change, then Start refuses that secret as not allowed and starts the others', async () => {
    // The policy as it is at Start, for the caller as they are then, on the team the plan read. A
    // caller who left a team since is what this stands for; here the kept plan says the second
    // secret is identity's (what a preview by someone of both teams would have kept).
    const names = [1, 2].map((i) => `test/batches/kept-policy-${i}`);
    const arns = await Promise.all(names.map((name) => createFormattedSecret(name)));
    const body = enable(arns, payments, { acknowledgeSharedFunction: true });
    const plan = (await (await t.call('owner', '/api/v1/batches/preview', { body })).json()) as BatchPreview;
    expect(plan.totals.included).toBe(2);
    const db = t.console.api.database.db;
    const row = await db.selectFrom('batch_previews').select('plan').where('id', '=', plan.previewId).executeTakeFirstOrThrow();
    const kept = JSON.parse(row.plan) as { items: { secretArn: string; team: string | null }[] };
    for (const item of kept.items) if (item.secretArn === arns[1]) item.team = 'identity';
    await db
      .updateTable('batch_previews')
      .set({ plan: JSON.stringify(kept) })
      .where('id', '=', plan.previewId)
      .execute();

    const res = await t.call('owner', '/api/v1/batches', { body: { ...body, previewId: plan.previewId } });

    expect(res.status).toBe(202);
    const accepted = (await res.json()) as BatchAccepted;
    expect(accepted.totals).toEqual({ selected: 2, included: 1, refused: 1 });
    const batch = await waitForBatch(accepted.id);
    expect(batch.items.find((i) => i.secretArn === arns[0])?.status).toBe('succeeded');
    const refused = await db
      .selectFrom('batch_items')
      .selectAll()
      .where('batch_id', '=', accepted.id)
      .where('secret_arn', '=', arns[1]!)
      .executeTakeFirstOrThrow();
    expect(refused.workflow_id).toBeNull();
    expect(JSON.parse(refused.refusal!)).toEqual({
      reason: 'not-allowed',
      message: `You may no longer start a workflow on ${names[1]}: it belongs to team "identity", not to one of yours.`,
    });
    expect((await describeSecret(arns[1]!)).RotationEnabled).toBeFalsy();
  });
});
