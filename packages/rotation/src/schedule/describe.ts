import { readRate } from './rate.ts';
import type { ScheduleRules } from './types.ts';

const every = (n: number, unit: 'day' | 'hour') => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);

/**
 * The schedule in words, as the wizard and the plan show it: "every 30 days", "every day",
 * "every 6 hours", "every 30 days in a 2h window", "cron(0 4 ? * SUN *) in a 3h window".
 * A cron() is shown as written: people who write one read it best that way.
 */
export const describeSchedule = (rules: ScheduleRules): string => {
  const window = rules.Duration ? ` in a ${rules.Duration} window` : '';
  const expression = rules.ScheduleExpression;
  if (expression !== undefined && expression !== '') {
    const rate = readRate(expression);
    return (rate ? every(rate.value, rate.unit === 'hours' ? 'hour' : 'day') : expression) + window;
  }
  const days = rules.AutomaticallyAfterDays;
  if (typeof days === 'number' && days > 0) return every(days, 'day') + window;
  return 'no rotation schedule';
};
