import { OVERDUE_GRACE_MS } from '@rotation-console/rotation';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import { SCHEDULED_STATUSES, STATUS_RANK } from '../index-row.ts';
import { STATE_ID } from './table.ts';

/**
 * A healthy secret (or one whose last rotation is unknown) turns overdue by time alone, once
 * its due date is an hour past (packages/rotation deriveStatus); nothing else in the status
 * depends on the clock. This moves such rows: a read through the (status, due_at) index, and
 * a write only when one crossed the line. Returns how many moved. (The store calls it at most
 * once a second.)
 */
export const settleOverdue = async (db: Kysely<Database>, now: Date): Promise<number> => {
  const cutoff = new Date(now.getTime() - OVERDUE_GRACE_MS).toISOString();
  const due = await db
    .selectFrom('secret_index')
    .select('arn')
    .where('status', 'in', SCHEDULED_STATUSES)
    .where('due_at', '<', cutoff)
    .limit(1)
    .executeTakeFirst();
  if (!due) return 0;
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('secret_index')
      .set({ status: 'overdue', status_rank: STATUS_RANK.overdue })
      .where('status', 'in', SCHEDULED_STATUSES)
      .where('due_at', '<', cutoff)
      .executeTakeFirst();
    await trx.updateTable('secret_index_state').set({ updated_at: now.toISOString() }).where('id', '=', STATE_ID).execute();
    return Number(moved.numUpdatedRows);
  });
};
