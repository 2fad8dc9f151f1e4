import { EventsStatus } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** While the setup runs, its steps are read again this often. */
export const SETUP_POLL_MS = 2000;

/** GET /api/v1/events/status: the queue, the rule, the last events and the messages set aside (admins). */
export const eventsStatusQueryOptions = () =>
  queryOptions({
    queryKey: ['events', 'status'] as const,
    queryFn: ({ signal }) => apiGet('/api/v1/events/status', EventsStatus, { signal }),
    refetchInterval: (query) => (query.state.data?.setup && ['pending', 'running'].includes(query.state.data.setup.status) ? SETUP_POLL_MS : false),
  });

export const useEventsStatus = () => useQuery(eventsStatusQueryOptions());
