import type { DashboardSort, SecretStatus } from '@rotation-console/contracts';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import { SCHEDULED_STATUSES, type IndexRow } from '../index-row.ts';
import { num, scopeExpr, type TeamScope } from './table.ts';

// The dashboard's reads, each served by an index of migration 0002.

export interface IndexFilter {
  /** Name contains this text, case-insensitive (the dashboard's filter). */
  name?: string | undefined;
  /** Name starts with this text, case-sensitive (the Secrets list's filter, as ListSecrets' `name` filter matches). */
  namePrefix?: string | undefined;
  status?: SecretStatus | undefined;
  team?: string | undefined;
  engine?: string | undefined;
  /** Secrets of this account, and of this region. */
  accountId?: string | undefined;
  region?: string | undefined;
  /** The teams the caller may see (policy.ts visibleTeams); unset or 'all': every secret, untagged ones too. */
  scope?: TeamScope | undefined;
}

export interface IndexOrder {
  sort: DashboardSort;
  order: 'asc' | 'desc';
}

export interface GroupCount {
  team: string | null;
  engine: string | null;
  accountId: string;
  region: string;
  status: SecretStatus;
  covered: boolean;
  count: number;
}

/** Sort columns that may be empty: "no value" sorts as the largest (last ascending, first descending). */
const NULLABLE_SORT: Partial<Record<DashboardSort, 'team' | 'engine' | 'last_rotated_at' | 'next_rotation_at'>> = {
  team: 'team',
  engine: 'engine',
  lastRotatedDate: 'last_rotated_at',
  nextRotationDate: 'next_rotation_at',
};

/** LIKE with its wildcards taken literally. */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const filterExpr = (eb: ExpressionBuilder<Database, 'secret_index'>, filter: IndexFilter): Expression<SqlBool> => {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.name) conditions.push(sql<SqlBool>`${sql.ref('name_lower')} LIKE ${containsPattern(filter.name)} ESCAPE '\\'`);
  // substr, not LIKE: SQLite's LIKE ignores case. The length is a literal (a number the API counted), so both databases type it.
  if (filter.namePrefix) conditions.push(sql<SqlBool>`substr(${sql.ref('name')}, 1, ${sql.lit(filter.namePrefix.length)}) = ${filter.namePrefix}`);
  if (filter.status) conditions.push(eb('status', '=', filter.status));
  if (filter.team) conditions.push(eb('team', '=', filter.team));
  if (filter.engine) conditions.push(eb('engine', '=', filter.engine));
  if (filter.accountId) conditions.push(eb('account_id', '=', filter.accountId));
  if (filter.region) conditions.push(eb('region', '=', filter.region));
  const scoped = scopeExpr(eb, filter.scope);
  if (scoped) conditions.push(scoped);
  return conditions.length > 0 ? eb.and(conditions) : sql<SqlBool>`1 = 1`;
};

const ordered = (db: Kysely<Database>, filter: IndexFilter, { sort, order }: IndexOrder) => {
  let query = db.selectFrom('secret_index').where((eb) => filterExpr(eb, filter));
  const nullable = NULLABLE_SORT[sort];
  if (sort === 'status') query = query.orderBy('status_rank', order);
  if (nullable) query = query.orderBy(sql`(${sql.ref(nullable)} IS NULL)`, order).orderBy(nullable, order);
  return query.orderBy('name', order);
};

/** Counts by team, engine, account, region, status and coverage: one GROUP BY. */
export const groupCounts = async (db: Kysely<Database>, scope?: TeamScope): Promise<GroupCount[]> => {
  const rows = await db
    .selectFrom('secret_index')
    .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
    .select((eb) => ['team', 'engine', 'account_id', 'region', 'status', 'covered', eb.fn.countAll().as('n')])
    .groupBy(['team', 'engine', 'account_id', 'region', 'status', 'covered'])
    .execute();
  return rows.map((r) => ({
    team: r.team,
    engine: r.engine,
    accountId: r.account_id,
    region: r.region,
    status: r.status as SecretStatus,
    covered: num(r.covered) === 1,
    count: num(r.n),
  }));
};

/** How many secrets of the teams in `scope` the index holds. */
export const count = async (db: Kysely<Database>, scope: TeamScope): Promise<number> => {
  const row = await db
    .selectFrom('secret_index')
    .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return num(row.n);
};

/** Scheduled secrets (SCHEDULED_STATUSES) due in [from, to), soonest first, and how many there are. */
export const dueBetween = async (db: Kysely<Database>, from: Date, to: Date, limit: number, scope?: TeamScope) => {
  const base = db
    .selectFrom('secret_index')
    .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
    .where('status', 'in', SCHEDULED_STATUSES)
    .where('due_at', '>=', from.toISOString())
    .where('due_at', '<', to.toISOString());
  const [items, total] = await Promise.all([
    base.select(['name', 'arn', 'team', 'due_at']).orderBy('due_at').orderBy('name').limit(limit).execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((r) => ({ name: r.name, arn: r.arn, team: r.team, dueAt: r.due_at! })), total: num(total.n) };
};

/** The matching rows in order, from `offset`, at most `limit`. */
export const rows = (db: Kysely<Database>, filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<IndexRow[]> =>
  ordered(db, filter, order).selectAll().offset(offset).limit(limit).execute();

/** One page of the matching rows in order, and how many match (a count of every match: the Secrets list, which shows no total, reads `rows` alone). */
export const page = async (
  db: Kysely<Database>,
  filter: IndexFilter,
  order: IndexOrder,
  offset: number,
  limit: number,
): Promise<{ rows: IndexRow[]; total: number }> => {
  const [found, total] = await Promise.all([
    rows(db, filter, order, offset, limit),
    db
      .selectFrom('secret_index')
      .where((eb) => filterExpr(eb, filter))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: found, total: num(total.n) };
};

/**
 * Every matching row in order, a chunk per query, so neither the whole list nor the
 * database connection is held while the caller writes (the CSV export waits on its client).
 */
export async function* chunks(db: Kysely<Database>, filter: IndexFilter, order: IndexOrder, chunkSize: number): AsyncGenerator<IndexRow[]> {
  for (let offset = 0; ; offset += chunkSize) {
    const rows = await ordered(db, filter, order).selectAll().offset(offset).limit(chunkSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < chunkSize) return;
  }
}

/** Scheduled secrets (SCHEDULED_STATUSES, optionally of one team), a chunk per query in ARN order: the calendar's input. */
export async function* scheduledChunks(
  db: Kysely<Database>,
  place: { team?: string | undefined; accountId?: string | undefined; region?: string | undefined },
  scope: TeamScope | undefined,
  chunkSize: number,
): AsyncGenerator<IndexRow[]> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('secret_index')
      .selectAll()
      .where('status', 'in', SCHEDULED_STATUSES)
      .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`);
    if (place.team !== undefined) query = query.where('team', '=', place.team);
    if (place.accountId !== undefined) query = query.where('account_id', '=', place.accountId);
    if (place.region !== undefined) query = query.where('region', '=', place.region);
    if (after !== null) query = query.where('arn', '>', after);
    const rows: IndexRow[] = await query.orderBy('arn').limit(chunkSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < chunkSize) return;
    after = rows[rows.length - 1]!.arn;
  }
}

/** The account-regions holding a secret of this exact name (names are unique only within one). */
export const placesNamed = async (db: Kysely<Database>, name: string): Promise<{ accountId: string; region: string }[]> => {
  const rows = await db
    .selectFrom('secret_index')
    .select(['account_id', 'region'])
    .where('name', '=', name)
    .distinct()
    .orderBy('account_id')
    .orderBy('region')
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, region: r.region }));
};

/** A secret whose rotation is on with a Lambda function, as the Functions page reads it. */
export type RotatingSecretRow = Pick<
  IndexRow,
  'name' | 'arn' | 'account_id' | 'region' | 'team' | 'lambda_arn' | 'status' | 'failed_step' | 'last_rotated_at' | 'last_changed_at' | 'version_stages'
>;

/**
 * Every secret whose rotation is on with a function (not another service's), of this account and
 * region where given: the functions' users, every team's (a function's owners count them all).
 */
export const rotatingSecrets = (db: Kysely<Database>, place: { accountId?: string | undefined; region?: string | undefined }): Promise<RotatingSecretRow[]> => {
  let query = db
    .selectFrom('secret_index')
    .select(['name', 'arn', 'account_id', 'region', 'team', 'lambda_arn', 'status', 'failed_step', 'last_rotated_at', 'last_changed_at', 'version_stages'])
    .where('rotation_enabled', '=', 1)
    .where('lambda_arn', 'is not', null)
    .where('owning_service', 'is', null);
  if (place.accountId !== undefined) query = query.where('account_id', '=', place.accountId);
  if (place.region !== undefined) query = query.where('region', '=', place.region);
  return query.orderBy('name').execute();
};
