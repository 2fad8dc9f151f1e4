import type { RotationRules } from '@rotation-console/contracts';
import { functionNameOfArn } from '../../../lib/lambda-arn.ts';

const EMPTY = '-';

const plural = (count: number, unit: string) => (count === 1 ? `${count} ${unit}` : `${count} ${unit}s`);

const every = (count: number, unit: string) => (count === 1 ? `Every ${unit}` : `Every ${plural(count, unit)}`);

/** `rate(10 days)` → "Every 10 days"; any other expression (cron) is returned as written. */
const describeExpression = (expression: string): string => {
  const rate = /^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$/i.exec(expression.trim());
  if (rate?.[1] && rate[2]) return every(Number(rate[1]), rate[2].toLowerCase());
  return expression;
};

/** The rotation schedule in words, as the console shows it: "Every 30 days", or the schedule expression. */
export const describeSchedule = (rules: RotationRules | null): string => {
  if (!rules) return EMPTY;
  if (rules.automaticallyAfterDays !== null) return every(rules.automaticallyAfterDays, 'day');
  if (rules.scheduleExpression) return describeExpression(rules.scheduleExpression);
  return EMPTY;
};

/** A rotation window (`3h`, `90m`, `2h30m`) in words: "3 hours", "2 hours 30 minutes". */
export const describeWindow = (duration: string | null): string | null => {
  if (!duration) return null;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(duration.trim());
  if (!match || (!match[1] && !match[2])) return duration;
  const parts: string[] = [];
  if (match[1]) parts.push(plural(Number(match[1]), 'hour'));
  if (match[2]) parts.push(plural(Number(match[2]), 'minute'));
  return parts.join(' ');
};

/** `arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres` → "rotate-postgres". */
export const lambdaFunctionName = (arn: string | null): string => (arn ? functionNameOfArn(arn) : EMPTY);
