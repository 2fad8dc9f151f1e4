import type { BatchRequest, Principal } from '@rotation-console/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchPlan } from '../../src/modules/batches/batch-planner.ts';
import { BatchPreviewStore, PREVIEWS_KEPT_PER_PERSON, type StoredPreview } from '../../src/modules/batches/batch-preview-store.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';

const pat: Principal = { id: 'pat', name: 'Pat', roles: ['operator'], teams: ['payments'] };
const request: BatchRequest = {
  selection: { kind: 'secrets', secretIds: ['prod/payments/orders-db'] },
  action: { action: 'disable' },
  preflight: true,
  allOrNothing: false,
};
const plan = { preview: { summary: 'Turn off rotation for 1 secret' }, items: [], shared: null } as unknown as BatchPlan;

const previewAt = (id: string, createdAt: string, expiresAt: string): StoredPreview => ({ id, principal: pat, request, plan, createdAt, expiresAt });

describe.each(TEST_DIALECTS)('Batch previews kept on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let previews: BatchPreviewStore;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    previews = new BatchPreviewStore(handle.db);
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When a preview is kept, then it reads back as stored, and only its maker takes it, once', async () => {
    // Arrange
    await previews.save(previewAt('p-1', '2026-12-01T10:00:00.000Z', '2026-12-01T10:15:00.000Z'));

    // Act
    const read = await previews.get('p-1');
    const byOther = await previews.take('p-1', 'someone-else');
    const byMaker = await previews.take('p-1', 'pat');
    const again = await previews.take('p-1', 'pat');

    // Assert
    expect(read).toEqual(previewAt('p-1', '2026-12-01T10:00:00.000Z', '2026-12-01T10:15:00.000Z'));
    expect([byOther, byMaker, again]).toEqual([false, true, false]);
    expect(await previews.get('p-1')).toBeNull();
  });

  it('When a preview is stored, then the ones expired by then are deleted and the others kept', async () => {
    // Arrange
    await previews.save(previewAt('p-old', '2026-12-01T10:00:00.000Z', '2026-12-01T10:15:00.000Z'));
    await previews.save(previewAt('p-live', '2026-12-01T10:10:00.000Z', '2026-12-01T10:25:00.000Z'));

    // Act
    await previews.save(previewAt('p-new', '2026-12-01T10:15:00.000Z', '2026-12-01T10:30:00.000Z'));

    // Assert
    expect(await previews.get('p-old')).toBeNull();
    expect((await previews.get('p-live'))?.id).toBe('p-live');
    expect((await previews.get('p-new'))?.id).toBe('p-new');
  });

  it('When one person keeps asking for previews, then only their newest few are kept, and another person\u2019s stay', async () => {
    // Arrange: ida's one preview, then more of pat's than are kept, a minute apart, none expired.
    const ida: Principal = { id: 'ida', name: 'Ida', roles: ['operator'], teams: ['identity'] };
    await previews.save({ ...previewAt('ida-1', '2026-12-02T09:00:00.000Z', '2026-12-02T09:15:00.000Z'), principal: ida });
    const pats = Array.from({ length: PREVIEWS_KEPT_PER_PERSON + 2 }, (_, i) => `pat-${i}`);

    // Act
    for (const [i, id] of pats.entries()) await previews.save(previewAt(id, `2026-12-02T09:0${i}:30.000Z`, `2026-12-02T09:1${i}:30.000Z`));

    // Assert
    const kept = [];
    for (const id of pats) if (await previews.get(id)) kept.push(id);
    expect(kept).toEqual(pats.slice(-PREVIEWS_KEPT_PER_PERSON));
    expect((await previews.get('ida-1'))?.id).toBe('ida-1');
  });
});
