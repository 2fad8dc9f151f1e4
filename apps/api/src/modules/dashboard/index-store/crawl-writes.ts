import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { NewIndexRow } from '../index-row.ts';
import { fingerprints, num, STATE_ID, upsertRows, type WriteResult } from './table.ts';

/**
 * Takes the crawl lease (one crawler across API processes sharing the database) and a new
 * generation; null while another process holds an unexpired lease.
 */
export const beginCrawl = async (db: Kysely<Database>, owner: string, leaseMs: number, now: Date): Promise<number | null> => {
  const at = now.toISOString();
  const row = await db
    .updateTable('secret_index_state')
    .set((eb) => ({
      generation: eb('generation', '+', 1),
      crawl_owner: owner,
      crawl_lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
      crawl_started_at: at,
    }))
    .where('id', '=', STATE_ID)
    .where((eb) => eb.or([eb('crawl_owner', 'is', null), eb('crawl_lease_expires_at', '<', at), eb('crawl_owner', '=', owner)]))
    .returning('generation')
    .executeTakeFirst();
  return row ? num(row.generation) : null;
};

/**
 * Writes one page of a crawl in one transaction: new and changed rows in full, the rest
 * only marked as seen by this generation; renews the lease. False when the lease was lost.
 */
export const writeCrawlBatch = async (
  db: Kysely<Database>,
  rows: NewIndexRow[],
  generation: number,
  lease: { owner: string; ms: number },
): Promise<WriteResult & { leaseHeld: boolean }> => {
  const known = await fingerprints(
    db,
    rows.map((r) => r.arn),
  );
  const changedRows = rows.filter((r) => known.get(r.arn) !== r.fingerprint);
  const seen = rows.filter((r) => known.get(r.arn) === r.fingerprint).map((r) => r.arn);
  const inserted = rows.filter((r) => !known.has(r.arn)).length;
  const now = new Date();
  const at = now.toISOString();
  // Writes only inside the transaction: on SQLite its first statement then waits for the
  // write lock (busy timeout) instead of failing to upgrade a read.
  const leaseHeld = await db.transaction().execute(async (trx) => {
    const renewed = await trx
      .updateTable('secret_index_state')
      .set((eb) => ({
        crawl_lease_expires_at: new Date(now.getTime() + lease.ms).toISOString(),
        secrets_indexed: eb('secrets_indexed', '+', inserted),
        ...(changedRows.length > 0 ? { updated_at: at } : {}),
      }))
      .where('id', '=', STATE_ID)
      .where('crawl_owner', '=', lease.owner)
      .executeTakeFirst();
    if (Number(renewed.numUpdatedRows) === 0) return false;
    if (changedRows.length > 0) await upsertRows(trx, changedRows);
    if (seen.length > 0) {
      await trx.updateTable('secret_index').set({ generation, indexed_at: at }).where('arn', 'in', seen).execute();
    }
    return true;
  });
  return { inserted, changed: changedRows.length, leaseHeld };
};

/** Ends a complete crawl: removes what it did not see (deleted in AWS), records the time, frees the lease. */
export const finishCrawl = async (
  db: Kysely<Database>,
  owner: string,
  generation: number,
  stats: { ms: number; pages: number },
): Promise<{ deleted: number; total: number } | null> => {
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const mine = await trx
      .updateTable('secret_index_state')
      .set({ last_crawl_ms: stats.ms, last_crawl_pages: stats.pages })
      .where('id', '=', STATE_ID)
      .where('crawl_owner', '=', owner)
      .executeTakeFirst();
    if (Number(mine.numUpdatedRows) === 0) return null;
    const swept = await trx.deleteFrom('secret_index').where('generation', '<', generation).executeTakeFirst();
    const deleted = Number(swept.numDeletedRows);
    const { n } = await trx
      .selectFrom('secret_index')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('secret_index_state')
      .set({
        indexed_at: at,
        secrets_indexed: num(n),
        crawl_owner: null,
        crawl_lease_expires_at: null,
        last_error: null,
        ...(deleted > 0 ? { updated_at: at } : {}),
      })
      .where('id', '=', STATE_ID)
      .execute();
    return { deleted, total: num(n) };
  });
};

/** Frees the lease after a crawl that did not finish, keeping the error for the log and health. */
export const abandonCrawl = async (db: Kysely<Database>, owner: string, error: string): Promise<void> => {
  await db
    .updateTable('secret_index_state')
    .set({ crawl_owner: null, crawl_lease_expires_at: null, last_error: error.slice(0, 500) })
    .where('id', '=', STATE_ID)
    .where('crawl_owner', '=', owner)
    .execute();
};
