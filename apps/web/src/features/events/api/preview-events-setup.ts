import { EventsSetupPreview } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** POST /api/v1/events/setup-previews: what the setup would create, with the AWS CLI commands; changes nothing. */
export const eventsSetupPreviewQueryOptions = () =>
  queryOptions({
    queryKey: ['events', 'setup-preview'] as const,
    queryFn: ({ signal }) => apiPost('/api/v1/events/setup-previews', {}, EventsSetupPreview, { signal }),
  });

export const useEventsSetupPreview = () => useQuery(eventsSetupPreviewQueryOptions());
