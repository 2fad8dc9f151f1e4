import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const UNFINISHED = ['pending', 'running'] as const;

/**
 * Database leases on workflows, so that of several API processes sharing one database
 * exactly one runs a given workflow at a time. Every change is one conditional UPDATE,
 * which the database applies atomically: two processes cannot both see "free" and both win.
 *
 * Times come from this process's clock; leases last tens of seconds, far longer than the
 * clock skew between hosts kept by NTP.
 */
export class LeaseStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Takes the lease if the workflow is unfinished and its lease is free or expired. */
  async acquire(workflowId: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = new Date();
    const result = await this.#db
      .updateTable('workflows')
      .set({ lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
      .where('id', '=', workflowId)
      .where('status', 'in', [...UNFINISHED])
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now.toISOString())]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Pushes the expiry out; false when the lease is no longer ours (it expired and another took it). */
  async renew(workflowId: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('workflows')
      .set({ lease_expires_at: new Date(Date.now() + leaseMs).toISOString() })
      .where('id', '=', workflowId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Lets another runner take the workflow at once, e.g. after a graceful stop mid-way. */
  async release(workflowId: string, owner: string): Promise<void> {
    await this.#db
      .updateTable('workflows')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', workflowId)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Unfinished workflows nobody holds (never leased, released, or whose holder died), oldest first. */
  async findResumable(limit = 1000): Promise<string[]> {
    const now = new Date().toISOString();
    const rows = await this.#db
      .selectFrom('workflows')
      .select('id')
      .where('status', 'in', [...UNFINISHED])
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
