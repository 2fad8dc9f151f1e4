import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { Database } from './schema.ts';

/**
 * The one list of migrations for both databases, in code so it ships with the API
 * (no folder to find at run time). Names sort in order; never edit one that has shipped,
 * add the next instead. Only portable types: text, integer.
 */
const migrations: Record<string, Migration> = {
  '0001_workflows_steps_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('workflows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('error', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .execute();
      // The runner looks for unfinished work at boot; lists filter by subject and sort by time.
      await db.schema.createIndex('workflows_status_idx').on('workflows').column('status').execute();
      await db.schema.createIndex('workflows_subject_created_idx').on('workflows').columns(['subject', 'created_at']).execute();
      await db.schema.createIndex('workflows_created_idx').on('workflows').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('workflow_steps')
        .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('depends_on', 'text', (c) => c.notNull())
        .addColumn('input', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('idempotency_token', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('output', 'text')
        .addColumn('aws_request_id', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('workflow_steps_pk', ['workflow_id', 'step_id'])
        .execute();

      // No foreign key to workflows: the audit trail outlives whatever it mentions.
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('workflow_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
      await db.schema.createIndex('audit_log_subject_idx').on('audit_log').columns(['subject', 'at']).execute();
      await db.schema.createIndex('audit_log_workflow_idx').on('audit_log').column('workflow_id').execute();
    },
  },
  '0002_dashboard_secret_index': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('secret_index')
        .addColumn('arn', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('team', 'text')
        .addColumn('engine', 'text')
        .addColumn('owning_service', 'text')
        .addColumn('rotation_enabled', 'integer', (c) => c.notNull())
        .addColumn('lambda_arn', 'text')
        .addColumn('rotation_days', 'integer')
        .addColumn('schedule_expression', 'text')
        .addColumn('window_duration', 'text')
        .addColumn('last_rotated_at', 'text')
        .addColumn('next_rotation_at', 'text')
        .addColumn('due_at', 'text')
        .addColumn('version_stages', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_rank', 'integer', (c) => c.notNull())
        .addColumn('covered', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text')
        .addColumn('last_changed_at', 'text')
        .addColumn('indexed_at', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .execute();
      // One index per sort of the dashboard list (name breaks ties); "no value" sorts as the
      // largest on both databases through the (x IS NULL) expression, which both can index.
      await db.schema.createIndex('secret_index_name_idx').on('secret_index').column('name').execute();
      await db.schema.createIndex('secret_index_status_idx').on('secret_index').columns(['status_rank', 'name']).execute();
      for (const column of ['team', 'engine', 'last_rotated_at', 'next_rotation_at']) {
        await sql`CREATE INDEX ${sql.id(`secret_index_${column}_idx`)} ON secret_index ((${sql.ref(column)} IS NULL), ${sql.ref(column)}, name)`.execute(db);
      }
      // The summary groups by these four and reads nothing else: an index-only scan.
      await db.schema.createIndex('secret_index_summary_idx').on('secret_index').columns(['team', 'engine', 'status', 'covered']).execute();
      // Healthy secrets by due date: "due in 7 days", and those that became overdue since.
      await db.schema.createIndex('secret_index_due_idx').on('secret_index').columns(['status', 'due_at']).execute();
      await db.schema.createIndex('secret_index_generation_idx').on('secret_index').column('generation').execute();

      await db.schema
        .createTable('secret_index_state')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('indexed_at', 'text')
        .addColumn('updated_at', 'text')
        .addColumn('secrets_indexed', 'integer', (c) => c.notNull())
        .addColumn('crawl_owner', 'text')
        .addColumn('crawl_lease_expires_at', 'text')
        .addColumn('crawl_started_at', 'text')
        .addColumn('last_crawl_ms', 'integer')
        .addColumn('last_crawl_pages', 'integer')
        .addColumn('last_error', 'text')
        .execute();
      await sql`INSERT INTO secret_index_state (id, generation, secrets_indexed) VALUES ('secrets', 0, 0)`.execute(db);
    },
  },
  '0003_identity_records': {
    async up(db: Kysely<unknown>) {
      // Sessions and pending sign-ins, shared by every API process on this database. `id` is
      // HMAC(SESSION_SECRET, the cookie's random id): reading the table gives no usable cookie.
      await db.schema
        .createTable('identity_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      // The sweep deletes by expiry.
      await db.schema.createIndex('identity_records_expires_idx').on('identity_records').column('expires_at').execute();
    },
  },
  '0004_audit_user_agent': {
    async up(db: Kysely<unknown>) {
      // Where a request came from: the browser or tool beside the source IP. The audit page filters by actor, action and outcome.
      await db.schema.alterTable('audit_log').addColumn('user_agent', 'text').execute();
      await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'at']).execute();
      await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'at']).execute();
    },
  },
  '0005_audit_repeat_count': {
    async up(db: Kysely<unknown>) {
      // How many times one record happened: the refusals of unauthenticated requests from one
      // address within one minute are one record (platform/audit-trail.ts), not one row each.
      await db.schema
        .alterTable('audit_log')
        .addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  },
  '0006_resource_locks': {
    async up(db: Kysely<unknown>) {
      // Leases on shared AWS resources (a VPC's endpoint, a function, a role), so that steps of
      // different workflows, in any API process on this database, change one of them one at a time.
      await db.schema
        .createTable('resource_locks')
        .addColumn('resource_key', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('workflow_id', 'text')
        .addColumn('acquired_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0007_rotation_evidence': {
    async up(db: Kysely<unknown>) {
      // What a rotation function's log said of one rotation (its token is the version it made),
      // read once: a secret is healthy only on this evidence (packages/rotation deriveStatus).
      await db.schema
        .createTable('rotation_evidence')
        .addColumn('arn', 'text', (c) => c.notNull())
        .addColumn('version_id', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('failed_step', 'text')
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rotation_evidence_pk', ['arn', 'version_id'])
        .execute();
      // The step a failed last rotation stopped at, for the dashboard's and the portal's rows.
      await db.schema.alterTable('secret_index').addColumn('failed_step', 'text').execute();
      // The new status "unknown" sorts after overdue: the ranks after it move up by one (index-row.ts STATUS_RANK).
      await sql`UPDATE secret_index SET status_rank = status_rank + 1 WHERE status IN ('not_enabled', 'healthy', 'managed')`.execute(db);
    },
  },
  '0008_secret_index_tags': {
    async up(db: Kysely<unknown>) {
      // Every tag of a secret (JSON), so the Secrets list answers its rows from the index as ListSecrets would.
      await db.schema
        .alterTable('secret_index')
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      // The rows already there hold no tags yet: a fingerprint no row can have makes the next crawl rewrite each.
      await sql`UPDATE secret_index SET fingerprint = ''`.execute(db);
    },
  },
  '0009_secret_index_targets': {
    async up(db: Kysely<unknown>) {
      // The index spans account-regions (targets): each row says where its secret lives, and each
      // target has its own crawl state, lease and error (index_targets).
      await db.schema
        .alterTable('secret_index')
        .addColumn('account_id', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('secret_index')
        .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // The rows already there: their ARN names both (arn:partition:secretsmanager:region:account:secret:name).
      const { rows } = await sql<{ arn: string }>`SELECT arn FROM secret_index`.execute(db);
      const places = new Set(rows.map((r) => r.arn.split(':').slice(3, 5).join(':')));
      for (const place of places) {
        const [region = '', account = ''] = place.split(':');
        await sql`UPDATE secret_index SET account_id = ${account}, region = ${region} WHERE arn LIKE ${`arn:%:secretsmanager:${region}:${account}:%`}`.execute(
          db,
        );
      }
      await db.schema.createIndex('secret_index_target_idx').on('secret_index').columns(['account_id', 'region', 'generation']).execute();
      await db.schema.createIndex('secret_index_region_idx').on('secret_index').columns(['region', 'account_id']).execute();
      await db.schema
        .createTable('index_targets')
        .addColumn('target_key', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('account_name', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('crawl_owner', 'text')
        .addColumn('crawl_lease_expires_at', 'text')
        .addColumn('crawl_started_at', 'text')
        .addColumn('indexed_at', 'text')
        .addColumn('secrets_indexed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_crawl_ms', 'integer')
        .addColumn('last_crawl_pages', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'text')
        .execute();
    },
  },
  '0010_rotation_events': {
    async up(db: Kysely<unknown>) {
      // Secrets Manager's events as the consumer applied them (modules/events): the EventBridge event id
      // is the key, so a message delivered twice (SQS is at-least-once), or consumed by two API
      // processes, is applied once.
      await db.schema
        .createTable('rotation_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('detail_type', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('secret_id', 'text', (c) => c.notNull())
        .addColumn('event_time', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rotation_events_received_idx').on('rotation_events').column('received_at').execute();
      // Messages set aside: unparseable, or failing again and again. Never the message body (it could hold anything).
      await db.schema
        .createTable('poison_messages')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('queue_url', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('receive_count', 'integer', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('detail_type', 'text')
        .addColumn('body_bytes', 'integer', (c) => c.notNull())
        .addColumn('set_aside_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('poison_messages_set_aside_idx').on('poison_messages').column('set_aside_at').execute();
    },
  },
  '0012_batches': {
    async up(db: Kysely<unknown>) {
      // A batch: one action on many secrets; each included secret gets its own workflow (batch_items.workflow_id).
      await db.schema
        .createTable('batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('shared_workflow_id', 'text')
        .addColumn('staggering', 'text', (c) => c.notNull())
        .addColumn('pacing', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('batches_created_idx').on('batches').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('batches_status_idx').on('batches').column('status').execute();
      await db.schema
        .createTable('batch_items')
        .addColumn('batch_id', 'text', (c) => c.notNull().references('batches.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('secret_arn', 'text', (c) => c.notNull())
        .addColumn('secret_name', 'text', (c) => c.notNull())
        .addColumn('team', 'text')
        .addColumn('refusal', 'text')
        .addColumn('start_offset_ms', 'integer')
        .addColumn('schedule', 'text')
        .addColumn('spec', 'text')
        .addColumn('workflow_id', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('batch_items_pk', ['batch_id', 'position'])
        .execute();
      await db.schema.createIndex('batch_items_workflow_idx').on('batch_items').column('workflow_id').execute();
    },
  },
  '0013_freeze_windows': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('freeze_windows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Every read is one team's windows.
      await db.schema.createIndex('freeze_windows_team_idx').on('freeze_windows').column('team').execute();
    },
  },
  '0014_batch_previews': {
    async up(db: Kysely<unknown>) {
      // A batch preview's plan, kept a few minutes so that Start applies the plan the person reviewed
      // (modules/batches/batch-preview-store.ts). Used once, then deleted; expired rows go when the next is stored.
      await db.schema
        .createTable('batch_previews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('batch_previews_expires_idx').on('batch_previews').column('expires_at').execute();
    },
  },
  '0015_batch_idempotency_keys': {
    async up(db: Kysely<unknown>) {
      // Start's Idempotency-Key (modules/batches/batches.service.ts): one person's key names one batch,
      // so a retry gives back the batch the first call stored, and of two calls at once one stores it.
      // The key is scoped to who started the batch, whose id the JSON in created_by holds: a column of
      // its own for the unique index, filled in for the batches already there.
      await db.schema.alterTable('batches').addColumn('created_by_id', 'text').execute();
      await db.schema.alterTable('batches').addColumn('idempotency_key', 'text').execute();
      const { rows } = await sql<{ id: string; created_by: string }>`SELECT id, created_by FROM batches`.execute(db);
      for (const row of rows) {
        const { id } = JSON.parse(row.created_by) as { id: string };
        await sql`UPDATE batches SET created_by_id = ${id} WHERE id = ${row.id}`.execute(db);
      }
      // A batch started without a key has NULL there, and NULLs never collide in a unique index (SQLite and PostgreSQL alike).
      await db.schema.createIndex('batches_idempotency_key_idx').on('batches').columns(['created_by_id', 'idempotency_key']).unique().execute();
    },
  },
  '0011_alerts': {
    async up(db: Kysely<unknown>) {
      // Alert channels made on the portal (the teams file's live in the file). The URL and the
      // webhook's signing secret are credentials: the API never answers with them.
      await db.schema
        .createTable('alert_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('recipients', 'text')
        .addColumn('signing_secret', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_channels_team_idx').on('alert_channels').columns(['team', 'created_at']).execute();
      // One row per secret (or team) and cause while the cause holds: the episode it is in (a
      // rotation's version, an overdue period's due date) and whether its alert went out.
      await db.schema
        .createTable('alert_episodes')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('episode', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('notified_at', 'text')
        .addPrimaryKeyConstraint('alert_episodes_pk', ['subject', 'cause'])
        .execute();
      // The outbox: one row per alert and channel, sent by whichever API process holds the channel's lease.
      await db.schema
        .createTable('alert_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('folded_into', 'text')
        .execute();
      await db.schema.createIndex('alert_outbox_due_idx').on('alert_outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('alert_outbox_channel_idx').on('alert_outbox').columns(['channel_id', 'status', 'created_at']).execute();
      await db.schema
        .createTable('alert_channel_leases')
        .addColumn('channel_id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('lease_expires_at', 'text', (c) => c.notNull())
        .execute();
      // The delivery log: each attempt, for the team on the portal (and the channel's rate limit).
      await db.schema
        .createTable('alert_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('channel_name', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('reply', 'text')
        .addColumn('error', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_deliveries_team_idx').on('alert_deliveries').columns(['team', 'at']).execute();
      await db.schema.createIndex('alert_deliveries_channel_idx').on('alert_deliveries').columns(['channel_id', 'at']).execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {
  readonly migrationName: string | undefined;
  constructor(options: { message: string; migrationName?: string | undefined; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'MigrationError';
    this.migrationName = options.migrationName;
  }
}

const migrate = (db: Kysely<Database>): Promise<MigrationResultSet> => new Migrator({ db, provider }).migrateToLatest();

/**
 * Kysely takes no migration lock on SQLite, so two API processes booting on one file would
 * both run a migration. BEGIN IMMEDIATE takes SQLite's write lock first (the other process
 * waits its busy timeout, then finds nothing left to do), and SQLite's DDL is transactional.
 */
const migrateSqlite = (db: Kysely<Database>): Promise<MigrationResultSet> =>
  db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const resultSet = await migrate(connection);
      await sql.raw(resultSet.error ? 'ROLLBACK' : 'COMMIT').execute(connection);
      return resultSet;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });

/**
 * Brings the schema to the latest migration; run at boot before the app listens.
 * Safe to run again and from several processes at once: Kysely records what ran and,
 * on PostgreSQL, holds an advisory lock while it migrates.
 * Returns the names of the migrations it ran now.
 */
export const migrateToLatest = async (db: Kysely<Database>): Promise<string[]> => {
  const { error, results = [] } = db.getExecutor().adapter instanceof SqliteAdapter ? await migrateSqlite(db) : await migrate(db);
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationError({
      message: `Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      migrationName: failed?.migrationName,
      cause: error,
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
};

/** Every migration's name, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();
