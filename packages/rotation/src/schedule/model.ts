import { parseCron, type CronSpec } from './cron.ts';
import { readRate } from './rate.ts';
import type { ScheduleRules } from './types.ts';

/** What a set of RotationRules means, once read. */
export type ScheduleModel = { kind: 'days'; days: number } | { kind: 'hours'; hours: number } | { kind: 'cron'; spec: CronSpec; key: string };

/**
 * Reads RotationRules. ScheduleExpression wins over AutomaticallyAfterDays: RotateSecret
 * takes one or the other, and DescribeSecret fills AutomaticallyAfterDays in from the
 * expression ("calculated from the rotation schedule after every successful rotation").
 * Only the grammar is checked here, so rules AWS already holds can always be read;
 * validateSchedule is where Secrets Manager's limits are applied. null: not understood.
 */
export const modelOf = (rules: ScheduleRules): ScheduleModel | null => {
  const expression = rules.ScheduleExpression;
  if (expression !== undefined && expression !== '') {
    const rate = readRate(expression);
    if (rate) return rate.unit === 'days' ? { kind: 'days', days: rate.value } : { kind: 'hours', hours: rate.value };
    const cron = parseCron(expression);
    return cron.ok ? { kind: 'cron', spec: cron.spec, key: cron.fields.join(' ') } : null;
  }
  const days = rules.AutomaticallyAfterDays;
  if (typeof days === 'number' && Number.isInteger(days) && days >= 1) return { kind: 'days', days };
  return null;
};
