import { Portal, type PortalTeam } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../api-client.ts';

/** While the index is being built the portal is asked for again this often, so the page fills in by itself. */
export const PORTAL_INDEXING_POLL_MS = 5000;

/**
 * GET /api/v1/portal: the teams whose secrets the person may change, each with its defaults,
 * limits and secrets (from the API's index). `team` asks for one team only. Read by the portal
 * page and the rotation wizard (which reads its secret's team's defaults and limit), so it lives
 * here rather than in either feature.
 */
export const portalQueryOptions = (team?: string, place: { account?: string; region?: string } = {}) =>
  queryOptions({
    queryKey: ['portal', team ?? null, place.account ?? null, place.region ?? null] as const,
    queryFn: ({ signal }) => apiGet('/api/v1/portal', Portal, { signal, query: { team, account: place.account, region: place.region } }),
    refetchInterval: (query) => (query.state.data && query.state.data.freshness.state !== 'ready' ? PORTAL_INDEXING_POLL_MS : false),
  });

/** `place`: one account and/or region only, in a console covering several. */
export const usePortal = (team?: string, place?: { account?: string; region?: string }) => useQuery(portalQueryOptions(team, place));

/** One team's settings, or nothing when there is no team, the person may not plan for it, or the request failed. */
export const useTeamSettings = (team: string | null) => {
  const query = useQuery({ ...portalQueryOptions(team ?? undefined), enabled: team !== null, retry: false });
  const found: PortalTeam | undefined = query.data?.teams.find((t) => t.team === team);
  return { team: found, isPending: team !== null && query.isPending };
};
