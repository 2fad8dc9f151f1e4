import { scheduleLimitMessage, type ScheduleLimit } from '@rotation-console/contracts';
import { modelOf } from './model.ts';
import type { ScheduleRules } from './types.ts';
import { intervalDays } from './windows.ts';

export type { ScheduleLimit };

/**
 * Why a schedule breaks the team's limit, or null when it keeps to it. The interval is
 * intervalDays': exact for AutomaticallyAfterDays and rate(), and for cron() the longest
 * gap between two consecutive windows over a whole calendar cycle (cron(0 8 1 1/4 ? *)
 * rotates three times a year but leaves 123 days between May and September).
 * Rules that cannot be read are for validateSchedule to refuse, not this.
 */
export const scheduleLimitProblem = (rules: ScheduleRules, limit: ScheduleLimit): string | null => {
  const interval = intervalDays(rules);
  if (interval === null || interval <= limit.maxIntervalDays) return null;
  return scheduleLimitMessage(limit, interval, modelOf(rules)?.kind === 'cron' ? 'longest-gap' : 'interval');
};
