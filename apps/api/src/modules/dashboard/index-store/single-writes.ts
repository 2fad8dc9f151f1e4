import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { NewIndexRow } from '../index-row.ts';
import { fingerprints, STATE_ID, upsertRows, type WriteResult } from './table.ts';

// One secret at a time: the console's own writes, between crawls.

/**
 * Writes secrets' rows between crawls (a workflow's secret, a refresh of the Secrets list): new and
 * changed rows in full, unchanged ones (same fingerprint) only marked as seen.
 */
export const upsertSome = async (db: Kysely<Database>, rows: NewIndexRow[]): Promise<WriteResult> => {
  if (rows.length === 0) return { inserted: 0, changed: 0 };
  const known = await fingerprints(
    db,
    rows.map((r) => r.arn),
  );
  const changed = rows.filter((r) => known.get(r.arn) !== r.fingerprint);
  const seen = rows.filter((r) => known.get(r.arn) === r.fingerprint);
  const inserted = rows.filter((r) => !known.has(r.arn)).length;
  await db.transaction().execute(async (trx) => {
    if (changed.length > 0) {
      await trx
        .updateTable('secret_index_state')
        .set((eb) => ({ updated_at: changed[0]!.indexed_at, secrets_indexed: eb('secrets_indexed', '+', inserted) }))
        .where('id', '=', STATE_ID)
        .execute();
      await upsertRows(trx, changed);
    }
    // One statement for the rows read at one time (a refresh's rows share their generation and time).
    const byMark = Map.groupBy(seen, (r) => `${r.generation}|${r.indexed_at}`);
    for (const marked of byMark.values()) {
      const { generation, indexed_at } = marked[0]!;
      await trx
        .updateTable('secret_index')
        .set({ generation, indexed_at })
        .where(
          'arn',
          'in',
          marked.map((r) => r.arn),
        )
        .execute();
    }
  });
  return { inserted, changed: changed.length };
};

/** Removes a secret by ARN or name (a workflow's subject may be either). */
export const deleteOne = async (db: Kysely<Database>, secretId: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('secret_index')
      .where((eb) => eb.or([eb('arn', '=', secretId), eb('name', '=', secretId)]))
      .executeTakeFirst();
    const deleted = Number(gone.numDeletedRows);
    if (deleted > 0) {
      await trx
        .updateTable('secret_index_state')
        .set((eb) => ({ updated_at: new Date().toISOString(), secrets_indexed: eb('secrets_indexed', '-', deleted) }))
        .where('id', '=', STATE_ID)
        .execute();
    }
    return deleted > 0;
  });
