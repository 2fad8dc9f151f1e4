// The batches list asks the database for what its reader may see, a page at a time: a console keeps
// every batch it ran, and reading them all (with their items) for each page would grow without end.
import type { Principal } from '@rotation-console/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore, type NewBatchItem } from '../../src/modules/batches/batch-store.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';

const pat: Principal = { id: 'pat', name: 'Pat', roles: ['operator'], teams: ['payments'] };
const ida: Principal = { id: 'ida', name: 'Ida', roles: ['operator'], teams: ['identity'] };

const item = (team: string | null, n: number): NewBatchItem => ({
  secretArn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${team ?? 'untagged'}/db-${n}-AbCdEf`,
  secretName: `${team ?? 'untagged'}/db-${n}`,
  team,
  refusal: null,
  startOffsetMs: null,
  schedule: null,
  spec: null,
});

describe.each(TEST_DIALECTS)('The batches list on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let batches: BatchStore;
  const stored = async (id: string, by: Principal, minute: number, teams: (string | null)[]) =>
    batches.create(
      {
        id,
        action: 'disable',
        summary: `Turn off rotation for ${teams.length} secrets`,
        input: {},
        createdBy: by,
        createdAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
        status: 'succeeded',
        sharedWorkflowId: null,
        staggering: '',
        pacing: '',
      },
      teams.map(item),
    );

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    batches = new BatchStore(handle.db);
    // Oldest first: pat's of payments; ida's of identity; ida's of both teams; ida's of untagged secrets.
    await stored('b-1', pat, 1, ['payments', 'payments']);
    await stored('b-2', ida, 2, ['identity']);
    await stored('b-3', ida, 3, ['identity', 'payments']);
    await stored('b-4', ida, 4, [null]);
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When an operator lists batches, then it gets those it started and those with a secret of its team, newest first, and their number', async () => {
    // Act
    const forPat = await batches.list({ id: pat.id, teams: pat.teams }, 0, 10);
    const forIda = await batches.list({ id: ida.id, teams: ida.teams }, 0, 10);
    const forNobody = await batches.list({ id: 'nora', teams: [] }, 0, 10);

    // Assert
    expect(forPat.items.map((b) => b.id)).toEqual(['b-3', 'b-1']);
    expect(forPat.total).toBe(2);
    expect(forIda.items.map((b) => b.id)).toEqual(['b-4', 'b-3', 'b-2']);
    expect(forNobody).toEqual({ items: [], total: 0 });
  });

  it('When a reader who may see every batch pages through them, then each page holds the next ones and the number is of all', async () => {
    // Act
    const first = await batches.list({ id: 'vic', teams: 'all' }, 0, 3);
    const second = await batches.list({ id: 'vic', teams: 'all' }, 3, 3);

    // Assert
    expect(first.items.map((b) => b.id)).toEqual(['b-4', 'b-3', 'b-2']);
    expect(second.items.map((b) => b.id)).toEqual(['b-1']);
    expect([first.total, second.total]).toEqual([4, 4]);
  });
});
