import type { IndexFreshness } from '@rotation-console/contracts';
import type { LastRotationEvidenceService } from '../secrets/last-rotation.ts';
import type { IndexSource } from './crawl.aws.ts';
import { toIndexRow, type IndexRow, type TagKeys } from './index-row.ts';
import type { IndexFilter, IndexOrder } from './index-store/reads.ts';
import type { SecretIndexStore } from './index-store/secret-index-store.ts';
import type { IndexState, TargetState, TeamScope } from './index-store/table.ts';

/**
 * How long an answer kept by `cached` may be served while the index seems unchanged: what another
 * process wrote without moving the state row (rows marked as seen) and the clock move meanwhile.
 */
export const KEPT_ANSWER_MS = 10_000;
/** Answers kept at most (a page per filter, cursor and scope); past this the memory starts again empty. */
const MAX_KEPT_ANSWERS = 200;

interface Deps {
  store: SecretIndexStore;
  source: IndexSource;
  /** Before the first crawl, the first page's statuses take the verdicts recorded already. */
  lastRotation: LastRotationEvidenceService;
  tagKeys: TagKeys;
  now?: () => Date;
}

/** What one answer reads: the index's state at `at`, and AWS's first page as rows while no crawl has completed (else null). */
export interface IndexRead {
  at: Date;
  state: IndexState;
  /** Each target's crawl state (its last success and error). */
  targets: TargetState[];
  firstPage: IndexRow[] | null;
}

export const inScope = (row: IndexRow, scope: TeamScope | undefined) =>
  scope === undefined || scope === 'all' || (row.team !== null && scope.includes(row.team));

/** reads.ts's filter, in memory, for AWS's first page. */
export const matches = (row: IndexRow, f: IndexFilter) =>
  inScope(row, f.scope) &&
  (!f.name || row.name_lower.includes(f.name.toLowerCase())) &&
  (!f.namePrefix || row.name.startsWith(f.namePrefix)) &&
  (!f.status || row.status === f.status) &&
  (!f.team || row.team === f.team) &&
  (!f.engine || row.engine === f.engine) &&
  (!f.accountId || row.account_id === f.accountId) &&
  (!f.region || row.region === f.region);

/** The index's order, in memory, for AWS's first page: "no value" is the largest, the name breaks ties. */
export const compareRows = ({ sort, order }: IndexOrder) => {
  const key = (row: IndexRow): string | number | null =>
    ({ name: null, status: row.status_rank, team: row.team, engine: row.engine, lastRotatedDate: row.last_rotated_at, nextRotationDate: row.next_rotation_at })[
      sort
    ];
  const sign = order === 'asc' ? 1 : -1;
  return (a: IndexRow, b: IndexRow) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return sign;
      if (kb === null) return -sign;
      return (ka < kb ? -1 : 1) * sign;
    }
    return (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) * sign;
  };
};

/** AWS's first page as the index would answer it: filtered and sorted in memory. */
const firstPageRows = (firstPage: IndexRow[], filter: IndexFilter, order: IndexOrder) => firstPage.filter((r) => matches(r, filter)).sort(compareRows(order));

/**
 * How every read of the index starts, for the dashboard and the Secrets list alike: rows whose due
 * date passed are moved to overdue, the index's state is read, and until the first complete crawl
 * (a new process) AWS's first ListSecrets page (at most 100 secrets) stands in for the index, and
 * the answer says so (`freshness.source: 'aws'`).
 */
export const createIndexReader = ({ store, source, lastRotation, tagKeys, now = () => new Date() }: Deps) => {
  const answers = new Map<string, { version: string; at: number; value: unknown }>();
  /** What changes with every write to the index: its state row (any process's writes, a crawl's lease) and this process's writes. */
  const versionOf = ({ state, targets }: IndexRead) =>
    JSON.stringify([
      state.updated_at,
      state.indexed_at,
      state.secrets_indexed,
      targets.map((t) => [t.crawl_owner, t.crawl_lease_expires_at, t.indexed_at, t.last_error_at]),
      store.writes,
    ]);
  return {
    async read(): Promise<IndexRead> {
      const at = now();
      await store.settleOverdue(at);
      const [state, targets] = await Promise.all([store.state(), store.targets()]);
      if (state.indexed_at) return { at, state, targets, firstPage: null };
      const page = await source.listPage(null);
      const kept = page.secrets.filter((s) => !s.deletedDate);
      const verdicts = await lastRotation.recorded(kept);
      const rows = kept.map((s) => toIndexRow(s, tagKeys, at, 0, verdicts.get(s.arn) ?? null) as IndexRow);
      return { at, state, targets, firstPage: rows };
    },

    /** The index's state; for a caller who sees some teams only, the count is of their secrets (it tells nothing of the others'). */
    async freshnessOf(read: IndexRead, scope: TeamScope): Promise<IndexFreshness> {
      const freshness = store.freshness(read.state, read.targets, read.firstPage ? 'aws' : 'index', read.at);
      return scope === 'all' ? freshness : { ...freshness, secretsIndexed: await store.count(scope) };
    },

    /**
     * `compute`'s answer for `key` (which names everything the answer depends on but the index),
     * kept until the index changes and KEPT_ANSWER_MS at most: many callers asking for the same
     * summary or page of the list cost one query. Answers from AWS's first page are never kept.
     */
    async cached<T>(read: IndexRead, key: string, compute: () => Promise<T>): Promise<T> {
      if (read.firstPage) return compute();
      const version = versionOf(read);
      const entry = answers.get(key);
      if (entry && entry.version === version && read.at.getTime() - entry.at < KEPT_ANSWER_MS) return entry.value as T;
      const value = await compute();
      if (!answers.has(key) && answers.size >= MAX_KEPT_ANSWERS) answers.clear();
      answers.set(key, { version, at: read.at.getTime(), value });
      return value;
    },

    /** One page of the matching rows in order, and how many match: from the index, or from AWS's first page. */
    async page(read: IndexRead, filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<{ rows: IndexRow[]; total: number }> {
      if (!read.firstPage) return store.page(filter, order, offset, limit);
      const rows = firstPageRows(read.firstPage, filter, order);
      return { rows: rows.slice(offset, offset + limit), total: rows.length };
    },

    /** The matching rows in order, from `offset`, at most `limit`, without counting them all: from the index, or from AWS's first page. */
    async rows(read: IndexRead, filter: IndexFilter, order: IndexOrder, offset: number, limit: number): Promise<IndexRow[]> {
      if (!read.firstPage) return store.rows(filter, order, offset, limit);
      return firstPageRows(read.firstPage, filter, order).slice(offset, offset + limit);
    },
  };
};
export type IndexReader = ReturnType<typeof createIndexReader>;
