import { AlertDeliveryPage } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** Polled while the section is open: a test alert's attempts show up as they happen. */
const POLL_MS = 5000;

/** The team's delivery log, newest first. */
export const fetchAlertDeliveries = (team: string, signal?: AbortSignal): Promise<AlertDeliveryPage> =>
  apiGet(`/api/v1/teams/${encodeURIComponent(team)}/alert-deliveries`, AlertDeliveryPage, { query: { limit: 50 }, signal });

export const alertDeliveriesQueryOptions = (team: string) =>
  queryOptions({
    queryKey: ['alerts', 'deliveries', { team }] as const,
    queryFn: ({ signal }) => fetchAlertDeliveries(team, signal),
    refetchInterval: POLL_MS,
  });

export const useAlertDeliveries = (team: string) => useQuery(alertDeliveriesQueryOptions(team));
