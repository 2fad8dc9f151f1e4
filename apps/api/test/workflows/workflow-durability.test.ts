import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/platform/auth.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { StepSpec } from '../../src/platform/workflow/records.ts';
import { WorkflowRunner, type WorkflowRunnerOptions } from '../../src/platform/workflow/runner.ts';
import { StepRegistry, type StepRun } from '../../src/platform/workflow/step-registry.ts';
import { WorkflowStore } from '../../src/platform/workflow/workflow-store.ts';

const ada: Principal = { id: 'ada', name: 'Ada Lovelace', roles: ['operator'], teams: ['payments'] };
const logger = createLogger('silent');
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** A promise the test opens when it wants a blocked step to go on. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 3000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await delay(5);
  }
};

describe.each(TEST_DIALECTS)('Workflow durability on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let store: WorkflowStore;
  const cleanups: (() => Promise<void> | void)[] = [];

  /** A runner on its own connection (pool), as a separate API process would have. */
  const apiProcess = (steps: Record<string, StepRun>, options: Partial<WorkflowRunnerOptions> = {}) => {
    const own = testDb.open();
    const runner = new WorkflowRunner({ db: own.db, registry: new StepRegistry(steps), logger, retry: fastRetry, ...options });
    let destroyed = false;
    const crash = async () => {
      if (destroyed) return;
      destroyed = true;
      await runner.stop({ graceMs: 0 });
      await own.destroy();
    };
    cleanups.push(crash);
    return { runner, crash };
  };
  const createWorkflow = async (steps: StepSpec[]) =>
    (await store.create({ kind: 'test', subject: `arn:durable:${dialect}`, input: {}, plan: { steps }, createdBy: ada })).workflow;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    store = new WorkflowStore(handle.db);
  });
  beforeEach(async () => {
    // resumeUnfinished() sees every workflow in the database: each test starts from none.
    await handle.db.deleteFrom('workflow_steps').execute();
    await handle.db.deleteFrom('workflows').execute();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When a runner crashes mid-step, then after its lease expires another resumes: done steps are not rerun, the cut step reruns with its token', async () => {
    // Arrange
    const workflow = await createWorkflow([
      { id: 'one', kind: 'one', dependsOn: [] },
      { id: 'two', kind: 'two', dependsOn: ['one'] },
      { id: 'three', kind: 'three', dependsOn: ['two'] },
    ]);
    const calls = { one: 0, two: [] as string[], three: 0 };
    const stuck = gate();
    const steps = (blockTwo: boolean): Record<string, StepRun> => ({
      one: async () => {
        calls.one += 1;
        return { output: { functionArn: 'arn:aws:lambda:fn' } };
      },
      two: async (ctx) => {
        calls.two.push(ctx.idempotencyToken);
        if (blockTwo) await stuck.opened; // the process dies while this waits on AWS
        return { output: { saw: ctx.dependencies.one?.functionArn } };
      },
      three: async () => {
        calls.three += 1;
        return {};
      },
    });
    const first = apiProcess(steps(true), { leaseMs: 300, heartbeatMs: 50 });
    first.runner.start(workflow.id);
    await waitFor(() => calls.two.length === 1);

    // Act
    await first.crash();
    const second = apiProcess(steps(false), { leaseMs: 300 });
    const tooEarly = await second.runner.resumeUnfinished();
    await delay(350);
    const resumed = await second.runner.resumeUnfinished();
    await second.runner.idle();
    stuck.open();

    // Assert
    expect(tooEarly).toEqual([]); // the dead runner's lease had not run out yet
    expect(resumed).toEqual([workflow.id]);
    const stored = await store.get(workflow.id);
    expect(stored?.status).toBe('succeeded');
    expect(stored?.leaseOwner).toBeNull();
    expect(calls.one).toBe(1);
    expect(calls.two).toEqual([stored?.steps[1]?.idempotencyToken, stored?.steps[1]?.idempotencyToken]);
    expect(calls.three).toBe(1);
    expect(stored?.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['one', 'succeeded', 1],
      ['two', 'succeeded', 2],
      ['three', 'succeeded', 1],
    ]);
    expect(stored?.steps[1]?.output).toEqual({ saw: 'arn:aws:lambda:fn' });
  });

  it('When two runners race to resume 20 workflows, then every step runs exactly once', async () => {
    // Arrange
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        (
          await createWorkflow([
            { id: 'a', kind: 'work', dependsOn: [] },
            { id: 'b', kind: 'work', dependsOn: ['a'] },
            { id: 'c', kind: 'work', dependsOn: ['a'] },
          ])
        ).id,
      );
    }
    const invocations = new Map<string, number>();
    const work: StepRun = async (ctx) => {
      const key = `${ctx.workflow.id}/${ctx.step.id}`;
      invocations.set(key, (invocations.get(key) ?? 0) + 1);
      await delay(Math.floor(Math.random() * 3));
      return {};
    };
    const one = apiProcess({ work }, { leaseMs: 5000 });
    const two = apiProcess({ work }, { leaseMs: 5000 });

    // Act
    await Promise.all([one.runner.resumeUnfinished(), two.runner.resumeUnfinished()]);
    await Promise.all([one.runner.idle(), two.runner.idle()]);

    // Assert
    expect(invocations.size).toBe(60);
    expect([...invocations.values()].every((n) => n === 1)).toBe(true);
    const finished = await store.list({ subject: `arn:durable:${dialect}`, limit: 50 });
    expect(finished.items.map((w) => w.status)).toEqual(Array.from({ length: 20 }, () => 'succeeded'));
  });

  it('When a runner stops gracefully, then the running step ends, its lease is released and another runner goes on at once', async () => {
    // Arrange
    const workflow = await createWorkflow([
      { id: 'a', kind: 'a', dependsOn: [] },
      { id: 'b', kind: 'b', dependsOn: ['a'] },
    ]);
    const calls: string[] = [];
    const aRunning = gate();
    const finishA = gate();
    const first = apiProcess(
      {
        a: async () => {
          calls.push('a');
          aRunning.open();
          await finishA.opened;
          return { output: { made: 'a' } };
        },
      },
      { leaseMs: 60_000 },
    );
    first.runner.start(workflow.id);
    await aRunning.opened;

    // Act
    const stopped = first.runner.stop({ graceMs: 3000 });
    finishA.open();
    await stopped;
    const between = await store.get(workflow.id);
    const second = apiProcess({ b: async () => (calls.push('b'), {}) }, { leaseMs: 60_000 });
    const resumed = await second.runner.resumeUnfinished();
    await second.runner.idle();

    // Assert
    expect(between?.status).toBe('running');
    expect(between?.leaseOwner).toBeNull();
    expect(between?.steps.map((s) => s.status)).toEqual(['succeeded', 'pending']);
    expect(resumed).toEqual([workflow.id]);
    expect(calls).toEqual(['a', 'b']);
    expect((await store.get(workflow.id))?.status).toBe('succeeded');
  });

  it('When a stalled runner lost its lease to another, then its late result is not stored and it stops', async () => {
    // Arrange
    const workflow = await createWorkflow([{ id: 'only', kind: 'step', dependsOn: [] }]);
    const slow = gate();
    const started = gate();
    // No heartbeat within the test: the lease runs out while the step still waits.
    const stalled = apiProcess(
      {
        step: async () => {
          started.open();
          await slow.opened;
          return { output: { by: 'stalled' } };
        },
      },
      { leaseMs: 150, heartbeatMs: 60_000 },
    );
    const stalledRun = stalled.runner.run(workflow.id);
    await started.opened;
    await delay(200);
    const healthy = apiProcess({ step: async () => ({ output: { by: 'healthy' } }) }, { leaseMs: 60_000 });

    // Act
    await healthy.runner.resumeUnfinished();
    await healthy.runner.idle();
    slow.open();
    const late = await stalledRun;

    // Assert
    expect(late).toMatchObject({ result: 'interrupted' });
    const stored = await store.get(workflow.id);
    expect(stored?.status).toBe('succeeded');
    expect(stored?.steps[0]).toMatchObject({ status: 'succeeded', output: { by: 'healthy' } });
  });
});
