import type { ListSecretsQuery, SecretDetail, SecretPage, SecretSummary } from '@rotation-console/contracts';
import { MAX_PAGE_SIZE } from '@rotation-console/contracts';
import { decodeCursor, encodeCursor, type PageCursor } from './cursor.ts';
import type { ListFilter, SecretsGateway } from './secrets.aws.ts';
import { toDetail, toSummary } from './secret-summary.ts';

/**
 * A filtered page may need several AWS pages; past this many it returns what it has
 * with a cursor, so one request never crawls the whole account.
 */
export const MAX_AWS_PAGES_PER_REQUEST = 10;

interface Deps {
  gateway: SecretsGateway;
  teamTagKey: string;
  now?: () => Date;
}

export const createSecretsService = ({ gateway, teamTagKey, now = () => new Date() }: Deps) => {
  return {
    /** One page built from ListSecrets alone: no DescribeSecret per row. */
    async list(query: ListSecretsQuery): Promise<SecretPage> {
      const filter: ListFilter = {
        ...(query.name ? { namePrefix: query.name } : {}),
        ...(query.team ? { tag: { key: teamTagKey, value: query.team } } : {}),
      };
      // Status and the exact team are checked here, after AWS's prefix filters.
      const checkedHere = Boolean(query.status || query.team);
      const matches = (s: SecretSummary) => (!query.status || s.status === query.status) && (!query.team || s.team === query.team);

      let cursor: PageCursor = query.cursor
        ? decodeCursor(query.cursor)
        : { token: null, offset: 0, pageSize: checkedHere ? MAX_PAGE_SIZE : query.limit };
      const items: SecretSummary[] = [];
      const at = now();

      for (let pagesRead = 0; pagesRead < MAX_AWS_PAGES_PER_REQUEST; pagesRead++) {
        const page = await gateway.listPage({ filter, nextToken: cursor.token, maxResults: cursor.pageSize });
        const afterThisPage = page.nextToken ? { token: page.nextToken, offset: 0, pageSize: cursor.pageSize } : null;
        for (let i = cursor.offset; i < page.records.length; i++) {
          const summary = toSummary(page.records[i]!, teamTagKey, at);
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

    /** DescribeSecret and ListSecretVersionIds, side by side. Never the value. */
    async get(secretId: string): Promise<SecretDetail> {
      const [record, versions] = await Promise.all([gateway.describe(secretId), gateway.listVersions(secretId)]);
      return toDetail(record, versions, teamTagKey, now());
    },
  };
};
export type SecretsService = ReturnType<typeof createSecretsService>;
