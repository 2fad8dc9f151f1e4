import type { DashboardListQuery, DashboardPage } from '@rotation-console/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiGetTyped } from '../../../lib/api-client.ts';

/** One page of the index, sorted and filtered on the server, with the total (typed, not parsed: see apiGetTyped). */
export const fetchDashboardSecrets = (query: DashboardListQuery, signal?: AbortSignal): Promise<DashboardPage> =>
  apiGetTyped('/api/v1/dashboard/secrets', { query: { ...query }, signal });

export const dashboardSecretsQueryOptions = (query: DashboardListQuery) =>
  queryOptions({
    queryKey: ['dashboard', 'secrets', { query }] as const,
    queryFn: ({ signal }) => fetchDashboardSecrets(query, signal),
    // The page shown stays while the next one loads: no flash of an empty table between pages.
    placeholderData: keepPreviousData,
  });

export const useDashboardSecrets = (query: DashboardListQuery) => useQuery(dashboardSecretsQueryOptions(query));

/** GET /api/v1/dashboard/secrets.csv with the same filters and sort: the whole filtered list, no paging. */
export const dashboardCsvHref = (query: Record<string, string | undefined>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `/api/v1/dashboard/secrets.csv${search ? `?${search}` : ''}`;
};
