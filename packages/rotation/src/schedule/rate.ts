/**
 * rate() expressions for Secrets Manager rotation.
 *
 * Sources:
 * - Secrets Manager user guide, "Rotation schedules" > "Rate expressions": rate(Value Unit),
 *   Value a positive integer, Unit one of hour, hours, day, days; "You can rotate a secret
 *   as often as every four hours. The maximum rotation period is 999 days."
 * - EventBridge "Rate expressions reference": "If the value is equal to 1, then the unit must
 *   be singular. If the value is greater than 1, the unit must be plural. For example,
 *   rate(1 hours) and rate(5 hour) aren't valid". The Secrets Manager page lists the same four
 *   units and shows rate(1 day), so we apply EventBridge's agreement rule.
 *
 * Strict where the documentation is silent (each refusal says why):
 * - exactly one space between value and unit, no leading zero in the value;
 * - rate(N hours) for N of 24 or more: no page says what it means next to rate(N days) or
 *   where its windows fall, so we ask for days (or a cron()) instead.
 */

export const MIN_HOURS_BETWEEN_ROTATIONS = 4;
/** The user guide's "maximum rotation period" for rate(); AutomaticallyAfterDays goes to 1000. */
export const MAX_RATE_DAYS = 999;

export interface Rate {
  unit: 'hours' | 'days';
  value: number;
}

export type ParsedRate = { ok: true; rate: Rate } | { ok: false; errors: string[] };

const SHAPE = /^rate\((\d+) (hour|hours|day|days)\)$/;

/** Only the grammar: value and unit. Used to read rules that AWS already accepted. */
export const readRate = (expression: string): Rate | null => {
  const m = SHAPE.exec(expression);
  if (!m?.[1] || !m[2]) return null;
  const value = Number(m[1]);
  if (value < 1) return null;
  return { unit: m[2].startsWith('hour') ? 'hours' : 'days', value };
};

/** The grammar and Secrets Manager's limits, with a reason for each refusal. */
export const parseRate = (expression: string): ParsedRate => {
  const m = SHAPE.exec(expression);
  if (!m?.[1] || !m[2]) return { ok: false, errors: [shapeError(expression)] };
  const digits = m[1];
  const word = m[2];
  const value = Number(digits);
  const unit: Rate['unit'] = word.startsWith('hour') ? 'hours' : 'days';
  const singular = unit === 'hours' ? 'hour' : 'day';
  const errors: string[] = [];

  if (value === 0) return { ok: false, errors: [`${expression} needs a positive number of ${unit}`] };
  if (digits.startsWith('0')) errors.push(`Write rate(${value} ${value === 1 ? singular : unit}), without the leading zero`);
  if (value === 1 && word === unit) errors.push(`Write rate(1 ${singular}): the unit is singular when the value is 1`);
  if (value > 1 && word === singular) errors.push(`Write rate(${value} ${unit}): the unit is plural when the value is more than 1`);

  if (unit === 'hours') {
    if (value < MIN_HOURS_BETWEEN_ROTATIONS) {
      errors.push(`${expression} rotates more often than every four hours, which Secrets Manager refuses`);
    } else if (value >= 24) {
      const days = value / 24;
      errors.push(
        Number.isInteger(days)
          ? `${expression} is ${days === 1 ? 'a day' : `${days} days`}: write it as rate(${days} ${days === 1 ? 'day' : 'days'})`
          : `${expression} is more than a day: write a rate in days, or a cron() expression`,
      );
    }
  } else if (value > MAX_RATE_DAYS) {
    errors.push(`${expression} is longer than the ${MAX_RATE_DAYS} days Secrets Manager allows between rotations`);
  }

  return errors.length ? { ok: false, errors } : { ok: true, rate: { unit, value } };
};

const shapeError = (expression: string): string => {
  const inner = /^rate\((.*)\)$/.exec(expression)?.[1] ?? '';
  if (/^\s*\d+\s*minutes?\s*$/.test(inner)) {
    return `${expression}: Secrets Manager rates are in hours or days, and rotate at most every four hours`;
  }
  if (/^\s*\d+\s+(hour|hours|day|days)\s*$/.test(inner)) {
    return `Write ${expression.replace(/\s+/g, ' ').replace('( ', '(').replace(' )', ')')}: one space between the number and the unit, none elsewhere`;
  }
  if (/^\s*\d+\s*(hour|hours|day|days)\s*$/i.test(inner)) {
    return `${expression}: write the unit in lower case, after one space, like rate(10 days)`;
  }
  return `rate() takes a whole number and a unit (hour, hours, day or days), like rate(10 days) or rate(12 hours); found ${expression}`;
};
