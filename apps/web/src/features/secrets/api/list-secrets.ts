import { SecretPage, type SecretStatus } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** What the Secrets page asks for: the URL's filters plus the cursor of the page shown. */
export interface ListSecretsFilter {
  name?: string;
  status?: SecretStatus;
  team?: string;
  cursor?: string;
  limit?: number;
}

export const fetchSecretsPage = (filter: ListSecretsFilter, signal?: AbortSignal): Promise<SecretPage> =>
  apiGet('/api/v1/secrets', SecretPage, {
    query: { name: filter.name, status: filter.status, team: filter.team, cursor: filter.cursor, limit: filter.limit },
    signal,
  });

export const listSecretsQueryOptions = (filter: ListSecretsFilter) =>
  queryOptions({
    queryKey: ['secrets', 'list', { filter }] as const,
    queryFn: ({ signal }) => fetchSecretsPage(filter, signal),
  });

export const useListSecrets = (filter: ListSecretsFilter) => useQuery(listSecretsQueryOptions(filter));
