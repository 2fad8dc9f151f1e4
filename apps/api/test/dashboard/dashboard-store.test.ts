import type { SecretStatus } from '@rotation-console/contracts';
import { findCurrentVersion, OVERDUE_GRACE_MS, type LastRotationEvidence } from '@rotation-console/rotation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIndexRow, toSecretSummary, type NewIndexRow } from '../../src/modules/dashboard/index-row.ts';
import { SecretIndexStore } from '../../src/modules/dashboard/index-store/secret-index-store.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import type { SecretRecord } from '../../src/modules/secrets/secrets.aws.ts';
import { makeTarget } from '../../src/platform/targets/target.ts';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-03-01T12:00:00.000Z');
const KEYS = { team: 'team', engine: 'engine' };
/** The secrets' account and region (secret() below). */
const HOME = makeTarget('123456789012', 'demo', 'us-east-1', null);

const secret = (name: string, over: Partial<SecretRecord> & { team?: string; engine?: string } = {}): SecretRecord => ({
  name,
  arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
  description: null,
  tags: [...(over.team ? [{ key: 'team', value: over.team }] : []), ...(over.engine ? [{ key: 'engine', value: over.engine }] : [])],
  owningService: null,
  createdDate: new Date('2026-01-01T00:00:00Z'),
  lastChangedDate: new Date('2026-01-01T00:00:00Z'),
  rotationEnabled: false,
  rotationLambdaArn: null,
  rotationRules: null,
  lastRotatedDate: null,
  nextRotationDate: null,
  versionStages: { v1: ['AWSCURRENT'] },
  ...over,
});

const rotating = (name: string, nextInDays: number, over: Partial<SecretRecord> & { team?: string; engine?: string } = {}) =>
  secret(name, {
    rotationEnabled: true,
    rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
    rotationRules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
    lastRotatedDate: new Date(NOW.getTime() + (nextInDays - 30) * DAY_MS),
    nextRotationDate: new Date(NOW.getTime() + nextInDays * DAY_MS),
    ...over,
  });

/** The function's log confirmed the rotation that made the current version (these tests are about the store, not the evidence). */
const confirmed = (s: SecretRecord): LastRotationEvidence | null => {
  const versionId = findCurrentVersion(s.versionStages);
  return versionId ? { versionId, result: 'rotated', failedStep: null } : null;
};

describe.each(TEST_DIALECTS)('The dashboard index store on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let store: SecretIndexStore;

  const crawl = async (owner: string, secrets: SecretRecord[], at = NOW, target = HOME) => {
    const generation = (await store.beginCrawl(target, owner, 60_000, at))!;
    const rows: NewIndexRow[] = secrets.map((s) => toIndexRow(s, KEYS, at, generation, confirmed(s)));
    for (let i = 0; i < rows.length; i += 3) await store.writeCrawlBatch(target, rows.slice(i, i + 3), generation, { owner, ms: 60_000 });
    return store.finishCrawl(target, owner, generation, { ms: 1, pages: Math.ceil(rows.length / 3) });
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    store = new SecretIndexStore(handle.db);
    await store.syncTargets([HOME]);
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When a crawl writes pages and finishes, then every row is there, counted, and the index is ready', async () => {
    // Arrange
    const secrets = [
      rotating('prod/a', 3, { team: 'payments', engine: 'postgres' }),
      rotating('prod/b', 20, { team: 'payments', engine: 'mysql' }),
      rotating('prod/c', -2, { team: 'identity', engine: 'postgres' }),
      secret('prod/d', { team: 'identity' }),
      secret('prod/e', { owningService: 'rds', engine: 'postgres' }),
      secret('dev/f', { team: 'payments', engine: 'mysql', rotationEnabled: true, versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } }),
      secret('dev/g'),
    ];

    // Act
    const finished = await crawl('one', secrets);
    const state = await store.state();

    // Assert
    expect(finished).toEqual({ deleted: 0, total: 7 });
    expect(state).toMatchObject({ secrets_indexed: 7, crawl_owner: null, last_error: null });
    expect(store.freshness(state, await store.targets(), 'index', NOW)).toMatchObject({ state: 'ready', secretsIndexed: 7, source: 'index' });
    const groups = await store.groupCounts();
    const count = (status: SecretStatus) => groups.filter((g) => g.status === status).reduce((n, g) => n + g.count, 0);
    expect([count('healthy'), count('overdue'), count('pending_or_failed'), count('not_enabled'), count('managed')]).toEqual([2, 1, 1, 2, 1]);
    expect(groups.filter((g) => g.covered).reduce((n, g) => n + g.count, 0)).toBe(5);
  });

  it('When the list is sorted by a column that may be empty, then empty sorts last ascending and first descending, the same on both databases', async () => {
    // Act
    const asc = await store.page({}, { sort: 'team', order: 'asc' }, 0, 10);
    const desc = await store.page({}, { sort: 'team', order: 'desc' }, 0, 10);
    const next = await store.page({}, { sort: 'nextRotationDate', order: 'asc' }, 0, 3);
    const status = await store.page({}, { sort: 'status', order: 'asc' }, 0, 10);

    // Assert
    expect(asc.rows.map((r) => r.team)).toEqual(['identity', 'identity', 'payments', 'payments', 'payments', null, null]);
    expect(asc.rows.map((r) => r.name).slice(0, 2)).toEqual(['prod/c', 'prod/d']);
    expect(desc.rows.map((r) => r.name)).toEqual(['prod/e', 'dev/g', 'prod/b', 'prod/a', 'dev/f', 'prod/d', 'prod/c']);
    expect(next.rows.map((r) => r.name)).toEqual(['prod/c', 'prod/a', 'prod/b']);
    expect(next.total).toBe(7);
    expect(status.rows.map((r) => r.status)).toEqual(['pending_or_failed', 'overdue', 'not_enabled', 'not_enabled', 'healthy', 'healthy', 'managed']);
  });

  it('When the list is filtered, then name matches anywhere regardless of case, with LIKE wildcards taken literally', async () => {
    // Act
    const contains = await store.page({ name: 'PROD/' }, { sort: 'name', order: 'asc' }, 0, 10);
    const wildcard = await store.page({ name: '%' }, { sort: 'name', order: 'asc' }, 0, 10);
    const combined = await store.page({ team: 'payments', engine: 'mysql', status: 'healthy' }, { sort: 'name', order: 'asc' }, 0, 10);

    // Assert
    expect(contains.total).toBe(5);
    expect(wildcard.total).toBe(0);
    expect(combined.rows.map((r) => r.name)).toEqual(['prod/b']);
  });

  it('When the Secrets list filters by a name prefix, then it matches the start of the name, case-sensitive (as ListSecrets does), the same on both databases', async () => {
    // Act
    const prefix = await store.page({ namePrefix: 'prod/' }, { sort: 'name', order: 'asc' }, 0, 10);
    const otherCase = await store.page({ namePrefix: 'PROD/' }, { sort: 'name', order: 'asc' }, 0, 10);
    const inside = await store.page({ namePrefix: 'rod/' }, { sort: 'name', order: 'asc' }, 0, 10);
    const wildcard = await store.page({ namePrefix: '%' }, { sort: 'name', order: 'asc' }, 0, 10);

    // Assert
    expect(prefix.rows.map((r) => r.name)).toEqual(['prod/a', 'prod/b', 'prod/c', 'prod/d', 'prod/e']);
    expect([otherCase.total, inside.total, wildcard.total]).toEqual([0, 0, 0]);
  });

  it('When a row is read back as a Secrets list row, then its tags, dates and rotation are what AWS said', async () => {
    // Arrange
    const source = rotating('tags/x', 12, {
      team: 'search',
      description: 'With tags',
      tags: [
        { key: 'team', value: 'search' },
        { key: 'cost-centre', value: '42' },
      ],
    });
    await store.upsertSome([toIndexRow(source, KEYS, NOW, await store.currentGeneration(), confirmed(source))]);

    // Act
    const row = (await store.page({ namePrefix: 'tags/' }, { sort: 'name', order: 'asc' }, 0, 1)).rows[0]!;

    // Assert
    expect(toSecretSummary(row)).toEqual({
      name: 'tags/x',
      arn: source.arn,
      accountId: '123456789012',
      region: 'us-east-1',
      description: 'With tags',
      tags: source.tags,
      team: 'search',
      owningService: null,
      createdDate: '2026-01-01T00:00:00.000Z',
      lastChangedDate: '2026-01-01T00:00:00.000Z',
      rotation: {
        enabled: true,
        lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
        rules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
        lastRotatedDate: source.lastRotatedDate!.toISOString(),
        nextRotationDate: source.nextRotationDate!.toISOString(),
      },
      status: 'healthy',
      failedStep: null,
    });
    expect(await store.deleteOne('tags/x')).toBe(true);
  });

  it('When a healthy secret\u2019s due date passes the grace hour, then it is settled as overdue without a crawl', async () => {
    // Arrange: prod/a is due in 3 days.
    const later = new Date(NOW.getTime() + 3 * DAY_MS + OVERDUE_GRACE_MS + 60_000);
    const before = (await store.state()).updated_at;

    // Act
    const moved = await store.settleOverdue(later);
    const again = await store.settleOverdue(new Date(later.getTime() + 5000));

    // Assert
    expect(moved).toBe(1);
    expect(again).toBe(0);
    const row = (await store.page({ name: 'prod/a' }, { sort: 'name', order: 'asc' }, 0, 1)).rows[0]!;
    expect(row).toMatchObject({ status: 'overdue', status_rank: 1 });
    expect((await store.state()).updated_at).not.toBe(before);
  });

  it('When healthy secrets are due within a range, then they come soonest first with their count', async () => {
    // Act
    const due = await store.dueBetween(NOW, new Date(NOW.getTime() + 30 * DAY_MS), 1);

    // Assert: prod/a became overdue above; prod/b is the one left.
    expect(due.total).toBe(1);
    expect(due.items).toEqual([expect.objectContaining({ name: 'prod/b', team: 'payments' })]);
  });

  it('When the next crawl misses secrets, then they are swept; unchanged rows are only marked as seen', async () => {
    // Arrange
    const remaining = [secret('prod/d', { team: 'identity' }), secret('dev/g'), secret('dev/h', { team: 'search' })];
    const before = (await store.page({ name: 'prod/d' }, { sort: 'name', order: 'asc' }, 0, 1)).rows[0]!;

    // Act
    const finished = await crawl('two', remaining, new Date(NOW.getTime() + DAY_MS));

    // Assert
    expect(finished).toEqual({ deleted: 5, total: 3 });
    const after = await store.page({}, { sort: 'name', order: 'asc' }, 0, 10);
    expect(after.rows.map((r) => r.name)).toEqual(['dev/g', 'dev/h', 'prod/d']);
    const d = after.rows.find((r) => r.name === 'prod/d')!;
    expect(d.fingerprint).toBe(before.fingerprint);
    expect(d.generation).toBeGreaterThan(before.generation);
    expect((await store.state()).secrets_indexed).toBe(3);
  });

  it('When another process holds the crawl lease, then a second crawler does not start until the lease runs out', async () => {
    // Arrange
    const held = await store.beginCrawl(HOME, 'holder', 60_000, NOW);

    // Act
    const refused = await store.beginCrawl(HOME, 'other', 60_000, new Date(NOW.getTime() + 1000));
    const taken = await store.beginCrawl(HOME, 'other', 60_000, new Date(NOW.getTime() + 61_000));
    const lost = await store.writeCrawlBatch(HOME, [toIndexRow(secret('x/late'), KEYS, NOW, held!, confirmed(secret('x/late')))], held!, {
      owner: 'holder',
      ms: 60_000,
    });

    // Assert
    expect(held).not.toBeNull();
    expect(refused).toBeNull();
    expect(taken).toBe(held! + 1);
    expect(lost.leaseHeld).toBe(false);
    expect(store.freshness(await store.state(), await store.targets(), 'index', new Date(NOW.getTime() + 62_000)).state).toBe('crawling');
    await store.abandonCrawl(HOME, 'other', 'test over');
    expect(store.freshness(await store.state(), await store.targets(), 'index', NOW).state).toBe('ready');
  });

  it('When two targets are crawled, then each crawl sweeps only its own secrets, and a target that fails keeps its error and its last success beside the others', async () => {
    // Arrange
    const member = makeTarget('210987654321', 'payments-prod', 'eu-west-1', 'arn:aws:iam::210987654321:role/RotationConsoleReader');
    const inMember = (name: string) => secret(name, { arn: `arn:aws:secretsmanager:eu-west-1:210987654321:secret:${name}-AbCdEf`, team: 'payments' });
    await store.syncTargets([HOME, member]);
    const homeBefore = (await store.page({}, { sort: 'name', order: 'asc' }, 0, 100)).rows.map((r) => r.arn);
    await crawl('one', [inMember('member/a'), inMember('member/b')], NOW, member);

    // Act: the home target's crawl sees none of the member's secrets, and must not sweep them.
    const home = await store.page({}, { sort: 'name', order: 'asc' }, 0, 100);
    const generation = (await store.beginCrawl(HOME, 'one', 60_000, NOW))!;
    await store.writeCrawlBatch(
      HOME,
      home.rows.filter((r) => r.account_id === '123456789012').map((r) => ({ ...r, generation })),
      generation,
      { owner: 'one', ms: 60_000 },
    );
    const finished = await store.finishCrawl(HOME, 'one', generation, { ms: 1, pages: 1 });
    const memberGen = (await store.beginCrawl(member, 'one', 60_000, NOW))!;
    await store.abandonCrawl(member, 'one', 'AWS refused AssumeRole: AccessDenied');
    const freshness = store.freshness(await store.state(), await store.targets(), 'index', NOW);

    // Assert
    expect(memberGen).toBeGreaterThan(0);
    expect(finished?.deleted).toBe(0);
    const after = await store.page({}, { sort: 'name', order: 'asc' }, 0, 100);
    expect(after.rows.filter((r) => r.account_id === '210987654321').map((r) => [r.name, r.region])).toEqual([
      ['member/a', 'eu-west-1'],
      ['member/b', 'eu-west-1'],
    ]);
    expect(after.rows.filter((r) => r.account_id === '123456789012').map((r) => r.arn)).toEqual(homeBefore);
    expect(freshness.targets).toEqual([
      expect.objectContaining({ accountId: '123456789012', region: 'us-east-1', state: 'ready', error: null }),
      expect.objectContaining({
        accountId: '210987654321',
        accountName: 'payments-prod',
        region: 'eu-west-1',
        state: 'failed',
        secretsIndexed: 2,
        error: 'AWS refused AssumeRole: AccessDenied',
      }),
    ]);
    expect(freshness.targets[1]!.indexedAt).not.toBeNull();

    // Act: the member account leaves the configuration: its secrets leave the index.
    const removed = await store.syncTargets([HOME]);

    // Assert
    expect(removed).toBe(2);
    expect((await store.page({}, { sort: 'name', order: 'asc' }, 0, 100)).rows.every((r) => r.account_id === '123456789012')).toBe(true);
    expect((await store.targets()).map((t) => t.target_key)).toEqual(['123456789012:us-east-1']);
  });

  it('When one secret is written or deleted outside a crawl, then the row and the counts follow', async () => {
    // Arrange
    const generation = await store.currentGeneration();

    // Act
    const added = await store.upsertSome([
      toIndexRow(rotating('prod/new', 10, { team: 'search' }), KEYS, NOW, generation, confirmed(rotating('prod/new', 10, { team: 'search' }))),
    ]);
    const same = await store.upsertSome([
      toIndexRow(rotating('prod/new', 10, { team: 'search' }), KEYS, NOW, generation, confirmed(rotating('prod/new', 10, { team: 'search' }))),
    ]);
    const removedByName = await store.deleteOne('dev/g');

    // Assert
    expect(added).toEqual({ inserted: 1, changed: 1 });
    expect(same).toEqual({ inserted: 0, changed: 0 });
    expect(removedByName).toBe(true);
    const all = await store.page({}, { sort: 'name', order: 'asc' }, 0, 10);
    expect(all.rows.map((r) => r.name)).toEqual(['dev/h', 'prod/d', 'prod/new']);
    expect((await store.state()).secrets_indexed).toBe(3);
  });

  it('When rows are read in chunks, then every row comes once, in order', async () => {
    // Act
    const names: string[] = [];
    for await (const rows of store.chunks({}, { sort: 'name', order: 'desc' }, 2)) names.push(...rows.map((r) => r.name));
    const healthy: string[] = [];
    for await (const rows of store.scheduledChunks({}, undefined, 1)) healthy.push(...rows.map((r) => r.name));

    // Assert
    expect(names).toEqual(['prod/new', 'prod/d', 'dev/h']);
    expect(healthy).toEqual(['prod/new']);
  });
});
