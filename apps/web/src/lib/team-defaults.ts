import { scheduleLimitMessage, type PortalTeam, type RotationSchedule, type ScheduleLimit, type TeamDefaults } from '@rotation-console/contracts';

/* A team's defaults and limit, as the portal shows them and the rotation wizard applies them (the data: api/get-portal.ts). */

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
      value: !fn
        ? 'Not set (a new function for each secret)'
        : fn.mode === 'create'
          ? `A new function for each secret (${strategy})`
          : `The team\u2019s function ${fn.functionArn} (${strategy})`,
    },
    {
      label: 'Network',
      value: defaults.network === 'auto' ? 'Found from the database through RDS' : `${defaults.network.vpcId}, ${defaults.network.subnetIds.length} subnet(s)`,
    },
  ];
};
