import { MAX_PAGE_SIZE, type ListSecretsQuery, type MasterSecretCandidate, type MasterSecretCandidateList, type SecretPage } from '@rotation-console/contracts';
import { checkSecretFormat, databaseOf, namesSameDatabase, type ParsedDatabaseSecret } from '@rotation-console/rotation';
import { NotFoundError, UpstreamError } from '../../platform/errors.ts';
import { accountRegionOfArn } from '../../platform/targets/target.ts';
import type { DiscoveryGateway } from './discovery.aws.ts';

/** GetSecretValue calls in flight at once while the candidates are read (a page holds up to MAX_PAGE_SIZE). */
const READ_CONCURRENCY = 8;

interface Deps {
  discovery: DiscoveryGateway;
  /**
   * The secrets list of the secrets module: one page, filtered by name and by the teams in scope,
   * after AWS's listing for it (a master secret made a moment ago is offered at once).
   */
  listSecrets: (query: ListSecretsQuery, scope: 'all' | string[]) => Promise<SecretPage>;
}

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
const mapWithLimit = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/** What a SecretString names (engine, host, port), as the secret check parses it; never kept beyond this. */
const parsedOf = (name: string, value: string | null): ParsedDatabaseSecret | null =>
  checkSecretFormat(name, value, { strategy: 'alternating-users', role: 'master' }).parsed;

/**
 * The master secret picker's list: of the secrets in the caller's scope (the plan refuses any
 * other master) and in the secret's own account and region, those whose SecretString names the same engine, host and port as the rotated
 * secret. Values are read on the server only to compare those three; the answer holds the
 * database each names, never a user name or password.
 */
export const createMasterCandidatesService = ({ discovery, listSecrets }: Deps) => ({
  async list(secret: { name: string; arn: string }, scope: 'all' | string[], name?: string): Promise<MasterSecretCandidateList> {
    const own = parsedOf(secret.name, await discovery.secretString(secret.arn));
    const database = databaseOf(own);
    if (!own || !database) return { database: null, items: [], truncated: false };

    // In the secret's own account and region: the function reads the master there, with its role.
    const place = accountRegionOfArn(secret.arn);
    const page = await listSecrets(
      { limit: MAX_PAGE_SIZE, ...(name ? { name } : {}), ...(place ? { account: place.accountId, region: place.region } : {}) },
      scope,
    );
    const others = page.items.filter((s) => s.arn !== secret.arn);
    const read = await mapWithLimit(others, READ_CONCURRENCY, async (s) => {
      // A secret this caller's role may not read, or one deleted since the list, cannot be the master: it is left out.
      const value = await discovery.secretString(s.arn).catch((error: unknown) => {
        if (error instanceof NotFoundError || (error instanceof UpstreamError && error.awsErrorName === 'AccessDeniedException')) return null;
        throw error;
      });
      const parsed = parsedOf(s.name, value);
      const candidateDb = databaseOf(parsed);
      if (!parsed || !candidateDb || !namesSameDatabase(own, parsed)) return null;
      const candidate: MasterSecretCandidate = { name: s.name, arn: s.arn, description: s.description, team: s.team, database: candidateDb };
      return candidate;
    });
    return { database, items: read.filter((c): c is MasterSecretCandidate => c !== null), truncated: page.nextCursor !== null };
  },
});
export type MasterCandidatesService = ReturnType<typeof createMasterCandidatesService>;
