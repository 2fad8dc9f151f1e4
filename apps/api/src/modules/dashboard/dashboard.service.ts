import type {
  Calendar,
  CoverageGroup,
  FreezeWarning,
  DashboardListQuery,
  DashboardPage,
  DashboardSummary,
  IndexFreshness,
  SecretStatus,
} from '@rotation-console/contracts';
import type { z } from 'zod';
import { accountRegionOfArn } from '../../platform/targets/target.ts';
import { emptyStatusCounts, type CalendarQuery, type DashboardExportQuery } from '@rotation-console/contracts';
import { EarliestWindows, secretWindows } from './calendar.ts';
import { CSV_HEADER, csvLine, csvRow } from './csv.ts';
import { SCHEDULED_STATUSES, toDashboardRow, type IndexRow } from './index-row.ts';
import { compareRows, inScope, matches, type IndexReader } from './index-reader.ts';
import type { GroupCount, IndexFilter } from './index-store/reads.ts';
import type { SecretIndexStore } from './index-store/secret-index-store.ts';
import type { TeamScope } from './index-store/table.ts';

const DAY_MS = 86_400_000;
export const DUE_SOON_DAYS = 7;
export const DUE_SOON_MAX = 100;
export const CALENDAR_MAX = 2000;

type CalendarInput = z.infer<typeof CalendarQuery>;
type ExportInput = z.infer<typeof DashboardExportQuery>;

interface Deps {
  store: SecretIndexStore;
  /** The index, or AWS's first page before the first crawl (index-reader.ts). */
  reader: IndexReader;
  /** Each row's freeze window warning (modules/freeze), read per page: a row gets `freezeWarning` only where there is one. */
  freezeWarnings?: (at: Date) => (row: IndexRow) => Promise<FreezeWarning | null>;
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** Null keys last, the rest in text order. */
const byKey = (a: CoverageGroup, b: CoverageGroup) => (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1);

/** The summary's numbers from (team, engine, account, region, status, covered) counts: the same code for the index and for AWS's first page. */
const aggregate = (groups: GroupCount[]) => {
  const byStatus = emptyStatusCounts();
  const teams = new Map<string | null, CoverageGroup>();
  const engines = new Map<string | null, CoverageGroup>();
  const accounts = new Map<string | null, CoverageGroup>();
  const regions = new Map<string | null, CoverageGroup>();
  let total = 0;
  let covered = 0;
  const add = (map: Map<string | null, CoverageGroup>, key: string | null, g: GroupCount) => {
    let group = map.get(key);
    if (!group) map.set(key, (group = { key, total: 0, covered: 0, coveragePercent: 0, byStatus: emptyStatusCounts() }));
    group.total += g.count;
    if (g.covered) group.covered += g.count;
    group.byStatus[g.status] += g.count;
  };
  for (const g of groups) {
    total += g.count;
    if (g.covered) covered += g.count;
    byStatus[g.status] += g.count;
    add(teams, g.team, g);
    add(engines, g.engine, g);
    add(accounts, g.accountId, g);
    add(regions, g.region, g);
  }
  const finish = (map: Map<string | null, CoverageGroup>) =>
    [...map.values()].map((group) => ({ ...group, coveragePercent: percent(group.covered, group.total) })).sort(byKey);
  return {
    total,
    byStatus,
    coveragePercent: percent(covered, total),
    byTeam: finish(teams),
    byEngine: finish(engines),
    byAccount: finish(accounts),
    byRegion: finish(regions),
  };
};

const groupsOf = (rows: IndexRow[]): GroupCount[] =>
  rows.map((r) => ({
    team: r.team,
    engine: r.engine,
    accountId: r.account_id,
    region: r.region,
    status: r.status as SecretStatus,
    covered: r.covered === 1,
    count: 1,
  }));

const filterOf = (
  q: {
    name?: string | undefined;
    status?: SecretStatus | undefined;
    team?: string | undefined;
    engine?: string | undefined;
    account?: string | undefined;
    region?: string | undefined;
  },
  scope: TeamScope,
): IndexFilter => ({
  scope,
  name: q.name,
  status: q.status,
  team: q.team,
  engine: q.engine,
  accountId: q.account,
  region: q.region,
});

/**
 * The dashboard, answered from the index, for the teams a caller may see (`scope`, from
 * policy.ts visibleTeams): counts, lists, the export and the calendar leave the other
 * teams' secrets out, in SQL. Until the first complete crawl (a new process),
 * answers come from AWS's first ListSecrets page instead, and say so (`freshness.source: 'aws'`).
 */
export const createDashboardService = ({ store, reader, freezeWarnings }: Deps) => {
  return {
    async summary(scope: TeamScope = 'all'): Promise<DashboardSummary> {
      const read = await reader.read();
      const { at } = read;
      const soonTo = new Date(at.getTime() + DUE_SOON_DAYS * DAY_MS);
      if (read.firstPage) {
        const rows = read.firstPage.filter((r) => inScope(r, scope));
        const soon = rows
          .filter((r) => SCHEDULED_STATUSES.includes(r.status as SecretStatus) && r.due_at && r.due_at >= at.toISOString() && r.due_at < soonTo.toISOString())
          .sort((a, b) => (a.due_at! < b.due_at! ? -1 : a.due_at! > b.due_at! ? 1 : 0));
        return {
          ...aggregate(groupsOf(rows)),
          dueSoon: soon.slice(0, DUE_SOON_MAX).map((r) => ({ name: r.name, arn: r.arn, team: r.team, nextRotationDate: r.due_at! })),
          dueSoonTotal: soon.length,
          freshness: await reader.freshnessOf(read, scope),
        };
      }
      const scopeKey = scope === 'all' ? 'all' : JSON.stringify([...scope].sort());
      // Kept until the index changes, 10 s at most (the 7-day window moves with the clock).
      const value = await reader.cached(read, `summary ${scopeKey}`, async () => {
        const [groups, due] = await Promise.all([store.groupCounts(scope), store.dueBetween(at, soonTo, DUE_SOON_MAX, scope)]);
        return {
          ...aggregate(groups),
          dueSoon: due.items.map((d) => ({ name: d.name, arn: d.arn, team: d.team, nextRotationDate: d.dueAt })),
          dueSoonTotal: due.total,
        };
      });
      return { ...value, freshness: await reader.freshnessOf(read, scope) };
    },

    async list(query: DashboardListQuery, scope: TeamScope = 'all'): Promise<DashboardPage> {
      const read = await reader.read();
      const { rows, total } = await reader.page(read, filterOf(query, scope), { sort: query.sort, order: query.order }, query.offset, query.limit);
      const warn = freezeWarnings?.(new Date());
      const items = warn
        ? await Promise.all(
            rows.map(async (row) => {
              const freezeWarning = await warn(row);
              return freezeWarning ? { ...toDashboardRow(row), freezeWarning } : toDashboardRow(row);
            }),
          )
        : rows.map(toDashboardRow);
      return { items, total, offset: query.offset, limit: query.limit, freshness: await reader.freshnessOf(read, scope) };
    },

    /** The filtered list as CSV text, a chunk of rows at a time (header first). */
    async exportCsv(query: ExportInput, scope: TeamScope = 'all'): Promise<{ source: IndexFreshness['source']; chunks: AsyncGenerator<string> }> {
      const read = await reader.read();
      const filter = filterOf(query, scope);
      const order = { sort: query.sort, order: query.order };
      const firstPage = read.firstPage;
      async function* chunks() {
        yield csvLine(CSV_HEADER);
        if (firstPage) {
          yield firstPage
            .filter((r) => matches(r, filter))
            .sort(compareRows(order))
            .map(csvRow)
            .join('');
          return;
        }
        for await (const rows of store.chunks(filter, order)) yield rows.map(csvRow).join('');
      }
      return { source: firstPage ? 'aws' : 'index', chunks: chunks() };
    },

    async calendar(query: CalendarInput, scope: TeamScope = 'all'): Promise<Calendar> {
      const read = await reader.read();
      const from = query.from ? new Date(query.from) : read.at;
      const to = new Date(from.getTime() + query.days * DAY_MS);
      const earliest = new EarliestWindows(CALENDAR_MAX);
      const add = (rows: IndexRow[]) => {
        for (const row of rows) earliest.add(secretWindows(row, from, to, CALENDAR_MAX));
      };
      const place = { team: query.team, accountId: query.account, region: query.region };
      if (read.firstPage) add(read.firstPage.filter((r) => SCHEDULED_STATUSES.includes(r.status as SecretStatus) && matches(r, { ...place, scope })));
      else for await (const rows of store.scheduledChunks(place, scope)) add(rows);
      const { windows, truncated } = earliest.result();
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        windows: windows.map((w) => ({
          start: w.start.toISOString(),
          end: w.end.toISOString(),
          name: w.name,
          arn: w.arn,
          team: w.team,
          accountId: accountRegionOfArn(w.arn)?.accountId ?? '',
          region: accountRegionOfArn(w.arn)?.region ?? '',
        })),
        truncated,
        freshness: await reader.freshnessOf(read, scope),
      };
    },
  };
};
export type DashboardService = ReturnType<typeof createDashboardService>;
