/**
 * Row types of the console's own tables, as both SQLite and PostgreSQL store them.
 *
 * Portable choices, kept the same everywhere:
 * - ids are text (UUIDs);
 * - timestamps are ISO-8601 text in UTC from `Date#toISOString()` (always 24 characters,
 *   ending in `Z`), so text order is time order and `<` works in both databases (with the
 *   separators in the same places, even a collation that ignores punctuation keeps the order);
 * - JSON is stored as text and parsed by the store, never by SQL.
 */
import type { ColumnType } from 'kysely';

export type WorkflowStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** ISO-8601 UTC text, e.g. `2026-11-28T17:22:55.123Z`. */
export type IsoTimestamp = string;
/** JSON document stored as text. */
export type JsonText = string;

export interface WorkflowsTable {
  id: string;
  kind: string;
  status: WorkflowStatus;
  /** What the workflow acts on, e.g. the secret ARN. */
  subject: string;
  /** The desired configuration. Never a secret value. */
  input: JsonText;
  plan: JsonText;
  /** The principal who asked for it: { id, name, roles, teams }. */
  created_by: JsonText;
  idempotency_key: string | null;
  created_at: ColumnType<IsoTimestamp, IsoTimestamp, never>;
  updated_at: IsoTimestamp;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: IsoTimestamp | null;
}

export interface WorkflowStepsTable {
  workflow_id: ColumnType<string, string, never>;
  step_id: ColumnType<string, string, never>;
  position: ColumnType<number, number, never>;
  kind: ColumnType<string, string, never>;
  title: ColumnType<string, string, never>;
  /** JSON list of the step ids this step waits for. */
  depends_on: ColumnType<JsonText, JsonText, never>;
  /** What the step is asked to ensure (JSON), or null. */
  input: ColumnType<JsonText | null, JsonText | null, never>;
  status: StepStatus;
  /** Created once when the plan is stored; passed to AWS wherever AWS takes a client token. */
  idempotency_token: ColumnType<string, string, never>;
  attempts: number;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  output: JsonText | null;
  aws_request_id: string | null;
  error: string | null;
}

export interface AuditLogTable {
  id: string;
  at: IsoTimestamp;
  actor_id: string;
  actor_name: string;
  action: string;
  subject: string;
  source_ip: string | null;
  before: JsonText | null;
  after: JsonText | null;
  workflow_id: string | null;
  outcome: string;
}

/** Kysely's view of the whole database. */
export interface Database {
  workflows: WorkflowsTable;
  workflow_steps: WorkflowStepsTable;
  audit_log: AuditLogTable;
}
