import type { DashboardSummary } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGetTyped } from '../../../lib/api-client.ts';

/** While the index is being built the summary is asked for again this often, so the page fills in by itself. */
export const INDEXING_POLL_MS = 5000;

/**
 * The fleet summary from the API's index: counts by status, coverage by team and engine, secrets due in
 * 7 days. Typed by the contract, not parsed with its schema: the landing page loads no zod (see apiGetTyped).
 */
export const fetchDashboardSummary = (signal?: AbortSignal): Promise<DashboardSummary> => apiGetTyped('/api/v1/dashboard/summary', { signal });

export const dashboardSummaryQueryOptions = () =>
  queryOptions({
    queryKey: ['dashboard', 'summary'] as const,
    queryFn: ({ signal }) => fetchDashboardSummary(signal),
    refetchInterval: (query) => (query.state.data && query.state.data.freshness.state !== 'ready' ? INDEXING_POLL_MS : false),
  });

export const useDashboardSummary = () => useQuery(dashboardSummaryQueryOptions());
