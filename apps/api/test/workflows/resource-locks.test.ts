import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { ResourceLocks } from '../../src/platform/workflow/resource-locks.ts';

const logger = createLogger('silent');

describe.each(TEST_DIALECTS)('Resource locks on %s', (dialect) => {
  let testDb: TestDatabase;
  // Two connections to one database: two API processes.
  let one: DatabaseHandle;
  let two: DatabaseHandle;
  const locks = (handle: DatabaseHandle, runner: string, leaseMs = 5000) =>
    new ResourceLocks(handle.db, { runner, leaseMs, heartbeatMs: Math.floor(leaseMs / 3), pollMs: 10 });

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    one = testDb.open();
    two = testDb.open();
    await migrateToLatest(one.db);
  });
  afterAll(async () => {
    await one?.destroy();
    await two?.destroy();
    await testDb?.drop();
  });

  it('When two processes take one lock, then one wins; the other gets it once it is released', async () => {
    const a = locks(one, 'a');
    const b = locks(two, 'b');

    const won = await Promise.all([a.tryAcquire('vpc-endpoint:r:vpc-1', 'a-1', 'wf-a'), b.tryAcquire('vpc-endpoint:r:vpc-1', 'b-1', 'wf-b')]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = won[0] ? [a, b] : [b, a];
    const [winnerOwner, loserOwner] = won[0] ? ['a-1', 'b-1'] : ['b-1', 'a-1'];

    await loser.release('vpc-endpoint:r:vpc-1', loserOwner); // not the holder: changes nothing
    expect(await loser.tryAcquire('vpc-endpoint:r:vpc-1', loserOwner, null)).toBe(false);
    await winner.release('vpc-endpoint:r:vpc-1', winnerOwner);
    expect(await loser.tryAcquire('vpc-endpoint:r:vpc-1', loserOwner, null)).toBe(true);
    await loser.release('vpc-endpoint:r:vpc-1', loserOwner);
  });

  it('When the holder died without releasing, then another takes the lock once its lease ran out, and not before', async () => {
    const dead = locks(one, 'dead', 200);
    const alive = locks(two, 'alive', 200);
    expect(await dead.tryAcquire('iam-role:shared', 'dead-1', 'wf-dead')).toBe(true);
    expect(await alive.tryAcquire('iam-role:shared', 'alive-1', 'wf-alive')).toBe(false);

    const ran = await alive.exclusive(
      'iam-role:shared',
      { workflowId: 'wf-alive', stepId: 's' },
      { signal: new AbortController().signal, logger },
      async () => {
        const holder = await alive.holderOf('iam-role:shared');
        return holder?.workflowId;
      },
    );

    expect(ran).toBe('wf-alive');
    expect(await alive.holderOf('iam-role:shared')).toBeNull();
  });

  it('When steps of two processes run under one lock at once, then they run one after the other, and the lock outlives its lease while the holder works', async () => {
    // A lease of 600 ms renewed every 200 ms: short enough for the work to outlast it several times,
    // with 400 ms of slack for a renewal on a loaded machine (a 150 ms lease, renewed every 50 ms, once
    // lapsed under a load average over 20 and let a second holder in).
    const a = locks(one, 'a', 600);
    const b = locks(two, 'b', 600);
    let inside = 0;
    let most = 0;
    const work = (l: ResourceLocks, id: string) =>
      l.exclusive('lambda-function:arn:fn', { workflowId: id, stepId: 's' }, { signal: new AbortController().signal, logger }, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 1500)); // longer than the lease: the heartbeat keeps it
        inside -= 1;
        return id;
      });

    expect(await Promise.all([work(a, 'wf-a'), work(b, 'wf-b'), work(a, 'wf-c')])).toEqual(['wf-a', 'wf-b', 'wf-c']);
    expect(most).toBe(1);
  });

  it('When the step is aborted while it waits, then it stops waiting and never runs', async () => {
    const a = locks(one, 'a');
    const b = locks(two, 'b');
    expect(await a.tryAcquire('vpc-endpoint:r:vpc-2', 'a-1', 'wf-a')).toBe(true);
    const controller = new AbortController();
    let ran = false;

    const waiting = b.exclusive('vpc-endpoint:r:vpc-2', { workflowId: 'wf-b', stepId: 's' }, { signal: controller.signal, logger }, async () => {
      ran = true;
    });
    controller.abort(new Error('the runner stopped'));

    await expect(waiting).rejects.toThrow();
    expect(ran).toBe(false);
    await a.release('vpc-endpoint:r:vpc-2', 'a-1');
  });
});
