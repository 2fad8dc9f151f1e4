import type { ListSecretsQuery, SecretDetail, SecretListFreshness, SecretPage } from '@rotation-console/contracts';
import { MAX_FILTER_VALUES, type ListFilter } from '../dashboard/crawl.aws.ts';
import type { IndexCrawler } from '../dashboard/crawler.ts';
import { toSecretSummary, type IndexRow } from '../dashboard/index-row.ts';
import type { IndexRead, IndexReader } from '../dashboard/index-reader.ts';
import type { IndexFilter } from '../dashboard/index-store/reads.ts';
import type { TeamScope } from '../dashboard/index-store/table.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { SecretRecord, SecretsGateway } from './secrets.aws.ts';
import type { LastRotationEvidenceService } from './last-rotation.ts';
import { toDetail } from './secret-summary.ts';
import { teamOf } from '../../platform/team-tag.ts';
import { dueDate } from '@rotation-console/rotation';
import { nextRotationWarning } from '../freeze/freeze-warnings.ts';
import type { FreezeService } from '../freeze/freeze.service.ts';
import { rotationFactsOf } from './secret-summary.ts';

/**
 * A Refresh lists at most this many ListSecrets pages (of 100) for the page's filters to find
 * secrets the index has not seen: enough for a name prefix or a team, bounded for an unfiltered
 * list of a large account (whose new secrets the next crawl brings).
 */
export const REFRESH_LIST_PAGES = 5;

/** The Secrets list's order: by name, as the index pages it (the dashboard's default). */
const BY_NAME = { sort: 'name', order: 'asc' } as const;

interface Deps {
  /** The console's index of secrets (dashboard/index-reader.ts): every list read comes from it. */
  reader: IndexReader;
  /** What re-reads secrets from AWS into the index (dashboard/crawler.ts). */
  crawler: Pick<IndexCrawler, 'refreshSecrets' | 'indexListed'>;
  gateway: SecretsGateway;
  /** The verdicts on last rotations, from the functions' logs: a secret is healthy only on one. */
  lastRotation: LastRotationEvidenceService;
  teamTagKey: string;
  /** The teams' freeze windows: a secret's page warns when its next rotation falls in one. */
  freeze?: Pick<FreezeService, 'windowsOf'>;
  now?: () => Date;
}

/** The least recent time the index read these rows from AWS; for no rows, when the last complete crawl ended (or now, for AWS's first page). */
const seenAtOf = (rows: IndexRow[], read: IndexRead): string | null => {
  if (rows.length === 0) return read.firstPage ? read.at.toISOString() : read.state.indexed_at;
  return rows.reduce((oldest, row) => (row.indexed_at < oldest ? row.indexed_at : oldest), rows[0]!.indexed_at);
};

export const createSecretsService = ({ reader, crawler, gateway, lastRotation, teamTagKey, freeze, now = () => new Date() }: Deps) => {
  /**
   * The page of the Secrets list `query` names, for a caller who sees `scope`, kept until the index
   * changes (index-reader.ts `cached`): under load most requests ask for the same few pages.
   */
  const pageOf = async (query: ListSecretsQuery, scope: TeamScope, what: string): Promise<SecretPage> => {
    const offset = query.cursor ? decodeCursor(query.cursor, what) : 0;
    const read = await reader.read();
    const scopeKey = scope === 'all' ? 'all' : [...scope].sort();
    const key = `secrets ${JSON.stringify([scopeKey, query.name ?? null, query.status ?? null, query.team ?? null, query.account ?? null, query.region ?? null, offset, query.limit])}`;
    return reader.cached(read, key, async () => {
      const filter: IndexFilter = { scope, namePrefix: query.name, status: query.status, team: query.team, accountId: query.account, region: query.region };
      // One row past the page says whether another follows: no count of every match (the list shows no total).
      const found = await reader.rows(read, filter, BY_NAME, offset, query.limit + 1);
      const rows = found.slice(0, query.limit);
      const freshness: SecretListFreshness = { ...(await reader.freshnessOf(read, scope)), seenAt: seenAtOf(rows, read) };
      return { items: rows.map(toSecretSummary), nextCursor: found.length > query.limit ? encodeCursor(offset + query.limit) : null, freshness };
    });
  };

  /**
   * What ListSecrets is asked for the query's secrets: its name prefix, and the team (or the
   * caller's teams) by tag. Null when the caller may see none of them: there is nothing to read.
   */
  const awsFilterOf = (query: ListSecretsQuery, scope: TeamScope): ListFilter | null => {
    const teams = query.team ? [query.team] : scope;
    if (teams !== 'all' && (teams.length === 0 || (scope !== 'all' && !teams.every((t) => scope.includes(t))))) return null;
    return {
      ...(query.name ? { namePrefix: query.name } : {}),
      ...(teams !== 'all' && teams.length <= MAX_FILTER_VALUES ? { tag: { key: teamTagKey, values: teams } } : {}),
    };
  };

  return {
    /**
     * One page of secrets from the index, never an AWS call per request (until the first crawl
     * ends, AWS's first page: index-reader.ts). `scope`: the teams whose secrets the caller may see
     * ('all': every secret, untagged ones too); the rows of the other teams are left out in SQL.
     */
    async list(query: ListSecretsQuery, scope: TeamScope = 'all'): Promise<SecretPage> {
      return pageOf(query, scope, 'query parameters');
    },

    /**
     * Refresh on the Secrets list: reads the page in view again from AWS into the index, then
     * answers that page. Two reads, each for what the other cannot do: ListSecrets for the page's
     * filters (name prefix; the team, or the caller's teams, by tag), in the account-regions its
     * Account and Region filters leave, finds secrets the index has not seen yet, such as ones made
     * outside the console; then DescribeSecret for each secret on the page, in its own target, gives
     * its latest state (ListSecrets may lag five minutes, AWS says) and removes what was deleted.
     * Only the caller's secrets are described; other teams' secrets the listing finds go into the
     * index, which the caller's answers leave out as ever.
     */
    async refresh(query: ListSecretsQuery, scope: TeamScope = 'all'): Promise<SecretPage> {
      const inView = await pageOf(query, scope, 'refresh request');
      const filter = awsFilterOf(query, scope);
      if (!filter) return inView;
      // Listed in the page's own account-regions only: its Account and Region filters say where.
      await crawler.indexListed(filter, REFRESH_LIST_PAGES, { accountId: query.account, region: query.region });
      await crawler.refreshSecrets(inView.items.map((secret) => secret.arn));
      // The index has changed since (this process wrote it): the page is read again, not kept.
      return pageOf(query, scope, 'refresh request');
    },

    /**
     * A page for a picker that must offer a secret made a moment ago, outside the console too (the
     * master secret of alternating users): one ListSecrets page for the query's filters is written
     * into the index first, then the page is read from it. No DescribeSecret: a picker's rows need
     * the names, tags and descriptions ListSecrets gives.
     */
    async listAfterListing(query: ListSecretsQuery, scope: TeamScope = 'all'): Promise<SecretPage> {
      const filter = awsFilterOf(query, scope);
      // No log reads here: a picker shows no status, and must answer while the operator types.
      if (filter) await crawler.indexListed(filter, 1, { checks: 0, accountId: query.account, region: query.region });
      return pageOf(query, scope, 'query parameters');
    },

    /** DescribeSecret: enough for the policy to decide (refOf), before anything else is read. */
    describe: (secretId: string): Promise<SecretRecord> => gateway.describe(secretId),

    refOf: (record: SecretRecord) => ({ name: record.name, team: teamOf(record.tags, teamTagKey) }),

    /** The detail of a secret described already: its versions from ListSecretVersionIds. Never the value. */
    async detail(record: SecretRecord): Promise<SecretDetail> {
      const team = teamOf(record.tags, teamTagKey);
      const [versions, verdict, windows] = await Promise.all([
        gateway.listVersions(record),
        lastRotation.check(record),
        freeze && team !== null ? freeze.windowsOf(team) : [],
      ]);
      const at = now();
      const detail = toDetail(record, versions, teamTagKey, at, verdict);
      if (!windows.length) return detail;
      const rules = record.rotationRules;
      // NextRotationDate where AWS gives one; else the console's due date (from the last rotation and the interval).
      const next = record.nextRotationDate ?? dueDate(rotationFactsOf(record, { versions, lastRotation: verdict }));
      const freezeWarning = nextRotationWarning(
        {
          enabled: record.rotationEnabled && !record.owningService,
          rules: {
            ...(rules?.automaticallyAfterDays ? { AutomaticallyAfterDays: rules.automaticallyAfterDays } : {}),
            ...(rules?.scheduleExpression ? { ScheduleExpression: rules.scheduleExpression } : {}),
            ...(rules?.duration ? { Duration: rules.duration } : {}),
          },
          next: next ? next.toISOString() : null,
        },
        windows,
        at,
      );
      return { ...detail, freezeWarning };
    },
  };
};
export type SecretsService = ReturnType<typeof createSecretsService>;
