import type { Kysely } from 'kysely';
import type { Database, IdentityRecordsTable } from '../db/schema.ts';
import { hashRecordId, newRecordId, type RecordStore } from './sessions.ts';

export interface DbRecordStoreOptions {
  db: Kysely<Database>;
  kind: IdentityRecordsTable['kind'];
  secret: string;
  now?: () => number;
  /** Expired rows are deleted at most this often (on a create), by whichever process creates. */
  sweepEveryMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Sessions or pending sign-ins in the console's own database (SQLite or PostgreSQL), so that
 * every API process behind one address knows every session, and a sign-out or an expiry ends
 * a session everywhere at once. Keys are HMAC'd cookie ids (see RecordStore); rows past their
 * expiry are never answered and are swept on later creates.
 */
export const createDbRecordStore = <T extends { expiresAt: number }>({
  db,
  kind,
  secret,
  now = Date.now,
  sweepEveryMs = 60_000,
}: DbRecordStoreOptions): RecordStore<T> => {
  let lastSweep = 0;
  const key = (id: string) => hashRecordId(secret, id);
  const live = (row: { record: string; expires_at: string } | undefined): T | undefined => {
    if (!row || row.expires_at <= iso(now())) return undefined;
    return JSON.parse(row.record) as T;
  };
  const sweep = async () => {
    const t = now();
    if (t - lastSweep < sweepEveryMs) return;
    lastSweep = t;
    await db.deleteFrom('identity_records').where('expires_at', '<=', iso(t)).execute();
  };

  return {
    async create(record) {
      await sweep();
      const id = newRecordId();
      await db
        .insertInto('identity_records')
        .values({ id: key(id), kind, record: JSON.stringify(record), created_at: iso(now()), expires_at: iso(record.expiresAt) })
        .execute();
      return id;
    },
    async get(id) {
      return live(
        await db.selectFrom('identity_records').select(['record', 'expires_at']).where('id', '=', key(id)).where('kind', '=', kind).executeTakeFirst(),
      );
    },
    async take(id) {
      // One statement: of two processes taking the same id at once, only one gets the row.
      return live(
        await db.deleteFrom('identity_records').where('id', '=', key(id)).where('kind', '=', kind).returning(['record', 'expires_at']).executeTakeFirst(),
      );
    },
    async delete(id) {
      await db.deleteFrom('identity_records').where('id', '=', key(id)).where('kind', '=', kind).execute();
    },
  };
};
