import { isAllowed, Me, type Action, type Resource } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiGet } from './api-client.ts';

/** Who the console runs as (GET /api/v1/me); fetched once per page load. */
export const meQueryOptions = queryOptions({
  queryKey: ['me'] as const,
  queryFn: ({ signal }) => apiGet('/api/v1/me', Me, { signal }),
  staleTime: Number.POSITIVE_INFINITY,
});

export const useMe = () => useQuery(meQueryOptions);

/**
 * `can(action, resource)`: the API's own policy (from the contracts), asked in the browser so a
 * page hides what the person may not do. The API still refuses it; until /me answers, nothing is allowed.
 */
export const useCan = (): ((action: Action, resource: Resource) => boolean) => {
  const { data: me } = useMe();
  return useCallback((action: Action, resource: Resource) => (me ? isAllowed(me, action, resource) : false), [me]);
};
