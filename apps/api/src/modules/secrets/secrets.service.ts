import type { ListSecretsQuery, SecretDetail, SecretPage, SecretSummary } from '@rotation-console/contracts';
import { inTeamScope, MAX_PAGE_SIZE } from '@rotation-console/contracts';
import { decodeCursor, encodeCursor, type PageCursor } from './cursor.ts';
import type { ListFilter, SecretRecord, SecretsGateway } from './secrets.aws.ts';
import type { LastRotationEvidenceService } from './last-rotation.ts';
import { toDetail, toSummary } from './secret-summary.ts';
import { teamOf } from '../../platform/team-tag.ts';

/**
 * A filtered page may need several AWS pages; past this many it returns what it has
 * with a cursor, so one request never crawls the whole account.
 */
export const MAX_AWS_PAGES_PER_REQUEST = 10;
/** ListSecrets takes at most this many values in one filter. */
const MAX_FILTER_VALUES = 10;

interface Deps {
  gateway: SecretsGateway;
  /** The verdicts on last rotations, from the functions' logs: a secret is healthy only on one. */
  lastRotation: LastRotationEvidenceService;
  teamTagKey: string;
  now?: () => Date;
}

export const createSecretsService = ({ gateway, lastRotation, teamTagKey, now = () => new Date() }: Deps) => {
  return {
    /** One page built from ListSecrets alone: no DescribeSecret per row. */
    /** `scope`: the teams whose secrets the caller may see ('all': every secret, untagged ones too). */
    async list(query: ListSecretsQuery, scope: 'all' | string[] = 'all'): Promise<SecretPage> {
      if (scope !== 'all' && (scope.length === 0 || (query.team && !scope.includes(query.team)))) return { items: [], nextCursor: null };
      // AWS narrows by tag (prefix matches, any of the values); the exact team is checked below.
      const teams = query.team ? [query.team] : scope === 'all' || scope.length > MAX_FILTER_VALUES ? null : scope;
      const filter: ListFilter = {
        ...(query.name ? { namePrefix: query.name } : {}),
        ...(teams ? { tag: { key: teamTagKey, values: teams } } : {}),
      };
      // Status and the exact team are checked here, after AWS's prefix filters.
      const checkedHere = Boolean(query.status || query.team || scope !== 'all');
      const matches = (s: SecretSummary) =>
        (!query.status || s.status === query.status) && (!query.team || s.team === query.team) && inTeamScope(scope, s.team);

      let cursor: PageCursor = query.cursor ? decodeCursor(query.cursor) : { token: null, offset: 0, pageSize: checkedHere ? MAX_PAGE_SIZE : query.limit };
      const items: SecretSummary[] = [];
      const at = now();

      for (let pagesRead = 0; pagesRead < MAX_AWS_PAGES_PER_REQUEST; pagesRead++) {
        const page = await gateway.listPage({ filter, nextToken: cursor.token, maxResults: cursor.pageSize });
        const afterThisPage = page.nextToken ? { token: page.nextToken, offset: 0, pageSize: cursor.pageSize } : null;
        // The recorded verdicts only (one query): reading logs for a whole page would be slow; the crawl reads them.
        const verdicts = await lastRotation.recorded(page.records);
        for (let i = cursor.offset; i < page.records.length; i++) {
          const record = page.records[i]!;
          const summary = toSummary(record, teamTagKey, at, verdicts.get(record.arn) ?? null);
          if (!matches(summary)) continue;
          items.push(summary);
          if (items.length === query.limit) {
            const next = i + 1 < page.records.length ? { ...cursor, offset: i + 1 } : afterThisPage;
            return { items, nextCursor: next ? encodeCursor(next) : null };
          }
        }
        if (!afterThisPage) return { items, nextCursor: null };
        cursor = afterThisPage;
      }
      return { items, nextCursor: encodeCursor(cursor) };
    },

    /** DescribeSecret: enough for the policy to decide (refOf), before anything else is read. */
    describe: (secretId: string): Promise<SecretRecord> => gateway.describe(secretId),

    refOf: (record: SecretRecord) => ({ name: record.name, team: teamOf(record.tags, teamTagKey) }),

    /** The detail of a secret described already: its versions from ListSecretVersionIds. Never the value. */
    async detail(record: SecretRecord): Promise<SecretDetail> {
      const [versions, verdict] = await Promise.all([gateway.listVersions(record), lastRotation.check(record)]);
      return toDetail(record, versions, teamTagKey, now(), verdict);
    },
  };
};
export type SecretsService = ReturnType<typeof createSecretsService>;
