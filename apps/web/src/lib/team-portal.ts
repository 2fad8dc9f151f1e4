import { Portal, scheduleLimitMessage, type PortalTeam, type RotationSchedule, type ScheduleLimit, type TeamDefaults } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from './api-client.ts';

/** While the index is being built the portal is asked for again this often, so the page fills in by itself. */
export const PORTAL_INDEXING_POLL_MS = 5000;

/**
 * GET /api/v1/portal: the teams whose secrets the person may change, each with its defaults,
 * limits and secrets (from the API's index). `team` asks for one team only. Shared by the portal
 * page and the rotation wizard (which reads its secret's team's defaults and limit).
 */
export const portalQueryOptions = (team?: string) =>
  queryOptions({
    queryKey: ['portal', team ?? null] as const,
    queryFn: ({ signal }) => apiGet('/api/v1/portal', Portal, { signal, query: { team } }),
    refetchInterval: (query) => (query.state.data && query.state.data.freshness.state !== 'ready' ? PORTAL_INDEXING_POLL_MS : false),
  });

export const usePortal = (team?: string) => useQuery(portalQueryOptions(team));

/** One team's settings, or nothing when there is no team, the person may not plan for it, or the request failed. */
export const useTeamSettings = (team: string | null) => {
  const query = useQuery({ ...portalQueryOptions(team ?? undefined), enabled: team !== null, retry: false });
  const found: PortalTeam | undefined = query.data?.teams.find((t) => t.team === team);
  return { team: found, isPending: team !== null && query.isPending };
};

/** The team's limit as the schedule rules take it, or null. */
export const limitOf = (team: PortalTeam | undefined): ScheduleLimit | null =>
  team?.limits.maxIntervalDays !== undefined ? { team: team.team, maxIntervalDays: team.limits.maxIntervalDays } : null;

/**
 * Why a schedule breaks the team's limit, as far as the browser can tell without the schedule
 * rules: a number of days or rate(N days). A cron() schedule's longest gap is for the API's
 * preview to find (its answer is shown on the same field).
 */
export const clientLimitProblem = (schedule: RotationSchedule, limit: ScheduleLimit | null): string | null => {
  if (!limit) return null;
  const days = schedule.kind === 'days' ? schedule.days : Number(/^rate\(\s*(\d+)\s+days?\s*\)$/i.exec(schedule.expression.trim())?.[1] ?? NaN);
  return Number.isFinite(days) && days > limit.maxIntervalDays ? scheduleLimitMessage(limit, days, 'interval') : null;
};

const scheduleWords = (schedule: RotationSchedule) =>
  schedule.kind === 'days' ? `every ${schedule.days} day${schedule.days === 1 ? '' : 's'}` : schedule.expression;

/** A team's defaults in the console's words, for the portal's settings and the wizard's note. */
export const defaultsInWords = (defaults: TeamDefaults | null): { label: string; value: string }[] => {
  if (!defaults) return [];
  const fn = defaults.function;
  const strategy = fn?.strategy === 'alternating-users' ? 'multi-user' : 'single-user';
  return [
    { label: 'Rotation schedule', value: defaults.schedule ? scheduleWords(defaults.schedule) : 'Not set (the wizard\u2019s default: every 30 days)' },
    { label: 'Rotation window', value: defaults.duration ? defaults.duration : 'AWS\u2019s default window' },
    {
      label: 'Rotation function',
      value: !fn ? 'Not set (a new function for each secret)' : fn.mode === 'create' ? `A new function for each secret (${strategy})` : `The team\u2019s function ${fn.functionArn} (${strategy})`,
    },
    { label: 'Network', value: defaults.network === 'auto' ? 'Found from the database through RDS' : `${defaults.network.vpcId}, ${defaults.network.subnetIds.length} subnet(s)` },
  ];
};
