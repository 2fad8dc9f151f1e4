import { AlertChannelList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

const teamPath = (team: string) => `/api/v1/teams/${encodeURIComponent(team)}`;

/** The team's alert channels (teams file and portal); URLs come masked. */
export const fetchAlertChannels = (team: string, signal?: AbortSignal): Promise<AlertChannelList> =>
  apiGet(`${teamPath(team)}/alert-channels`, AlertChannelList, { signal });

export const alertChannelsQueryOptions = (team: string) =>
  queryOptions({
    queryKey: ['alerts', 'channels', { team }] as const,
    queryFn: ({ signal }) => fetchAlertChannels(team, signal),
  });

export const useAlertChannels = (team: string) => useQuery(alertChannelsQueryOptions(team));
