import type { IndexFreshness } from '@rotation-console/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { Target } from '../../../platform/targets/target.ts';
import type { IndexRow, NewIndexRow } from '../index-row.ts';
import * as crawl from './crawl-writes.ts';
import { settleOverdue } from './overdue.ts';
import * as reads from './reads.ts';
import type { GroupCount, IndexFilter, IndexOrder, RotatingSecretRow } from './reads.ts';
import * as single from './single-writes.ts';
import { readState, readTargets, type IndexState, type TargetState, type TeamScope, type WriteResult } from './table.ts';

/**
 * The dashboard's index in the console's database (SQLite or PostgreSQL): every query the
 * dashboard makes, each served by an index of migration 0002. The queries live beside this
 * file by kind: crawl-writes.ts, single-writes.ts, overdue.ts (time), reads.ts; table.ts holds
 * what they share (the upsert and its column list).
 */
export class SecretIndexStore {
  readonly #db: Kysely<Database>;
  #lastSettle = 0;
  #writes = 0;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  state(): Promise<IndexState> {
    return readState(this.#db);
  }

  /**
   * How many writes this process has made to the index (counted as they end): with the state row,
   * it tells an answer kept in memory from a stale one (index-reader.ts `cached`), even for a write
   * that only marks rows as seen, which leaves the state row as it was.
   */
  get writes(): number {
    return this.#writes;
  }

  /** Counts a write once it has ended, failed or not: afterwards, what was kept may be stale. */
  #write<T>(work: Promise<T>): Promise<T> {
    return work.finally(() => {
      this.#writes++;
    });
  }

  /** Every target's crawl state, by account then region. */
  targets(): Promise<TargetState[]> {
    return readTargets(this.#db);
  }

  /**
   * How fresh the index is: crawling while any target's crawl runs, ready once a target has been
   * crawled, each target with its last success and its last error. `indexedAt` is the oldest of
   * the targets' last successes: the index is at least that fresh everywhere it has been crawled.
   */
  freshness(state: IndexState, targets: TargetState[], source: IndexFreshness['source'], now = new Date()): IndexFreshness {
    const at = now.toISOString();
    const perTarget = targets.map((t) => {
      const crawling = t.crawl_owner !== null && t.crawl_lease_expires_at !== null && t.crawl_lease_expires_at > at;
      return {
        accountId: t.account_id,
        accountName: t.account_name,
        region: t.region,
        state: crawling ? ('crawling' as const) : t.last_error ? ('failed' as const) : t.indexed_at ? ('ready' as const) : ('empty' as const),
        indexedAt: t.indexed_at,
        secretsIndexed: t.secrets_indexed,
        error: t.last_error,
        errorAt: t.last_error_at,
      };
    });
    const successes = perTarget.map((t) => t.indexedAt).filter((d): d is string => d !== null);
    const oldest = successes.length > 0 ? successes.reduce((a, b) => (a < b ? a : b)) : state.indexed_at;
    return {
      state: perTarget.some((t) => t.state === 'crawling') ? 'crawling' : oldest ? 'ready' : 'empty',
      indexedAt: oldest,
      updatedAt: state.updated_at,
      secretsIndexed: state.secrets_indexed,
      source,
      targets: perTarget,
    };
  }

  // --- The crawl (crawl-writes.ts) ---------------------------------------------------------

  syncTargets(targets: readonly Target[]): Promise<number> {
    return this.#write(crawl.syncTargets(this.#db, targets));
  }

  beginCrawl(target: Target, owner: string, leaseMs: number, now = new Date()): Promise<number | null> {
    return this.#write(crawl.beginCrawl(this.#db, target, owner, leaseMs, now));
  }

  writeCrawlBatch(
    target: Target,
    rows: NewIndexRow[],
    generation: number,
    lease: { owner: string; ms: number },
  ): Promise<WriteResult & { leaseHeld: boolean }> {
    return this.#write(crawl.writeCrawlBatch(this.#db, target, rows, generation, lease));
  }

  finishCrawl(target: Target, owner: string, generation: number, stats: { ms: number; pages: number }): Promise<{ deleted: number; total: number } | null> {
    return this.#write(crawl.finishCrawl(this.#db, target, owner, generation, stats));
  }

  abandonCrawl(target: Target, owner: string, error: string): Promise<void> {
    return this.#write(crawl.abandonCrawl(this.#db, target, owner, error));
  }

  // --- One secret at a time, the console's own writes (single-writes.ts) -------------------

  /** The generation a row written now must carry so that no running crawl sweeps it. */
  async currentGeneration(): Promise<number> {
    return (await this.state()).generation;
  }

  upsertSome(rows: NewIndexRow[]): Promise<WriteResult> {
    return this.#write(single.upsertSome(this.#db, rows));
  }

  deleteOne(secretId: string): Promise<boolean> {
    return this.#write(single.deleteOne(this.#db, secretId));
  }

  // --- Time (overdue.ts) -------------------------------------------------------------------

  /** Moves rows whose due date passed to overdue (overdue.ts), at most once a second. Returns how many moved. */
  async settleOverdue(now = new Date()): Promise<number> {
    if (now.getTime() - this.#lastSettle < 1000) return 0;
    this.#lastSettle = now.getTime();
    return this.#write(settleOverdue(this.#db, now));
  }

  // --- Reads (reads.ts) --------------------------------------------------------------------

  groupCounts(scope?: TeamScope): Promise<GroupCount[]> {
    return reads.groupCounts(this.#db, scope);
  }

  count(scope: TeamScope): Promise<number> {
    return reads.count(this.#db, scope);
  }

  dueBetween(from: Date, to: Date, limit: number, scope?: TeamScope) {
    return reads.dueBetween(this.#db, from, to, limit, scope);
  }

  rows(filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<IndexRow[]> {
    return reads.rows(this.#db, filter, order, offset, limit);
  }

  page(filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<{ rows: IndexRow[]; total: number }> {
    return reads.page(this.#db, filter, order, offset, limit);
  }

  rotatingSecrets(place: { accountId?: string | undefined; region?: string | undefined }): Promise<RotatingSecretRow[]> {
    return reads.rotatingSecrets(this.#db, place);
  }

  placesNamed(name: string): Promise<{ accountId: string; region: string }[]> {
    return reads.placesNamed(this.#db, name);
  }

  chunks(filter: IndexFilter, order: IndexOrder, chunkSize = 1000): AsyncGenerator<IndexRow[]> {
    return reads.chunks(this.#db, filter, order, chunkSize);
  }

  scheduledChunks(
    place: { team?: string | undefined; accountId?: string | undefined; region?: string | undefined },
    scope?: TeamScope,
    chunkSize = 1000,
  ): AsyncGenerator<IndexRow[]> {
    return reads.scheduledChunks(this.#db, place, scope, chunkSize);
  }
}
