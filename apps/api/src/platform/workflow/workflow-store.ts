import { randomUUID } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Principal } from '../auth.ts';
import type { AuditLogTable, Database } from '../db/schema.ts';
import { ConflictError, InputError } from '../errors.ts';
import { assertRunnablePlan } from './plan-graph.ts';
import {
  fromJson,
  toJson,
  toStepRecord,
  toWorkflowRecord,
  type StepRecord,
  type WorkflowPlan,
  type WorkflowRecord,
  type WorkflowStatus,
  type WorkflowWithSteps,
} from './records.ts';

export interface NewWorkflow {
  kind: string;
  /** What it acts on, e.g. the secret ARN. */
  subject: string;
  /** The desired configuration. Never a secret value. */
  input: unknown;
  plan: WorkflowPlan;
  createdBy: Principal;
  /** The request's Idempotency-Key header: the same key gives back the same workflow. */
  idempotencyKey?: string | null | undefined;
  /** When given, the audit record of the request is written in the same transaction. */
  audit?: { action: string; sourceIp: string | null; userAgent?: string | null | undefined; before?: unknown } | undefined;
  /**
   * One change at a time per subject: when another pending or running workflow acts on the same
   * subject (under another idempotency key), nothing is stored and a ConflictError with this
   * message is thrown. Checked inside the insert's transaction, so two requests at the same
   * instant, even in two API processes, cannot both pass.
   */
  exclusive?: ((other: WorkflowRecord) => string) | undefined;
}

export interface CreatedWorkflow {
  workflow: WorkflowWithSteps;
  /** False when the idempotency key named a workflow that already existed. */
  created: boolean;
}

export interface AuditEntry {
  actor: { id: string; name: string };
  action: string;
  subject: string;
  sourceIp?: string | null | undefined;
  userAgent?: string | null | undefined;
  before?: unknown;
  after?: unknown;
  workflowId?: string | null | undefined;
  outcome: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: { id: string; name: string };
  action: string;
  subject: string;
  sourceIp: string | null;
  userAgent: string | null;
  before: unknown;
  after: unknown;
  workflowId: string | null;
  outcome: string;
  /** How many times it happened: counted refusals (countAudit) say how many; everything else 1. */
  count: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface WorkflowFilter {
  subject?: string | undefined;
  kind?: string | undefined;
  status?: readonly WorkflowStatus[] | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

export interface AuditFilter {
  subject?: string | undefined;
  /** Records whose subject contains this text (the audit page's search). */
  subjectContains?: string | undefined;
  /** The actor's id or name, exactly. */
  actor?: string | undefined;
  /** The action exactly, or every action under a prefix ending in a dot ("auth."). */
  action?: string | undefined;
  outcome?: string | undefined;
  /** ISO times: at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  workflowId?: string | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

const MAX_IDEMPOTENCY_KEY = 255;
const MAX_PAGE = 200;

/** Thrown inside the create transaction to roll it back when another request already holds the key. */
class KeyAlreadyUsed extends Error {}

/** Workflows, their steps and the audit log: the reads and writes the HTTP layer needs. */
export class WorkflowStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Stores a workflow and its steps in one transaction; each step gets its idempotency token now,
   * once, so every later run of the step passes AWS the same one. With an idempotency key that
   * was used before, nothing is created and the existing workflow comes back (`created: false`).
   */
  async create(spec: NewWorkflow): Promise<CreatedWorkflow> {
    assertRunnablePlan(spec.plan.steps);
    const key = spec.idempotencyKey ?? null;
    if (key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY)) {
      throw new InputError({ message: `An Idempotency-Key has 1 to ${MAX_IDEMPOTENCY_KEY} characters.` });
    }
    if (key !== null) {
      const existing = await this.#replay(key, spec);
      if (existing) return { workflow: existing, created: false };
    }

    const id = randomUUID();
    try {
      await this.#db.transaction().execute(async (trx) => {
        if (spec.exclusive) await this.#refuseWhileActive(trx, spec.subject, key, spec.exclusive);
        if (!(await this.#insert(trx, id, spec))) throw new KeyAlreadyUsed();
      });
    } catch (error) {
      if (error instanceof KeyAlreadyUsed && key !== null) {
        const existing = await this.#replay(key, spec);
        if (existing) return { workflow: existing, created: false };
      }
      throw error;
    }
    const workflow = await this.get(id);
    if (!workflow) throw new Error(`Workflow ${id} vanished right after it was stored.`);
    return { workflow, created: true };
  }

  /**
   * Stores a workflow under `id` inside the caller's transaction, for one that is stored together
   * with something else or not at all (a batch and its shared steps, batch-store.ts). No replay
   * under its idempotency key: a key already taken fails, and so rolls back, the caller's transaction.
   */
  async createWithin(trx: Transaction<Database>, id: string, spec: Omit<NewWorkflow, 'exclusive'>): Promise<void> {
    assertRunnablePlan(spec.plan.steps);
    if (!(await this.#insert(trx, id, spec))) throw new Error(`The idempotency key ${spec.idempotencyKey ?? ''} names another workflow already.`);
  }

  /** The workflow's row, its steps (each with its token) and its audit record; false when its idempotency key is taken (nothing stored). */
  async #insert(trx: Transaction<Database>, id: string, spec: Omit<NewWorkflow, 'exclusive'>): Promise<boolean> {
    const now = new Date().toISOString();
    // ON CONFLICT DO NOTHING rather than catching a unique violation: on PostgreSQL a
    // violation would abort the transaction, and this way a concurrent request with the
    // same key waits for the other to commit and then inserts nothing.
    const inserted = await trx
      .insertInto('workflows')
      .values({
        id,
        kind: spec.kind,
        status: 'pending',
        subject: spec.subject,
        input: toJson(spec.input),
        plan: toJson(spec.plan),
        created_by: toJson(spec.createdBy),
        idempotency_key: spec.idempotencyKey ?? null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        error: null,
        lease_owner: null,
        lease_expires_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;

    if (spec.plan.steps.length > 0) {
      await trx
        .insertInto('workflow_steps')
        .values(
          spec.plan.steps.map((step, position) => ({
            workflow_id: id,
            step_id: step.id,
            position,
            kind: step.kind,
            title: step.title ?? step.kind,
            depends_on: toJson(step.dependsOn),
            input: step.input === undefined ? null : toJson(step.input),
            status: 'pending' as const,
            idempotency_token: randomUUID(),
            attempts: 0,
            started_at: null,
            finished_at: null,
            output: null,
            aws_request_id: null,
            error: null,
          })),
        )
        .execute();
    }
    if (spec.audit) {
      await trx
        .insertInto('audit_log')
        .values(
          auditRow({
            actor: spec.createdBy,
            action: spec.audit.action,
            subject: spec.subject,
            sourceIp: spec.audit.sourceIp,
            userAgent: spec.audit.userAgent,
            before: spec.audit.before,
            after: spec.input,
            workflowId: id,
            outcome: 'accepted',
          }),
        )
        .execute();
    }
    return true;
  }

  /**
   * Throws when another workflow on `subject` is pending or running. Concurrent creators take turns:
   * on PostgreSQL (where several API processes share the database) through a transaction-scoped
   * advisory lock on the subject, since READ COMMITTED alone would let both see no active workflow;
   * on SQLite (one API process) Kysely runs one transaction at a time on its one connection.
   */
  async #refuseWhileActive(trx: Transaction<Database>, subject: string, key: string | null, message: (other: WorkflowRecord) => string): Promise<void> {
    if (trx.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`select pg_advisory_xact_lock(hashtext(${subject}))`.execute(trx);
    }
    let query = trx.selectFrom('workflows').selectAll().where('subject', '=', subject).where('status', 'in', ['pending', 'running']);
    // A retry under the same key is the same request: the insert's key conflict replays it.
    if (key !== null) query = query.where((eb) => eb.or([eb('idempotency_key', 'is', null), eb('idempotency_key', '!=', key)]));
    const other = await query.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (other) throw new ConflictError({ message: message(toWorkflowRecord(other)) });
  }

  /** The workflow with its steps in plan order, or null. */
  async get(id: string): Promise<WorkflowWithSteps | null> {
    const row = await this.#db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const steps = await this.#db.selectFrom('workflow_steps').selectAll().where('workflow_id', '=', id).orderBy('position').execute();
    return { ...toWorkflowRecord(row), steps: steps.map(toStepRecord) };
  }

  /** Newest first, without steps. */
  async list(filter: WorkflowFilter = {}): Promise<Page<WorkflowRecord>> {
    const limit = pageSize(filter.limit);
    let query = this.#db.selectFrom('workflows').selectAll();
    if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.status && filter.status.length > 0) query = query.where('status', 'in', [...filter.status]);
    const after = filter.cursor ? decodeCursor(filter.cursor) : null;
    if (after) {
      query = query.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toWorkflowRecord);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  /**
   * Every step of one kind in workflows of one kind, with its workflow (newest first): e.g. each
   * master secret grant that enabling rotation planned, whoever it was for.
   */
  async listSteps(filter: { workflowKind: string; stepKind: string }): Promise<{ workflow: WorkflowRecord; step: StepRecord }[]> {
    const rows = await this.#db
      .selectFrom('workflow_steps')
      .innerJoin('workflows', 'workflows.id', 'workflow_steps.workflow_id')
      .selectAll('workflow_steps')
      .select(['workflows.id as w_id'])
      .where('workflows.kind', '=', filter.workflowKind)
      .where('workflow_steps.kind', '=', filter.stepKind)
      .orderBy('workflows.created_at', 'desc')
      .execute();
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.w_id))];
    const workflows = new Map((await this.#db.selectFrom('workflows').selectAll().where('id', 'in', ids).execute()).map((w) => [w.id, toWorkflowRecord(w)]));
    return rows.flatMap((row) => {
      const workflow = workflows.get(row.w_id);
      return workflow ? [{ workflow, step: toStepRecord(row) }] : [];
    });
  }

  /** `within`: a transaction of the caller's, when the record must be stored with what it records or not at all. */
  async appendAudit(entry: AuditEntry, within: Kysely<Database> = this.#db): Promise<AuditRecord> {
    const row = auditRow(entry);
    await within.insertInto('audit_log').values(row).execute();
    return toAuditRecord(row);
  }

  /**
   * One record for a repeated event: the first call under `key` writes `entry` with a count of 1,
   * each later one adds 1 to it (an upsert, the same on SQLite and PostgreSQL). The record keeps the
   * first occurrence's time and details.
   */
  async countAudit(key: string, entry: AuditEntry): Promise<void> {
    await this.#db
      .insertInto('audit_log')
      .values({ ...auditRow(entry), id: key })
      .onConflict((oc) => oc.column('id').doUpdateSet({ repeat_count: sql<number>`audit_log.repeat_count + 1` }))
      .execute();
  }

  /** Newest first. */
  async listAudit(filter: AuditFilter = {}): Promise<Page<AuditRecord>> {
    const limit = pageSize(filter.limit);
    let query = this.#db.selectFrom('audit_log').selectAll();
    if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
    if (filter.workflowId !== undefined) query = query.where('workflow_id', '=', filter.workflowId);
    if (filter.subjectContains !== undefined) query = query.where(likeEscaped('subject', `%${escapeLike(filter.subjectContains)}%`));
    if (filter.actor !== undefined) {
      const actor = filter.actor;
      query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
    }
    if (filter.action !== undefined) {
      query = filter.action.endsWith('.') ? query.where(likeEscaped('action', `${escapeLike(filter.action)}%`)) : query.where('action', '=', filter.action);
    }
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const after = filter.cursor ? decodeCursor(filter.cursor) : null;
    if (after) {
      query = query.where((eb) => eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]));
    }
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toAuditRecord);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
  }

  /** The workflow stored under this key, if the request matches the one that stored it. */
  async #replay(key: string, spec: NewWorkflow): Promise<WorkflowWithSteps | null> {
    const row = await this.#db.selectFrom('workflows').select(['id', 'kind', 'subject', 'created_by']).where('idempotency_key', '=', key).executeTakeFirst();
    if (!row) return null;
    const owner = fromJson(row.created_by) as Principal;
    // A reused key for another request, or from another person, must not hand back someone else's workflow.
    if (row.kind !== spec.kind || row.subject !== spec.subject || owner.id !== spec.createdBy.id) {
      throw new ConflictError({ message: 'This Idempotency-Key was already used for a different request.' });
    }
    return this.get(row.id);
  }
}

/** The longest subject kept: a route is cut there (a 16 KB path must not make a 16 KB row). */
export const AUDIT_SUBJECT_MAX = 512;

const auditRow = (entry: AuditEntry): Selectable<AuditLogTable> => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  actor_id: entry.actor.id,
  actor_name: entry.actor.name,
  action: entry.action,
  subject: entry.subject.slice(0, AUDIT_SUBJECT_MAX),
  source_ip: entry.sourceIp ?? null,
  user_agent: entry.userAgent?.slice(0, 512) ?? null,
  before: entry.before === undefined ? null : toJson(entry.before),
  after: entry.after === undefined ? null : toJson(entry.after),
  workflow_id: entry.workflowId ?? null,
  outcome: entry.outcome,
  repeat_count: 1,
});

const toAuditRecord = (row: Selectable<AuditLogTable>): AuditRecord => ({
  id: row.id,
  at: row.at,
  actor: { id: row.actor_id, name: row.actor_name },
  action: row.action,
  subject: row.subject,
  sourceIp: row.source_ip,
  userAgent: row.user_agent,
  before: fromJson(row.before),
  after: fromJson(row.after),
  workflowId: row.workflow_id,
  outcome: row.outcome,
  count: row.repeat_count,
});

/** The user's text as plain text inside a LIKE pattern: its % _ and \ are escaped. */
const escapeLike = (text: string) => text.replace(/[%_\\]/g, (c) => `\\${c}`);

/** `column LIKE pattern ESCAPE '\'`, the same on SQLite and PostgreSQL. */
const likeEscaped = (column: 'subject' | 'action', pattern: string) => sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;

const pageSize = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? 50), 1), MAX_PAGE);

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

const decodeCursor = (cursor: string): { at: string; id: string } => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InputError({ message: 'The cursor is not one this API gave out.' });
};
