import type { DashboardSort, IndexFreshness, SecretStatus } from '@rotation-console/contracts';
import { OVERDUE_GRACE_MS } from '@rotation-console/rotation';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { SCHEDULED_STATUSES, STATUS_RANK, type IndexRow, type NewIndexRow } from './index-row.ts';

const STATE_ID = 'secrets';

export interface IndexFilter {
  /** Name contains this text, case-insensitive. */
  name?: string | undefined;
  status?: SecretStatus | undefined;
  team?: string | undefined;
  engine?: string | undefined;
  /** The teams the caller may see (policy.ts visibleTeams); unset or 'all': every secret, untagged ones too. */
  scope?: TeamScope | undefined;
}

export type TeamScope = 'all' | string[];

export interface IndexOrder {
  sort: DashboardSort;
  order: 'asc' | 'desc';
}

export interface GroupCount {
  team: string | null;
  engine: string | null;
  status: SecretStatus;
  covered: boolean;
  count: number;
}

export interface WriteResult {
  inserted: number;
  /** Rows whose content changed (new ones included). */
  changed: number;
}

export type IndexState = Awaited<ReturnType<SecretIndexStore['state']>>;

/** Sort columns that may be empty: "no value" sorts as the largest (last ascending, first descending). */
const NULLABLE_SORT: Partial<Record<DashboardSort, 'team' | 'engine' | 'last_rotated_at' | 'next_rotation_at'>> = {
  team: 'team',
  engine: 'engine',
  lastRotatedDate: 'last_rotated_at',
  nextRotationDate: 'next_rotation_at',
};

/** Every column an upsert rewrites (all but the key). */
const CONTENT_COLUMNS = [
  'name',
  'name_lower',
  'description',
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

/** LIKE with its wildcards taken literally. */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const num = (value: unknown) => Number(value ?? 0);

/** The rows of the teams in `scope`, in SQL: no team is no row, and an untagged secret is in no team. */
const scopeExpr = (eb: ExpressionBuilder<Database, 'secret_index'>, scope: TeamScope | undefined): Expression<SqlBool> | null => {
  if (scope === undefined || scope === 'all') return null;
  return scope.length === 0 ? sql<SqlBool>`1 = 0` : eb('team', 'in', scope);
};

/**
 * The dashboard's index in the console's database (SQLite or PostgreSQL): every query the
 * dashboard makes, each served by an index of migration 0002.
 */
export class SecretIndexStore {
  readonly #db: Kysely<Database>;
  #lastSettle = 0;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async state() {
    const row = await this.#db.selectFrom('secret_index_state').selectAll().where('id', '=', STATE_ID).executeTakeFirstOrThrow();
    return { ...row, generation: num(row.generation), secrets_indexed: num(row.secrets_indexed) };
  }

  freshness(state: IndexState, source: IndexFreshness['source'], now = new Date()): IndexFreshness {
    const crawling = state.crawl_owner !== null && state.crawl_lease_expires_at !== null && state.crawl_lease_expires_at > now.toISOString();
    return {
      state: crawling ? 'crawling' : state.indexed_at ? 'ready' : 'empty',
      indexedAt: state.indexed_at,
      updatedAt: state.updated_at,
      secretsIndexed: state.secrets_indexed,
      source,
    };
  }

  // --- The crawl ----------------------------------------------------------------------

  /**
   * Takes the crawl lease (one crawler across API processes sharing the database) and a new
   * generation; null while another process holds an unexpired lease.
   */
  async beginCrawl(owner: string, leaseMs: number, now = new Date()): Promise<number | null> {
    const at = now.toISOString();
    const row = await this.#db
      .updateTable('secret_index_state')
      .set((eb) => ({
        generation: eb('generation', '+', 1),
        crawl_owner: owner,
        crawl_lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        crawl_started_at: at,
      }))
      .where('id', '=', STATE_ID)
      .where((eb) => eb.or([eb('crawl_owner', 'is', null), eb('crawl_lease_expires_at', '<', at), eb('crawl_owner', '=', owner)]))
      .returning('generation')
      .executeTakeFirst();
    return row ? num(row.generation) : null;
  }

  /**
   * Writes one page of a crawl in one transaction: new and changed rows in full, the rest
   * only marked as seen by this generation; renews the lease. False when the lease was lost.
   */
  async writeCrawlBatch(rows: NewIndexRow[], generation: number, lease: { owner: string; ms: number }): Promise<WriteResult & { leaseHeld: boolean }> {
    const known = await this.#fingerprints(rows.map((r) => r.arn));
    const changedRows = rows.filter((r) => known.get(r.arn) !== r.fingerprint);
    const seen = rows.filter((r) => known.get(r.arn) === r.fingerprint).map((r) => r.arn);
    const inserted = rows.filter((r) => !known.has(r.arn)).length;
    const now = new Date();
    const at = now.toISOString();
    // Writes only inside the transaction: on SQLite its first statement then waits for the
    // write lock (busy timeout) instead of failing to upgrade a read.
    const leaseHeld = await this.#db.transaction().execute(async (trx) => {
      const renewed = await trx
        .updateTable('secret_index_state')
        .set((eb) => ({
          crawl_lease_expires_at: new Date(now.getTime() + lease.ms).toISOString(),
          secrets_indexed: eb('secrets_indexed', '+', inserted),
          ...(changedRows.length > 0 ? { updated_at: at } : {}),
        }))
        .where('id', '=', STATE_ID)
        .where('crawl_owner', '=', lease.owner)
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) === 0) return false;
      if (changedRows.length > 0) await this.#upsert(trx, changedRows);
      if (seen.length > 0) {
        await trx.updateTable('secret_index').set({ generation, indexed_at: at }).where('arn', 'in', seen).execute();
      }
      return true;
    });
    return { inserted, changed: changedRows.length, leaseHeld };
  }

  /** Ends a complete crawl: removes what it did not see (deleted in AWS), records the time, frees the lease. */
  async finishCrawl(owner: string, generation: number, stats: { ms: number; pages: number }): Promise<{ deleted: number; total: number } | null> {
    const at = new Date().toISOString();
    return this.#db.transaction().execute(async (trx) => {
      const mine = await trx
        .updateTable('secret_index_state')
        .set({ last_crawl_ms: stats.ms, last_crawl_pages: stats.pages })
        .where('id', '=', STATE_ID)
        .where('crawl_owner', '=', owner)
        .executeTakeFirst();
      if (Number(mine.numUpdatedRows) === 0) return null;
      const swept = await trx.deleteFrom('secret_index').where('generation', '<', generation).executeTakeFirst();
      const deleted = Number(swept.numDeletedRows);
      const { n } = await trx.selectFrom('secret_index').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      await trx
        .updateTable('secret_index_state')
        .set({
          indexed_at: at,
          secrets_indexed: num(n),
          crawl_owner: null,
          crawl_lease_expires_at: null,
          last_error: null,
          ...(deleted > 0 ? { updated_at: at } : {}),
        })
        .where('id', '=', STATE_ID)
        .execute();
      return { deleted, total: num(n) };
    });
  }

  /** Frees the lease after a crawl that did not finish, keeping the error for the log and health. */
  async abandonCrawl(owner: string, error: string): Promise<void> {
    await this.#db
      .updateTable('secret_index_state')
      .set({ crawl_owner: null, crawl_lease_expires_at: null, last_error: error.slice(0, 500) })
      .where('id', '=', STATE_ID)
      .where('crawl_owner', '=', owner)
      .execute();
  }

  // --- One secret at a time (the console's own writes) ---------------------------------

  /** The generation a row written now must carry so that no running crawl sweeps it. */
  async currentGeneration(): Promise<number> {
    return (await this.state()).generation;
  }

  async upsertOne(row: NewIndexRow): Promise<WriteResult> {
    const known = await this.#fingerprints([row.arn]);
    if (known.get(row.arn) === row.fingerprint) {
      await this.#db.updateTable('secret_index').set({ generation: row.generation, indexed_at: row.indexed_at }).where('arn', '=', row.arn).execute();
      return { inserted: 0, changed: 0 };
    }
    const inserted = known.has(row.arn) ? 0 : 1;
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('secret_index_state')
        .set((eb) => ({ updated_at: row.indexed_at, secrets_indexed: eb('secrets_indexed', '+', inserted) }))
        .where('id', '=', STATE_ID)
        .execute();
      await this.#upsert(trx, [row]);
    });
    return { inserted, changed: 1 };
  }

  /** Removes a secret by ARN or name (a workflow's subject may be either). */
  async deleteOne(secretId: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const gone = await trx
        .deleteFrom('secret_index')
        .where((eb) => eb.or([eb('arn', '=', secretId), eb('name', '=', secretId)]))
        .executeTakeFirst();
      const deleted = Number(gone.numDeletedRows);
      if (deleted > 0) {
        await trx
          .updateTable('secret_index_state')
          .set((eb) => ({ updated_at: new Date().toISOString(), secrets_indexed: eb('secrets_indexed', '-', deleted) }))
          .where('id', '=', STATE_ID)
          .execute();
      }
      return deleted > 0;
    });
  }

  // --- Time -------------------------------------------------------------------------------

  /**
   * A healthy secret (or one whose last rotation is unknown) turns overdue by time alone, once
   * its due date is an hour past (packages/rotation deriveStatus); nothing else in the status
   * depends on the clock. This
   * moves such rows, at most once a second: a read through the (status, due_at) index, and
   * a write only when one crossed the line. Returns how many moved.
   */
  async settleOverdue(now = new Date()): Promise<number> {
    if (now.getTime() - this.#lastSettle < 1000) return 0;
    this.#lastSettle = now.getTime();
    const cutoff = new Date(now.getTime() - OVERDUE_GRACE_MS).toISOString();
    const due = await this.#db.selectFrom('secret_index').select('arn').where('status', 'in', SCHEDULED_STATUSES).where('due_at', '<', cutoff).limit(1).executeTakeFirst();
    if (!due) return 0;
    return this.#db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('secret_index')
        .set({ status: 'overdue', status_rank: STATUS_RANK.overdue })
        .where('status', 'in', SCHEDULED_STATUSES)
        .where('due_at', '<', cutoff)
        .executeTakeFirst();
      await trx.updateTable('secret_index_state').set({ updated_at: now.toISOString() }).where('id', '=', STATE_ID).execute();
      return Number(moved.numUpdatedRows);
    });
  }

  // --- Reads ------------------------------------------------------------------------------

  /** Counts by team, engine, status and coverage: one GROUP BY over the summary index. */
  async groupCounts(scope?: TeamScope): Promise<GroupCount[]> {
    const rows = await this.#db
      .selectFrom('secret_index')
      .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
      .select((eb) => ['team', 'engine', 'status', 'covered', eb.fn.countAll().as('n')])
      .groupBy(['team', 'engine', 'status', 'covered'])
      .execute();
    return rows.map((r) => ({ team: r.team, engine: r.engine, status: r.status as SecretStatus, covered: num(r.covered) === 1, count: num(r.n) }));
  }

  /** How many secrets of the teams in `scope` the index holds. */
  async count(scope: TeamScope): Promise<number> {
    const row = await this.#db
      .selectFrom('secret_index')
      .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return num(row.n);
  }

  /** Scheduled secrets (SCHEDULED_STATUSES) due in [from, to), soonest first, and how many there are. */
  async dueBetween(from: Date, to: Date, limit: number, scope?: TeamScope) {
    const base = this.#db
      .selectFrom('secret_index')
      .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`)
      .where('status', 'in', SCHEDULED_STATUSES)
      .where('due_at', '>=', from.toISOString())
      .where('due_at', '<', to.toISOString());
    const [items, count] = await Promise.all([
      base.select(['name', 'arn', 'team', 'due_at']).orderBy('due_at').orderBy('name').limit(limit).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ name: r.name, arn: r.arn, team: r.team, dueAt: r.due_at! })), total: num(count.n) };
  }

  async page(filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<{ rows: IndexRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.#ordered(filter, order).selectAll().offset(offset).limit(limit).execute(),
      this.#db
        .selectFrom('secret_index')
        .where((eb) => this.#filterExpr(eb, filter))
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: num(count.n) };
  }

  /**
   * Every matching row in order, a chunk per query, so neither the whole list nor the
   * database connection is held while the caller writes (the CSV export waits on its client).
   */
  async *chunks(filter: IndexFilter, order: IndexOrder, chunkSize = 1000): AsyncGenerator<IndexRow[]> {
    for (let offset = 0; ; offset += chunkSize) {
      const rows = await this.#ordered(filter, order).selectAll().offset(offset).limit(chunkSize).execute();
      if (rows.length > 0) yield rows;
      if (rows.length < chunkSize) return;
    }
  }

  /** Scheduled secrets (SCHEDULED_STATUSES, optionally of one team), a chunk per query in ARN order: the calendar's input. */
  async *scheduledChunks(team: string | undefined, scope?: TeamScope, chunkSize = 1000): AsyncGenerator<IndexRow[]> {
    let after: string | null = null;
    for (;;) {
      let query = this.#db
        .selectFrom('secret_index')
        .selectAll()
        .where('status', 'in', SCHEDULED_STATUSES)
        .where((eb) => scopeExpr(eb, scope) ?? sql<SqlBool>`1 = 1`);
      if (team !== undefined) query = query.where('team', '=', team);
      if (after !== null) query = query.where('arn', '>', after);
      const rows: IndexRow[] = await query.orderBy('arn').limit(chunkSize).execute();
      if (rows.length > 0) yield rows;
      if (rows.length < chunkSize) return;
      after = rows[rows.length - 1]!.arn;
    }
  }

  // --- Internals ----------------------------------------------------------------------

  #ordered(filter: IndexFilter, { sort, order }: IndexOrder) {
    let query = this.#db.selectFrom('secret_index').where((eb) => this.#filterExpr(eb, filter));
    const nullable = NULLABLE_SORT[sort];
    if (sort === 'status') query = query.orderBy('status_rank', order);
    if (nullable) query = query.orderBy(sql`(${sql.ref(nullable)} IS NULL)`, order).orderBy(nullable, order);
    return query.orderBy('name', order);
  }

  #filterExpr(eb: ExpressionBuilder<Database, 'secret_index'>, filter: IndexFilter): Expression<SqlBool> {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.name) conditions.push(sql<SqlBool>`${sql.ref('name_lower')} LIKE ${containsPattern(filter.name)} ESCAPE '\\'`);
    if (filter.status) conditions.push(eb('status', '=', filter.status));
    if (filter.team) conditions.push(eb('team', '=', filter.team));
    if (filter.engine) conditions.push(eb('engine', '=', filter.engine));
    const scoped = scopeExpr(eb, filter.scope);
    if (scoped) conditions.push(scoped);
    return conditions.length > 0 ? eb.and(conditions) : sql<SqlBool>`1 = 1`;
  }

  async #fingerprints(arns: string[]): Promise<Map<string, string>> {
    if (arns.length === 0) return new Map();
    const rows = await this.#db.selectFrom('secret_index').select(['arn', 'fingerprint']).where('arn', 'in', arns).execute();
    return new Map(rows.map((r) => [r.arn, r.fingerprint]));
  }

  async #upsert(db: Kysely<Database>, rows: NewIndexRow[]): Promise<void> {
    await db
      .insertInto('secret_index')
      .values(rows)
      .onConflict((oc) =>
        oc.column('arn').doUpdateSet((eb) => Object.fromEntries(CONTENT_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])) as Record<(typeof CONTENT_COLUMNS)[number], never>),
      )
      .execute();
  }
}
