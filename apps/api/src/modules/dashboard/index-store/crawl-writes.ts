import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { Target } from '../../../platform/targets/target.ts';
import type { NewIndexRow } from '../index-row.ts';
import { fingerprints, num, STATE_ID, upsertRows, type WriteResult } from './table.ts';

/**
 * Writes a row for each target the console covers (its name may have changed), and removes the
 * targets it no longer covers with their secrets: an account taken out of the accounts file or the
 * organization leaves the dashboard. Returns how many secrets left with them.
 */
export const syncTargets = async (db: Kysely<Database>, targets: readonly Target[]): Promise<number> =>
  db.transaction().execute(async (trx) => {
    for (const t of targets) {
      await trx
        .insertInto('index_targets')
        .values({ target_key: t.key, account_id: t.accountId, account_name: t.accountName, region: t.region, generation: 0, secrets_indexed: 0 })
        .onConflict((oc) => oc.column('target_key').doUpdateSet({ account_name: t.accountName }))
        .execute();
    }
    const keys = new Set(targets.map((t) => t.key));
    const gone = (await trx.selectFrom('index_targets').select(['target_key', 'account_id', 'region']).execute()).filter((r) => !keys.has(r.target_key));
    let removed = 0;
    for (const g of gone) {
      const swept = await trx.deleteFrom('secret_index').where('account_id', '=', g.account_id).where('region', '=', g.region).executeTakeFirst();
      removed += Number(swept.numDeletedRows);
      await trx.deleteFrom('index_targets').where('target_key', '=', g.target_key).execute();
    }
    if (removed > 0)
      await trx
        .updateTable('secret_index_state')
        .set((eb) => ({ updated_at: new Date().toISOString(), secrets_indexed: eb('secrets_indexed', '-', removed) }))
        .where('id', '=', STATE_ID)
        .execute();
    return removed;
  });

/**
 * Takes `target`'s crawl lease (one crawler per target across API processes sharing the database)
 * and a new generation, unique across targets; null while another process holds an unexpired lease.
 */
export const beginCrawl = async (db: Kysely<Database>, target: Target, owner: string, leaseMs: number, now: Date): Promise<number | null> => {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .updateTable('index_targets')
      .set({ crawl_owner: owner, crawl_lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), crawl_started_at: at })
      .where('target_key', '=', target.key)
      .where((eb) => eb.or([eb('crawl_owner', 'is', null), eb('crawl_lease_expires_at', '<', at), eb('crawl_owner', '=', owner)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return null;
    const row = await trx
      .updateTable('secret_index_state')
      .set((eb) => ({ generation: eb('generation', '+', 1) }))
      .where('id', '=', STATE_ID)
      .returning('generation')
      .executeTakeFirstOrThrow();
    const generation = num(row.generation);
    await trx.updateTable('index_targets').set({ generation }).where('target_key', '=', target.key).execute();
    return generation;
  });
};

/**
 * Writes one page of a target's crawl in one transaction: new and changed rows in full, the rest
 * only marked as seen by this generation; renews the target's lease. False when the lease was lost.
 */
export const writeCrawlBatch = async (
  db: Kysely<Database>,
  target: Target,
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
      .updateTable('index_targets')
      .set({ crawl_lease_expires_at: new Date(now.getTime() + lease.ms).toISOString() })
      .where('target_key', '=', target.key)
      .where('crawl_owner', '=', lease.owner)
      .executeTakeFirst();
    if (Number(renewed.numUpdatedRows) === 0) return false;
    if (inserted > 0 || changedRows.length > 0) {
      await trx
        .updateTable('secret_index_state')
        .set((eb) => ({ secrets_indexed: eb('secrets_indexed', '+', inserted), ...(changedRows.length > 0 ? { updated_at: at } : {}) }))
        .where('id', '=', STATE_ID)
        .execute();
    }
    if (changedRows.length > 0) await upsertRows(trx, changedRows);
    if (seen.length > 0) {
      await trx.updateTable('secret_index').set({ generation, indexed_at: at }).where('arn', 'in', seen).execute();
    }
    return true;
  });
  return { inserted, changed: changedRows.length, leaseHeld };
};

/**
 * Ends a complete crawl of `target`: removes its secrets the crawl did not see (deleted in AWS),
 * records its success, frees its lease. Secrets of other targets are never touched.
 */
export const finishCrawl = async (
  db: Kysely<Database>,
  target: Target,
  owner: string,
  generation: number,
  stats: { ms: number; pages: number },
): Promise<{ deleted: number; total: number } | null> => {
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const mine = await trx
      .updateTable('index_targets')
      .set({ last_crawl_ms: stats.ms, last_crawl_pages: stats.pages })
      .where('target_key', '=', target.key)
      .where('crawl_owner', '=', owner)
      .executeTakeFirst();
    if (Number(mine.numUpdatedRows) === 0) return null;
    const swept = await trx
      .deleteFrom('secret_index')
      .where('account_id', '=', target.accountId)
      .where('region', '=', target.region)
      .where('generation', '<', generation)
      .executeTakeFirst();
    const deleted = Number(swept.numDeletedRows);
    const count = async (place?: Target) => {
      let q = trx.selectFrom('secret_index').select((eb) => eb.fn.countAll().as('n'));
      if (place) q = q.where('account_id', '=', place.accountId).where('region', '=', place.region);
      return num((await q.executeTakeFirstOrThrow()).n);
    };
    const [mineNow, total] = [await count(target), await count()];
    await trx
      .updateTable('index_targets')
      .set({ indexed_at: at, secrets_indexed: mineNow, crawl_owner: null, crawl_lease_expires_at: null, last_error: null, last_error_at: null })
      .where('target_key', '=', target.key)
      .execute();
    await trx
      .updateTable('secret_index_state')
      .set({ indexed_at: at, secrets_indexed: total, last_error: null, ...(deleted > 0 ? { updated_at: at } : {}) })
      .where('id', '=', STATE_ID)
      .execute();
    return { deleted, total };
  });
};

/** Frees `target`'s lease after a crawl that did not finish, keeping its error and when it happened for the dashboard and health. */
export const abandonCrawl = async (db: Kysely<Database>, target: Target, owner: string, error: string): Promise<void> => {
  const at = new Date().toISOString();
  const message = error.slice(0, 500);
  await db
    .updateTable('index_targets')
    .set({ crawl_owner: null, crawl_lease_expires_at: null, last_error: message, last_error_at: at })
    .where('target_key', '=', target.key)
    .where('crawl_owner', '=', owner)
    .execute();
  await db
    .updateTable('secret_index_state')
    .set({ last_error: `${target.key}: ${message}` })
    .where('id', '=', STATE_ID)
    .execute();
};
