import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { NewIndexRow } from '../index-row.ts';
import { fingerprints, STATE_ID, upsertRows, type WriteResult } from './table.ts';

// One secret at a time: the console's own writes, between crawls.

/** Writes one secret's row; an unchanged one (same fingerprint) is only marked as seen. */
export const upsertOne = async (db: Kysely<Database>, row: NewIndexRow): Promise<WriteResult> => {
  const known = await fingerprints(db, [row.arn]);
  if (known.get(row.arn) === row.fingerprint) {
    await db.updateTable('secret_index').set({ generation: row.generation, indexed_at: row.indexed_at }).where('arn', '=', row.arn).execute();
    return { inserted: 0, changed: 0 };
  }
  const inserted = known.has(row.arn) ? 0 : 1;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('secret_index_state')
      .set((eb) => ({ updated_at: row.indexed_at, secrets_indexed: eb('secrets_indexed', '+', inserted) }))
      .where('id', '=', STATE_ID)
      .execute();
    await upsertRows(trx, [row]);
  });
  return { inserted, changed: 1 };
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
