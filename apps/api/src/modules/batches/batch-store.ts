import type { BatchRefusal, BatchSecretSchedule, BatchStatus, Principal } from '@rotation-console/contracts';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { BatchesTable, BatchItemsTable, Database } from '../../platform/db/schema.ts';
import { fromJson, toJson, type StepSpec } from '../../platform/workflow/records.ts';

/** The workflow a batch item becomes when its turn comes (what POST /api/v1/workflows or an operation would store). */
export interface ItemWorkflowSpec {
  kind: string;
  input: unknown;
  steps: StepSpec[];
  audit: { action: string; before?: unknown };
  /** The message when another workflow on the secret is running. */
  busy: string;
}

export interface NewBatchItem {
  secretArn: string;
  secretName: string;
  team: string | null;
  refusal: BatchRefusal | null;
  startOffsetMs: number | null;
  schedule: BatchSecretSchedule | null;
  spec: ItemWorkflowSpec | null;
}

export interface BatchRecord {
  id: string;
  action: string;
  summary: string;
  input: unknown;
  createdBy: Principal;
  createdAt: string;
  finishedAt: string | null;
  status: BatchStatus;
  sharedWorkflowId: string | null;
  staggering: string;
  pacing: string;
}

export interface BatchItemRecord extends NewBatchItem {
  batchId: string;
  position: number;
  workflowId: string | null;
  error: string | null;
}

const toBatch = (row: Selectable<BatchesTable>): BatchRecord => ({
  id: row.id,
  action: row.action,
  summary: row.summary,
  input: fromJson(row.input),
  createdBy: fromJson(row.created_by) as Principal,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  status: row.status,
  sharedWorkflowId: row.shared_workflow_id,
  staggering: row.staggering,
  pacing: row.pacing,
});

const toItem = (row: Selectable<BatchItemsTable>): BatchItemRecord => {
  // The workflow spec (its whole plan, a few KB) is read only for an item not started yet: the batch's
  // page and dispatcher read every item several times a second while a batch of hundreds runs.
  let spec: ItemWorkflowSpec | null | undefined;
  return {
    batchId: row.batch_id,
    position: row.position,
    secretArn: row.secret_arn,
    secretName: row.secret_name,
    team: row.team,
    refusal: fromJson(row.refusal) as BatchRefusal | null,
    startOffsetMs: row.start_offset_ms,
    schedule: fromJson(row.schedule) as BatchSecretSchedule | null,
    get spec() {
      if (spec === undefined) spec = fromJson(row.spec) as ItemWorkflowSpec | null;
      return spec;
    },
    workflowId: row.workflow_id,
    error: row.error,
  };
};

/** Thrown inside the create transaction to roll it back when its creator's Idempotency-Key names a batch already. */
class KeyAlreadyUsed extends Error {}

/** Items written a few hundred rows at a time: SQLite allows at most 32766 bound values in one statement. */
const CHUNK = 200;

/** The batches and their items, in the console's database. */
export class BatchStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Stores the batch and its items in one transaction, with whatever else `within` stores in it (the
   * preview's use, the shared workflow): all of it or nothing. With an `idempotencyKey` that its
   * creator used before, nothing is stored and the answer is false. The batch's row goes in first
   * and ON CONFLICT DO NOTHING rather than a caught unique violation (which would abort a PostgreSQL
   * transaction): a concurrent Start with the same key waits there for this one to commit, then
   * stores nothing.
   */
  async create(
    batch: Omit<BatchRecord, 'finishedAt'>,
    items: readonly NewBatchItem[],
    { idempotencyKey = null, within }: { idempotencyKey?: string | null; within?: (trx: Transaction<Database>) => Promise<void> } = {},
  ): Promise<boolean> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('batches')
          .values({
            id: batch.id,
            action: batch.action,
            summary: batch.summary,
            input: toJson(batch.input),
            created_by: toJson(batch.createdBy),
            created_by_id: batch.createdBy.id,
            idempotency_key: idempotencyKey,
            created_at: batch.createdAt,
            finished_at: null,
            status: batch.status,
            shared_workflow_id: batch.sharedWorkflowId,
            staggering: batch.staggering,
            pacing: batch.pacing,
          })
          .onConflict((oc) => oc.columns(['created_by_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) throw new KeyAlreadyUsed();
        await within?.(trx);
        for (let i = 0; i < items.length; i += CHUNK) {
          await trx
            .insertInto('batch_items')
            .values(
              items.slice(i, i + CHUNK).map((item, j) => ({
                batch_id: batch.id,
                position: i + j,
                secret_arn: item.secretArn,
                secret_name: item.secretName,
                team: item.team,
                refusal: item.refusal ? toJson(item.refusal) : null,
                start_offset_ms: item.startOffsetMs,
                schedule: item.schedule ? toJson(item.schedule) : null,
                spec: item.spec ? toJson(item.spec) : null,
                workflow_id: null,
                error: null,
              })),
            )
            .execute();
        }
      });
    } catch (error) {
      if (error instanceof KeyAlreadyUsed) return false;
      throw error;
    }
    return true;
  }

  /** The batch `principalId` started with this Idempotency-Key, if any. */
  async byKey(principalId: string, idempotencyKey: string): Promise<BatchRecord | null> {
    const row = await this.#db
      .selectFrom('batches')
      .selectAll()
      .where('created_by_id', '=', principalId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row ? toBatch(row) : null;
  }

  async get(id: string): Promise<BatchRecord | null> {
    const row = await this.#db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toBatch(row) : null;
  }

  async items(batchId: string): Promise<BatchItemRecord[]> {
    const rows = await this.#db.selectFrom('batch_items').selectAll().where('batch_id', '=', batchId).orderBy('position').execute();
    return rows.map(toItem);
  }

  /**
   * A page of the batches `reader` may see, newest first, and how many there are: every batch, or
   * (`teams`) those it started and those with a secret of one of these teams. Filtered and paged by
   * the database: a console keeps every batch it ran, each with up to a thousand items.
   */
  async list(reader: { id: string; teams: readonly string[] | 'all' }, offset: number, limit: number): Promise<{ items: BatchRecord[]; total: number }> {
    const teams = reader.teams;
    const all = this.#db.selectFrom('batches');
    const readable =
      teams === 'all'
        ? all
        : all.where((eb) =>
            teams.length === 0
              ? eb('created_by_id', '=', reader.id)
              : eb.or([
                  eb('created_by_id', '=', reader.id),
                  eb.exists(
                    eb
                      .selectFrom('batch_items')
                      .select('batch_items.batch_id')
                      .whereRef('batch_items.batch_id', '=', 'batches.id')
                      .where('batch_items.team', 'in', [...teams]),
                  ),
                ]),
          );
    const [rows, count] = await Promise.all([
      readable.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      readable.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    ]);
    return { items: rows.map(toBatch), total: Number(count?.n ?? 0) };
  }

  /** Batches not ended yet: the dispatcher looks after them (also after a restart). */
  async unfinished(): Promise<BatchRecord[]> {
    const rows = await this.#db.selectFrom('batches').selectAll().where('status', 'in', ['pending', 'running']).orderBy('created_at').execute();
    return rows.map(toBatch);
  }

  async setWorkflow(batchId: string, position: number, workflowId: string): Promise<void> {
    await this.#db.updateTable('batch_items').set({ workflow_id: workflowId }).where('batch_id', '=', batchId).where('position', '=', position).execute();
  }

  async setItemError(batchId: string, position: number, error: string): Promise<void> {
    await this.#db.updateTable('batch_items').set({ error }).where('batch_id', '=', batchId).where('position', '=', position).execute();
  }

  async finish(batchId: string, status: BatchStatus, at: string): Promise<void> {
    await this.#db.updateTable('batches').set({ status, finished_at: at }).where('id', '=', batchId).where('status', 'in', ['pending', 'running']).execute();
  }

  /** The pending or running workflow on each of these subjects (secret ARNs), if any. */
  async activeWorkflows(subjects: readonly string[]): Promise<Map<string, { id: string; kind: string }>> {
    const out = new Map<string, { id: string; kind: string }>();
    for (let i = 0; i < subjects.length; i += CHUNK) {
      const rows = await this.#db
        .selectFrom('workflows')
        .select(['id', 'kind', 'subject'])
        .where('subject', 'in', subjects.slice(i, i + CHUNK))
        .where('status', 'in', ['pending', 'running'])
        .execute();
      for (const r of rows) out.set(r.subject, { id: r.id, kind: r.kind });
    }
    return out;
  }

  /** The statuses of many workflows at once, with their step counts and the step running or failed. */
  async workflowProgress(ids: readonly string[]): Promise<Map<string, WorkflowProgress>> {
    const out = new Map<string, WorkflowProgress>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const [workflows, steps] = await Promise.all([
        this.#db.selectFrom('workflows').select(['id', 'status', 'error', 'started_at', 'finished_at']).where('id', 'in', chunk).execute(),
        this.#db
          .selectFrom('workflow_steps')
          .select(['workflow_id', 'title', 'status', 'error', 'output', 'kind'])
          .where('workflow_id', 'in', chunk)
          .orderBy('workflow_id')
          .orderBy('position')
          .execute(),
      ]);
      for (const w of workflows) {
        out.set(w.id, { status: w.status, error: w.error, startedAt: w.started_at, finishedAt: w.finished_at, steps: [] });
      }
      for (const s of steps) {
        out
          .get(s.workflow_id)
          ?.steps.push({ kind: s.kind, title: s.title, status: s.status, error: s.error, output: fromJson(s.output) as Record<string, unknown> | null });
      }
    }
    return out;
  }
}

export interface WorkflowProgress {
  status: Selectable<Database['workflows']>['status'];
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  steps: { kind: string; title: string; status: string; error: string | null; output: Record<string, unknown> | null }[];
}
