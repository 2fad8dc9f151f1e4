import { SecretPage, type SecretStatus } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** What the Secrets page asks for: the URL's filters plus the cursor of the page shown (the API reads the console's index). */
export interface ListSecretsFilter {
  name?: string;
  status?: SecretStatus;
  team?: string;
  account?: string;
  region?: string;
  cursor?: string;
  limit?: number;
}

/** The filter as the API takes it: the list's query and Refresh's body alike. */
export const secretsQueryOf = (filter: ListSecretsFilter) => ({
  name: filter.name,
  status: filter.status,
  team: filter.team,
  account: filter.account,
  region: filter.region,
  cursor: filter.cursor,
  limit: filter.limit,
});

export const fetchSecretsPage = (filter: ListSecretsFilter, signal?: AbortSignal): Promise<SecretPage> =>
  apiGet('/api/v1/secrets', SecretPage, { query: secretsQueryOf(filter), signal });

/** Until the console's index is built the page comes straight from AWS's first page: asked for again this often, so it fills in by itself. */
export const INDEXING_POLL_MS = 5000;

export const listSecretsQueryOptions = (filter: ListSecretsFilter) =>
  queryOptions({
    queryKey: ['secrets', 'list', { filter }] as const,
    queryFn: ({ signal }) => fetchSecretsPage(filter, signal),
    refetchInterval: (query) => (query.state.data && query.state.data.freshness.source === 'aws' ? INDEXING_POLL_MS : false),
  });

export const useListSecrets = (filter: ListSecretsFilter) => useQuery(listSecretsQueryOptions(filter));
