import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/platform/auth.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { StepEvent, WorkflowEvent } from '../../src/platform/workflow/events.ts';
import type { StepSpec } from '../../src/platform/workflow/records.ts';
import { WorkflowRunner } from '../../src/platform/workflow/runner.ts';
import { StepError } from '../../src/platform/workflow/step-error.ts';
import { StepRegistry, type StepContext, type StepRun } from '../../src/platform/workflow/step-registry.ts';
import { WorkflowStore } from '../../src/platform/workflow/workflow-store.ts';

const ada: Principal = { id: 'ada', name: 'Ada Lovelace', roles: ['operator'], teams: ['payments'] };
const logger = createLogger('silent');
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** Resolves once `parties` callers wait on it; fails if they never all arrive (so never ran at once). */
const barrier = (parties: number, timeoutMs = 3000) => {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) open();
    const timeout = delay(timeoutMs).then(() => {
      throw new Error(`only ${arrived} of ${parties} steps ran at the same time`);
    });
    await Promise.race([opened, timeout]);
  };
};

describe.each(TEST_DIALECTS)('Workflow runner on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let store: WorkflowStore;
  let runner: WorkflowRunner | undefined;

  const startRunner = (steps: Record<string, StepRun>) => {
    runner = new WorkflowRunner({ db: handle.db, registry: new StepRegistry(steps), logger, leaseMs: 5000, retry: fastRetry });
    return runner;
  };
  const createWorkflow = async (steps: StepSpec[], input: unknown = { want: 'rotation' }) =>
    (await store.create({ kind: 'test', subject: `arn:test:${dialect}`, input, plan: { steps }, createdBy: ada })).workflow;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    store = new WorkflowStore(handle.db);
  });
  afterEach(async () => {
    await runner?.stop({ graceMs: 1000 });
    runner = undefined;
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When a diamond plan runs, then b and c run in parallel, d runs after both and sees their outputs', async () => {
    // Arrange
    const bothRunning = barrier(2);
    const seen: Record<string, StepContext> = {};
    const record = (ctx: StepContext) => {
      seen[ctx.step.id] = ctx;
    };
    const workflow = await createWorkflow([
      { id: 'a', kind: 'make', dependsOn: [], input: { name: 'function' } },
      { id: 'b', kind: 'side', dependsOn: ['a'] },
      { id: 'c', kind: 'side', dependsOn: ['a'] },
      { id: 'd', kind: 'join', dependsOn: ['b', 'c'] },
    ]);
    const r = startRunner({
      make: async (ctx) => {
        record(ctx);
        return { output: { arn: 'arn:aws:lambda:fn' }, awsRequestId: 'req-a' };
      },
      side: async (ctx) => {
        record(ctx);
        await bothRunning();
        return { output: { from: ctx.step.id, fn: ctx.dependencies.a?.arn } };
      },
      join: async (ctx) => {
        record(ctx);
        return { output: { saw: Object.keys(ctx.dependencies).sort() } };
      },
    });
    const stepEvents: StepEvent[] = [];
    const workflowEvents: WorkflowEvent[] = [];
    r.events.on('step', (e) => stepEvents.push(e));
    r.events.on('workflow', (e) => workflowEvents.push(e));

    // Act
    const result = await r.run(workflow.id);

    // Assert
    expect(result).toEqual({ workflowId: workflow.id, result: 'finished', status: 'succeeded' });
    const stored = await store.get(workflow.id);
    expect(stored?.status).toBe('succeeded');
    expect(stored?.leaseOwner).toBeNull();
    expect(stored?.startedAt).not.toBeNull();
    expect(stored?.finishedAt).not.toBeNull();
    const [a, b, c, d] = stored?.steps ?? [];
    expect([a, b, c, d].map((s) => [s?.status, s?.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
    expect(a).toMatchObject({ output: { arn: 'arn:aws:lambda:fn' }, awsRequestId: 'req-a', error: null });
    // b and c overlapped (the barrier proved it; times are to the millisecond); d started only after both ended.
    expect(b!.startedAt! <= c!.finishedAt! && c!.startedAt! <= b!.finishedAt!).toBe(true);
    expect(d!.startedAt! >= b!.finishedAt! && d!.startedAt! >= c!.finishedAt!).toBe(true);
    expect(d?.output).toEqual({ saw: ['b', 'c'] });
    expect(seen.d?.dependencies).toEqual({ b: { from: 'b', fn: 'arn:aws:lambda:fn' }, c: { from: 'c', fn: 'arn:aws:lambda:fn' } });
    expect(seen.a).toMatchObject({ input: { name: 'function' }, idempotencyToken: a?.idempotencyToken, principal: ada, attempt: 1 });
    expect(seen.a?.workflow).toEqual({ id: workflow.id, kind: 'test', subject: `arn:test:${dialect}`, input: { want: 'rotation' } });
    expect(stepEvents.filter((e) => e.stepId === 'd').map((e) => e.status)).toEqual(['running', 'succeeded']);
    expect(workflowEvents.map((e) => [e.workflowId, e.status, e.error])).toEqual([
      [workflow.id, 'running', null],
      [workflow.id, 'succeeded', null],
    ]);
    const audit = await store.listAudit({ workflowId: workflow.id });
    expect(audit.items).toEqual([expect.objectContaining({ action: 'test.finish', outcome: 'succeeded', actor: { id: 'ada', name: 'Ada Lovelace' } })]);
  });

  it('When a step fails, then the workflow fails with its error and its dependents are skipped', async () => {
    // Arrange
    const workflow = await createWorkflow([
      { id: 'a', kind: 'ok', dependsOn: [] },
      { id: 'b', kind: 'broken', title: 'Allow Secrets Manager to invoke the function', dependsOn: ['a'] },
      { id: 'c', kind: 'ok', dependsOn: ['a'] },
      { id: 'd', kind: 'ok', title: 'Turn rotation on', dependsOn: ['b', 'c'] },
      { id: 'e', kind: 'ok', dependsOn: ['d'] },
    ]);
    let brokenCalls = 0;
    const r = startRunner({
      ok: async (ctx) => ({ output: { step: ctx.step.id } }),
      broken: async () => {
        brokenCalls += 1;
        throw new StepError({ message: 'AccessDeniedException: not allowed to lambda:AddPermission', awsRequestId: 'req-denied' });
      },
    });

    // Act
    const result = await r.run(workflow.id);

    // Assert
    expect(result).toMatchObject({ result: 'finished', status: 'failed' });
    const stored = await store.get(workflow.id);
    expect(stored?.status).toBe('failed');
    // In words: the step's title, never its id.
    expect(stored?.error).toBe(
      'The step \u201cAllow Secrets Manager to invoke the function\u201d failed: AccessDeniedException: not allowed to lambda:AddPermission',
    );
    expect(brokenCalls).toBe(1); // not retryable: tried once
    const byId = Object.fromEntries((stored?.steps ?? []).map((s) => [s.id, s]));
    expect(byId.b).toMatchObject({
      status: 'failed',
      attempts: 1,
      awsRequestId: 'req-denied',
      error: 'AccessDeniedException: not allowed to lambda:AddPermission',
    });
    expect(byId.b?.finishedAt).not.toBeNull();
    expect(byId.c?.status).toBe('succeeded'); // started beside b, so it finished
    expect(byId.d).toMatchObject({ status: 'skipped', attempts: 0, error: 'Skipped: \u201cAllow Secrets Manager to invoke the function\u201d failed.' });
    expect(byId.e).toMatchObject({ status: 'skipped', attempts: 0, error: 'Skipped: \u201cTurn rotation on\u201d was skipped.' });
  });

  it('When a step throws a retryable error, then it is retried with the same token and then succeeds', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'rotate', kind: 'flaky', dependsOn: [] }]);
    const calls: { attempt: number; token: string }[] = [];
    const r = startRunner({
      flaky: async (ctx) => {
        calls.push({ attempt: ctx.attempt, token: ctx.idempotencyToken });
        if (calls.length === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', retryable: true });
        if (calls.length === 2) throw new StepError({ message: 'InternalServiceError', retryable: true });
        return { output: { rotated: true }, awsRequestId: 'req-ok' };
      },
    });

    // Act
    const result = await r.run(workflow.id);

    // Assert
    expect(result).toMatchObject({ result: 'finished', status: 'succeeded' });
    const step = (await store.get(workflow.id))?.steps[0];
    expect(step).toMatchObject({ status: 'succeeded', attempts: 3, output: { rotated: true }, awsRequestId: 'req-ok', error: null });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(calls.map((c) => c.token))).toEqual(new Set([step?.idempotencyToken]));
  });

  it('When a retryable error does not go away, then the step fails after the last attempt', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'rotate', kind: 'throttled', dependsOn: [] }]);
    let calls = 0;
    const r = startRunner({
      throttled: async () => {
        calls += 1;
        throw new StepError({ message: 'Rate exceeded', retryable: true, awsRequestId: `req-${calls}` });
      },
    });

    // Act
    const result = await r.run(workflow.id);

    // Assert
    expect(result).toMatchObject({ result: 'finished', status: 'failed' });
    expect(calls).toBe(fastRetry.maxAttempts);
    const stored = await store.get(workflow.id);
    expect(stored?.steps[0]).toMatchObject({ status: 'failed', attempts: 3, error: 'Rate exceeded', awsRequestId: 'req-3' });
  });

  it('When a step kind has no registered function, then the step fails with that message', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'x', kind: 'not-registered', dependsOn: [] }]);
    const r = startRunner({});

    // Act
    await r.run(workflow.id);

    // Assert
    const stored = await store.get(workflow.id);
    expect(stored?.status).toBe('failed');
    expect(stored?.steps[0]?.error).toBe('No step is registered for kind "not-registered".');
  });

  it('When a finished workflow is started again, then nothing runs', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'once', kind: 'count', dependsOn: [] }]);
    let calls = 0;
    const r = startRunner({
      count: async () => {
        calls += 1;
        return {};
      },
    });
    await r.run(workflow.id);

    // Act
    const again = await r.run(workflow.id);
    r.start(workflow.id);
    await r.idle();

    // Assert
    expect(again).toEqual({ workflowId: workflow.id, result: 'not-acquired' });
    expect(calls).toBe(1);
  });

  it('When steps are independent, then no more than the step concurrency run at once', async () => {
    // Arrange
    const workflow = await createWorkflow(Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, kind: 'slow', dependsOn: [] })));
    let running = 0;
    let most = 0;
    runner = new WorkflowRunner({
      db: handle.db,
      logger,
      stepConcurrency: 2,
      retry: fastRetry,
      registry: new StepRegistry({
        slow: async () => {
          running += 1;
          most = Math.max(most, running);
          await delay(20);
          running -= 1;
          return {};
        },
      }),
    });

    // Act
    const result = await runner.run(workflow.id);

    // Assert
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(most).toBe(2);
  });

  it('When the policy check before the first step fails once (throttling), then it is asked again and the workflow runs, not left pending', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'a', kind: 'make', dependsOn: [] }]);
    let asked = 0;
    runner = new WorkflowRunner({
      db: handle.db,
      registry: new StepRegistry({ make: async () => ({ output: {}, awsRequestId: null }) }),
      logger,
      leaseMs: 5000,
      retry: fastRetry,
      admit: async () => {
        asked += 1;
        if (asked === 1) throw new Error('ThrottlingException: Rate exceeded');
        return { allowed: true, actor: null };
      },
    });

    // Act
    const result = await runner.run(workflow.id);

    // Assert: asked again at once, not after the next sweep.
    expect(result).toMatchObject({ result: 'finished', status: 'succeeded' });
    expect((await store.get(workflow.id))!.status).toBe('succeeded');
  });

  it('When a workflow of two steps runs, then the policy is asked as it starts (for its first step too, moments later) and again before the second step, which it refuses once the secret changed hands', async () => {
    // Arrange: the secret changes hands while the first step runs.
    const workflow = await createWorkflow([
      { id: 'a', kind: 'make', dependsOn: [] },
      { id: 'b', kind: 'make', dependsOn: ['a'] },
    ]);
    let asked = 0;
    let owner = 'payments';
    const ran: string[] = [];
    runner = new WorkflowRunner({
      db: handle.db,
      registry: new StepRegistry({
        make: async (ctx) => {
          ran.push(ctx.step.id);
          owner = 'billing';
          return { output: {}, awsRequestId: null };
        },
      }),
      logger,
      leaseMs: 5000,
      retry: fastRetry,
      admit: async () => {
        asked += 1;
        return owner === 'payments' ? { allowed: true, actor: null } : { allowed: false, reason: 'the secret belongs to billing now' };
      },
    });

    // Act
    const result = await runner.run(workflow.id);

    // Assert: two asks, not three: the first step took the workflow's own admission; the second asked and was refused.
    expect(asked).toBe(2);
    expect(ran).toEqual(['a']);
    expect(result).toMatchObject({ result: 'finished', status: 'failed' });
    expect((await store.get(workflow.id))!.error).toContain('belongs to billing');
  });
});
