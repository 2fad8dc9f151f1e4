import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { sleep } from './backoff.ts';
import { errorText } from './step-error.ts';

export interface ResourceLocksOptions {
  /** Names the runner in each lock's owner, for whoever reads the table. */
  runner: string;
  /** How long a lock lasts without a renewal: a holder that died blocks others this long at most. */
  leaseMs: number;
  /** How often the holder renews its lock while it works. */
  heartbeatMs: number;
  /** How long a step waits between tries while another holds the lock (the steps' polling pace). */
  pollMs: number;
}

/** Who asks for a lock: shown in the table and in the log while others wait. */
export interface LockHolder {
  workflowId: string;
  stepId: string;
}

/**
 * Leases on shared AWS resources, so that two workflows needing the same one (a VPC's Secrets
 * Manager endpoint, a function's configuration, a role's policy) change it one after the other,
 * and the second one's read sees what the first made. The same pattern as the workflows' own
 * leases (lease-store.ts): each change is one statement the database applies atomically, so
 * two processes on one PostgreSQL (or SQLite file) cannot both win, and a lease that runs out
 * lets another take a lock whose holder crashed.
 *
 * Not reentrant: a step takes one lock at a time, so no two steps can wait on each other.
 */
export class ResourceLocks {
  readonly #db: Kysely<Database>;
  readonly #options: ResourceLocksOptions;

  constructor(db: Kysely<Database>, options: ResourceLocksOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Takes the lock if nobody holds it or its holder's lease ran out. */
  async tryAcquire(resourceKey: string, owner: string, workflowId: string | null): Promise<boolean> {
    const now = new Date();
    const row = { owner, workflow_id: workflowId, acquired_at: now.toISOString(), expires_at: new Date(now.getTime() + this.#options.leaseMs).toISOString() };
    const inserted = await this.#db
      .insertInto('resource_locks')
      .values({ resource_key: resourceKey, ...row })
      .onConflict((oc) => oc.column('resource_key').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 1n) return true;
    const taken = await this.#db
      .updateTable('resource_locks')
      .set(row)
      .where('resource_key', '=', resourceKey)
      .where('expires_at', '<', now.toISOString())
      .executeTakeFirst();
    return taken.numUpdatedRows === 1n;
  }

  /** Pushes the expiry out; false when the lock is no longer ours (it ran out and another took it). */
  async renew(resourceKey: string, owner: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('resource_locks')
      .set({ expires_at: new Date(Date.now() + this.#options.leaseMs).toISOString() })
      .where('resource_key', '=', resourceKey)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async release(resourceKey: string, owner: string): Promise<void> {
    await this.#db.deleteFrom('resource_locks').where('resource_key', '=', resourceKey).where('owner', '=', owner).execute();
  }

  async holderOf(resourceKey: string): Promise<{ owner: string; workflowId: string | null; expiresAt: string } | null> {
    const row = await this.#db.selectFrom('resource_locks').selectAll().where('resource_key', '=', resourceKey).executeTakeFirst();
    return row ? { owner: row.owner, workflowId: row.workflow_id, expiresAt: row.expires_at } : null;
  }

  /**
   * Runs `fn` while holding the lock on `resourceKey`: waits (polling, until `signal` aborts)
   * while another holds it, renews it while `fn` runs, and releases it however `fn` ends.
   */
  async exclusive<T>(resourceKey: string, holder: LockHolder, options: { signal: AbortSignal; logger: Logger }, fn: () => Promise<T>): Promise<T> {
    const { signal, logger } = options;
    const owner = `${this.#options.runner}/${holder.workflowId}/${holder.stepId}/${randomUUID().slice(0, 8)}`;
    let waited = false;
    while (!(await this.tryAcquire(resourceKey, owner, holder.workflowId))) {
      if (!waited) {
        const current = await this.holderOf(resourceKey);
        logger.info({ resource: resourceKey, heldBy: current?.workflowId ?? null }, 'waiting for a shared resource another workflow is changing');
        waited = true;
      }
      await sleep(this.#options.pollMs, signal);
    }
    const heartbeat = setInterval(() => {
      this.renew(resourceKey, owner)
        .then((held) => {
          if (!held) logger.warn({ resource: resourceKey }, 'the lock on a shared resource ran out while the step held it');
        })
        .catch((error: unknown) =>
          logger.warn({ resource: resourceKey, err: errorText(error) }, 'could not renew the lock on a shared resource; trying again'),
        );
    }, this.#options.heartbeatMs);
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      await this.release(resourceKey, owner).catch((error: unknown) =>
        logger.warn({ resource: resourceKey, err: errorText(error) }, 'could not release the lock on a shared resource; it runs out by itself'),
      );
    }
  }
}
