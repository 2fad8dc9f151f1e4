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
  user_agent: string | null;
  before: JsonText | null;
  after: JsonText | null;
  workflow_id: string | null;
  outcome: string;
  /** How many times it happened (refusals counted per source and minute); 1 for everything else. */
  repeat_count: number;
}

/**
 * The dashboard's index: one row per secret, from ListSecrets (the crawl) or DescribeSecret
 * (after the console's own writes). Never a secret value. `status` is deriveStatus at
 * `indexed_at`; the only way it goes stale with time alone is healthy -> overdue once
 * `due_at` plus the grace hour passes, which the index store settles before it answers.
 */
export interface SecretIndexTable {
  arn: string;
  /** Where the secret lives (its target): the account and region its ARN names. */
  account_id: string;
  region: string;
  name: string;
  /** lower(name), for the case-insensitive "name contains" filter on both databases. */
  name_lower: string;
  description: string | null;
  /** Every tag, [{ key, value }] (JSON). */
  tags: JsonText;
  team: string | null;
  engine: string | null;
  owning_service: string | null;
  /** 0 or 1. */
  rotation_enabled: number;
  lambda_arn: string | null;
  rotation_days: number | null;
  schedule_expression: string | null;
  window_duration: string | null;
  last_rotated_at: IsoTimestamp | null;
  next_rotation_at: IsoTimestamp | null;
  /** When the next rotation is due (packages/rotation dueDate) for rotation that is on; else null. */
  due_at: IsoTimestamp | null;
  /** Version id -> staging labels (JSON). */
  version_stages: JsonText;
  status: string;
  /** For a failed last rotation, the step the function's log shows it failing at (secrets/last-rotation.ts). */
  failed_step: string | null;
  /** Sort order of the status, most urgent first: pending_or_failed 0 ... managed 5 (index-row.ts STATUS_RANK). */
  status_rank: number;
  /** 1 when rotation is on or another service manages the secret. */
  covered: number;
  created_at: IsoTimestamp | null;
  last_changed_at: IsoTimestamp | null;
  indexed_at: IsoTimestamp;
  /** The crawl that last saw the secret (mark and sweep). */
  generation: number;
  /** Hash of everything above that came from AWS, to tell a changed row from a seen one. */
  fingerprint: string;
}

/** One row (`id` = 'secrets'): how fresh the index is, and which process crawls. */
export interface SecretIndexStateTable {
  id: string;
  /** The newest crawl generation handed out. */
  generation: number;
  /** When the last complete crawl finished; null until one has. */
  indexed_at: IsoTimestamp | null;
  /** When the index's content last changed. */
  updated_at: IsoTimestamp | null;
  secrets_indexed: number;
  crawl_owner: string | null;
  crawl_lease_expires_at: IsoTimestamp | null;
  crawl_started_at: IsoTimestamp | null;
  last_crawl_ms: number | null;
  last_crawl_pages: number | null;
  last_error: string | null;
}

/**
 * One account-region the console covers (platform/targets): its crawl's lease, so that of several
 * API processes one crawls it at a time, its generation, its last success and its last error.
 */
export interface IndexTargetsTable {
  /** `<account id>:<region>`. */
  target_key: string;
  account_id: string;
  account_name: string;
  region: string;
  /** The generation of its crawl under way or last run (mark and sweep within the target). */
  generation: number;
  crawl_owner: string | null;
  crawl_lease_expires_at: IsoTimestamp | null;
  crawl_started_at: IsoTimestamp | null;
  /** When its last complete crawl finished: its last success. */
  indexed_at: IsoTimestamp | null;
  secrets_indexed: number;
  last_crawl_ms: number | null;
  last_crawl_pages: number | null;
  /** Why its last crawl failed; null once one succeeds. */
  last_error: string | null;
  last_error_at: IsoTimestamp | null;
}

/** A session or a pending sign-in (platform/identity/db-record-store.ts). Never a token. */
export interface IdentityRecordsTable {
  /** HMAC(SESSION_SECRET, cookie id), base64url; the cookie's id itself is never stored. */
  id: string;
  kind: 'session' | 'pending-login';
  /** The record as JSON: a session's principal and times, or a pending login's state, nonce, PKCE verifier. */
  record: JsonText;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
}

/** A lease on a shared AWS resource (platform/workflow/resource-locks.ts); one row while it is held. */
export interface ResourceLocksTable {
  /** e.g. `vpc-endpoint:us-east-1:vpc-0abc`, `lambda-function:<arn>`, `iam-role:<name>`. */
  resource_key: string;
  /** Which step of which runner holds it. */
  owner: string;
  workflow_id: string | null;
  acquired_at: IsoTimestamp;
  /** Renewed while the holder works; once past, another may take it (the holder died). */
  expires_at: IsoTimestamp;
}

/** Kysely's view of the whole database. */
export interface Database {
  workflows: WorkflowsTable;
  workflow_steps: WorkflowStepsTable;
  audit_log: AuditLogTable;
  secret_index: SecretIndexTable;
  secret_index_state: SecretIndexStateTable;
  index_targets: IndexTargetsTable;
  identity_records: IdentityRecordsTable;
  resource_locks: ResourceLocksTable;
  rotation_evidence: RotationEvidenceTable;
  freeze_windows: FreezeWindowsTable;
  batches: BatchesTable;
  batch_items: BatchItemsTable;
  batch_previews: BatchPreviewsTable;
  rotation_events: RotationEventsTable;
  poison_messages: PoisonMessagesTable;
  alert_channels: AlertChannelsTable;
  alert_episodes: AlertEpisodesTable;
  alert_outbox: AlertOutboxTable;
  alert_channel_leases: AlertChannelLeasesTable;
  alert_deliveries: AlertDeliveriesTable;
}

/** A team's freeze window added on the portal (the teams file's are read from the file). */
export interface FreezeWindowsTable {
  id: string;
  team: string;
  name: string;
  reason: string | null;
  /** The FreezeWhen (JSON): once, weekly or monthly, in UTC. */
  definition: JsonText;
  created_by: string;
  created_at: IsoTimestamp;
}

export type BatchStatusText = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One action on many secrets (modules/batches). */
export interface BatchesTable {
  id: string;
  action: string;
  summary: string;
  /** The request as parsed (the selection and the action). Never a secret value. */
  input: JsonText;
  created_by: JsonText;
  created_at: ColumnType<IsoTimestamp, IsoTimestamp, never>;
  finished_at: IsoTimestamp | null;
  /** Running until every item ended; then succeeded, or failed when any item failed. */
  status: BatchStatusText;
  /** The workflow of the shared steps (one function for all), which runs before the items'. */
  shared_workflow_id: string | null;
  staggering: string;
  pacing: string;
  /** Who started it (created_by's id), kept apart for the unique index with idempotency_key (migration 0015). */
  created_by_id: string;
  /** Start's Idempotency-Key header, when it had one: unique per created_by_id. */
  idempotency_key: string | null;
}

/** One secret of a batch: refused, or its own workflow (created when its turn comes). */
export interface BatchItemsTable {
  batch_id: ColumnType<string, string, never>;
  position: ColumnType<number, number, never>;
  secret_arn: string;
  secret_name: string;
  team: string | null;
  /** { reason, message } when refused. */
  refusal: JsonText | null;
  /** Rotate batches: when its workflow starts, after the batch's start. */
  start_offset_ms: number | null;
  /** Enable batches: its own schedule (BatchSecretSchedule). */
  schedule: JsonText | null;
  /** The workflow to create when its turn comes: kind, input, steps, audit. */
  spec: JsonText | null;
  workflow_id: string | null;
  /** Why its workflow was never created (the shared steps failed, another workflow was running). */
  error: string | null;
}

/** A batch preview's plan, kept for Start (modules/batches/batch-preview-store.ts) until it is used or expires. */
export interface BatchPreviewsTable {
  id: string;
  /** The principal's id: only the one who previewed may start it. */
  principal_id: string;
  /** The principal as it was at the preview (JSON). */
  created_by: JsonText;
  /** The request as parsed (BatchRequest), to compare with Start's. Never a secret value. */
  request: JsonText;
  /** The planner's BatchPlan: the preview, each item with its workflow spec, the shared steps. Never a secret value. */
  plan: JsonText;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
}

/** A Secrets Manager event the events consumer applied to the index (modules/events); the EventBridge id keeps it once. */
export interface RotationEventsTable {
  event_id: string;
  /** CloudTrail's eventName: RotationFailed, RotateSecret, DeleteSecret, ... */
  event_name: string;
  /** EventBridge's detail-type: `AWS Service Event via CloudTrail` or `AWS API Call via CloudTrail`. */
  detail_type: string;
  account_id: string;
  region: string;
  /** The secret's ARN, or its name where the call named it so. */
  secret_id: string;
  event_time: IsoTimestamp;
  received_at: IsoTimestamp;
  /** What the index did: updated, unchanged, removed, not-covered (an account-region the console does not cover). */
  outcome: string;
}

/** A queue message the consumer set aside (unparseable, or failing past its receive limit), then deleted from the queue. */
export interface PoisonMessagesTable {
  message_id: string;
  queue_url: string;
  /** Why: the parse error, or the last failure. Never the body. */
  reason: string;
  receive_count: number;
  event_id: string | null;
  detail_type: string | null;
  body_bytes: number;
  set_aside_at: IsoTimestamp;
}

/** An alert channel made on the portal. `url` and `signing_secret` are credentials, never in an answer. */
export interface AlertChannelsTable {
  id: string;
  team: string;
  name: string;
  kind: 'webhook' | 'slack' | 'email';
  url: string | null;
  /** JSON array of addresses (email). */
  recipients: JsonText | null;
  signing_secret: string | null;
  created_at: IsoTimestamp;
  created_by: string;
}

/** While a cause holds for a secret (or a team's digest week): its episode, and when its alert was queued. */
export interface AlertEpisodesTable {
  subject: string;
  cause: string;
  episode: string;
  opened_at: IsoTimestamp;
  notified_at: IsoTimestamp | null;
}

export type AlertOutboxStatus = 'pending' | 'delivered' | 'failed' | 'folded';

/** One alert for one channel, until delivered or given up. `message` is the AlertMessage JSON, built from index fields only. */
export interface AlertOutboxTable {
  id: string;
  team: string;
  channel_id: string;
  rule: string;
  subject: string;
  title: string;
  message: JsonText;
  status: AlertOutboxStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: IsoTimestamp;
  created_at: IsoTimestamp;
  finished_at: IsoTimestamp | null;
  folded_into: string | null;
}

/** Which API process sends a channel's alerts now (one at a time, so its rate limit holds across processes). */
export interface AlertChannelLeasesTable {
  channel_id: string;
  owner: string;
  lease_expires_at: IsoTimestamp;
}

/** One delivery attempt. */
export interface AlertDeliveriesTable {
  id: string;
  alert_id: string;
  team: string;
  channel_id: string;
  channel_name: string;
  rule: string;
  title: string;
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'failed' | 'folded';
  http_status: number | null;
  reply: string | null;
  error: string | null;
  at: IsoTimestamp;
}

/** The verdict on one rotation from its function's log (packages/rotation rotationVerdict), recorded once it is settled. */
export interface RotationEvidenceTable {
  arn: string;
  /** The rotation's ClientRequestToken: the version it made. */
  version_id: string;
  result: 'rotated' | 'failed' | 'unknown';
  failed_step: string | null;
  checked_at: IsoTimestamp;
}
