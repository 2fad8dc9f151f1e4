import { BATCH_PREVIEW_TTL_MINUTES, type BatchRequest, type Principal } from '@rotation-console/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { fromJson, toJson } from '../../platform/workflow/records.ts';
import type { BatchPlan } from './batch-planner.ts';

/** How long a preview's plan is kept for Start (the contract's BATCH_PREVIEW_TTL_MINUTES). */
export const BATCH_PREVIEW_TTL_MS = BATCH_PREVIEW_TTL_MINUTES * 60_000;

/** A preview's plan as kept for Start: who asked, for what, and until when. */
export interface StoredPreview {
  id: string;
  principal: Principal;
  /** The request as parsed (defaults filled in). */
  request: BatchRequest;
  plan: BatchPlan;
  createdAt: string;
  expiresAt: string;
}

/** A person's previews kept at once: a few tabs' worth, each to be started within its 15 minutes. */
export const PREVIEWS_KEPT_PER_PERSON = 5;

/**
 * The previews' plans, in the console's database (so any API process can start what another
 * previewed). A plan is used once: Start takes it (deletes it) as it stores the batch. Expired ones
 * are deleted whenever a new one is stored, so the table holds about 15 minutes of previews.
 */
export class BatchPreviewStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Stores a preview, after deleting the ones expired by its `createdAt`; of its maker's, only the
   * newest PREVIEWS_KEPT_PER_PERSON stay (a plan holds up to a thousand secrets' steps, and previews
   * cost one request each: the table must not grow with how often one person asks).
   */
  async save(preview: StoredPreview): Promise<void> {
    await this.#db.deleteFrom('batch_previews').where('expires_at', '<=', preview.createdAt).execute();
    await this.#db
      .insertInto('batch_previews')
      .values({
        id: preview.id,
        principal_id: preview.principal.id,
        created_by: toJson(preview.principal),
        request: toJson(preview.request),
        plan: toJson(preview.plan),
        created_at: preview.createdAt,
        expires_at: preview.expiresAt,
      })
      .execute();
    const maker = preview.principal.id;
    await this.#db
      .deleteFrom('batch_previews')
      .where('principal_id', '=', maker)
      .where('id', 'not in', (eb) =>
        eb
          .selectFrom('batch_previews')
          .select('id')
          .where('principal_id', '=', maker)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(PREVIEWS_KEPT_PER_PERSON),
      )
      .execute();
  }

  async get(id: string): Promise<StoredPreview | null> {
    const row = await this.#db.selectFrom('batch_previews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      principal: fromJson(row.created_by) as Principal,
      request: fromJson(row.request) as BatchRequest,
      plan: fromJson(row.plan) as BatchPlan,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  /**
   * Takes the preview for a Start: deletes it if it is still there and `principalId`'s. True when
   * this call took it; of two Starts with one preview at once, one gets true. Start takes it in the
   * transaction that stores the batch (`db`), so a batch not stored leaves the preview there.
   */
  async take(id: string, principalId: string, db: Kysely<Database> = this.#db): Promise<boolean> {
    const gone = await db.deleteFrom('batch_previews').where('id', '=', id).where('principal_id', '=', principalId).executeTakeFirst();
    return Number(gone.numDeletedRows) > 0;
  }
}
