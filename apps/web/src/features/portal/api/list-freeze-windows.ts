import { FreezeWindowList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** GET /api/v1/teams/{team}/freeze-windows: the team's windows (the teams file's and the portal's), each with its open and next occurrence. */
export const freezeWindowsQueryOptions = (team: string) =>
  queryOptions({
    queryKey: ['freeze-windows', 'list', { team }] as const,
    queryFn: ({ signal }) => apiGet(`/api/v1/teams/${encodeURIComponent(team)}/freeze-windows`, FreezeWindowList, { signal }),
  });

export const useFreezeWindows = (team: string) => useQuery(freezeWindowsQueryOptions(team));
