import { modelOf } from './model.ts';
import type { ScheduleRules } from './types.ts';
import { intervalDays } from './windows.ts';

/** A team's limit on its schedules (config/teams.json `limits`), with the team's name for the message. */
export interface ScheduleLimit {
  team: string;
  maxIntervalDays: number;
}

const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;

/**
 * Why a schedule breaks the team's limit, or null when it keeps to it. The interval is
 * intervalDays': exact for AutomaticallyAfterDays and rate(), and for cron() the longest
 * gap between two consecutive windows over a whole calendar cycle (cron(0 8 1 1/4 ? *)
 * rotates three times a year but leaves some secrets 4 months between rotations).
 * Rules that cannot be read are for validateSchedule to refuse, not this.
 */
export const scheduleLimitProblem = (rules: ScheduleRules, limit: ScheduleLimit): string | null => {
  const interval = intervalDays(rules);
  if (interval === null || interval <= limit.maxIntervalDays) return null;
  const model = modelOf(rules);
  const what = model?.kind === 'cron' ? `this schedule can leave ${days(interval)} between rotations` : `this schedule rotates every ${days(interval)}`;
  return `Team ${limit.team} allows at most ${days(limit.maxIntervalDays)} between rotations; ${what}.`;
};
