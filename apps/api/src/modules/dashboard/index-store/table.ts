import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { NewIndexRow } from '../index-row.ts';

/** The one row of secret_index_state. */
export const STATE_ID = 'secrets';

/** The teams the caller may see (policy.ts visibleTeams); 'all': every secret, untagged ones too. */
export type TeamScope = 'all' | string[];

export interface WriteResult {
  inserted: number;
  /** Rows whose content changed (new ones included). */
  changed: number;
}

/** Counts and generations come back as strings or bigints on some drivers. */
export const num = (value: unknown) => Number(value ?? 0);

/** The rows of the teams in `scope`, in SQL: no team is no row, and an untagged secret is in no team. */
export const scopeExpr = (eb: ExpressionBuilder<Database, 'secret_index'>, scope: TeamScope | undefined): Expression<SqlBool> | null => {
  if (scope === undefined || scope === 'all') return null;
  return scope.length === 0 ? sql<SqlBool>`1 = 0` : eb('team', 'in', scope);
};

/** The index's state row, with its counters as numbers. */
export const readState = async (db: Kysely<Database>) => {
  const row = await db.selectFrom('secret_index_state').selectAll().where('id', '=', STATE_ID).executeTakeFirstOrThrow();
  return { ...row, generation: num(row.generation), secrets_indexed: num(row.secrets_indexed) };
};

export type IndexState = Awaited<ReturnType<typeof readState>>;

/** Every target's crawl state (index_targets), by account then region, with its counters as numbers. */
export const readTargets = async (db: Kysely<Database>) =>
  (await db.selectFrom('index_targets').selectAll().orderBy('account_id').orderBy('region').execute()).map((t) => ({
    ...t,
    generation: num(t.generation),
    secrets_indexed: num(t.secrets_indexed),
  }));

export type TargetState = Awaited<ReturnType<typeof readTargets>>[number];

/** Every column an upsert rewrites (all but the key). */
const CONTENT_COLUMNS = [
  'account_id',
  'region',
  'name',
  'name_lower',
  'description',
  'tags',
  'team',
  'engine',
  'owning_service',
  'rotation_enabled',
  'lambda_arn',
  'rotation_days',
  'schedule_expression',
  'window_duration',
  'last_rotated_at',
  'next_rotation_at',
  'due_at',
  'version_stages',
  'status',
  'failed_step',
  'status_rank',
  'covered',
  'created_at',
  'last_changed_at',
  'indexed_at',
  'generation',
  'fingerprint',
] as const;
// A column added to the index but not listed above would never be rewritten: this fails to compile then.
const everyColumnListed: Exclude<keyof NewIndexRow, (typeof CONTENT_COLUMNS)[number] | 'arn'> extends never ? true : never = true;
void everyColumnListed;

/** The stored fingerprint of each of `arns` the index holds. */
export const fingerprints = async (db: Kysely<Database>, arns: string[]): Promise<Map<string, string>> => {
  if (arns.length === 0) return new Map();
  const rows = await db.selectFrom('secret_index').select(['arn', 'fingerprint']).where('arn', 'in', arns).execute();
  return new Map(rows.map((r) => [r.arn, r.fingerprint]));
};

/** Inserts `rows`, rewriting every content column of the ones already there. */
export const upsertRows = async (db: Kysely<Database>, rows: NewIndexRow[]): Promise<void> => {
  await db
    .insertInto('secret_index')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('arn')
        .doUpdateSet((eb) => Object.fromEntries(CONTENT_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])) as Record<(typeof CONTENT_COLUMNS)[number], never>),
    )
    .execute();
};
