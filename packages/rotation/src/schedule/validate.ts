import { analyzeCron, isHourly, parseCronFields, secretsManagerFieldErrors, splitCron, type CronAnalysis, type CronSpec } from './cron.ts';
import { parseDuration } from './duration.ts';
import { MIN_HOURS_BETWEEN_ROTATIONS, parseRate, readRate } from './rate.ts';
import { DAY_MS, HOUR_MS, hhmm, num, utcMidnight, ymd } from './time.ts';
import type { ScheduleRequest, ScheduleRules, ScheduleValidation } from './types.ts';

/** RotationRulesType.AutomaticallyAfterDays: "Valid Range: Minimum value of 1. Maximum value of 1000." */
export const MIN_DAYS = 1;
export const MAX_DAYS = 1000;

/** The service model's ScheduleExpressionType: 1 to 256 characters of [0-9A-Za-z\(\)#\?\*\-\/, ]. */
const MAX_EXPRESSION_LENGTH = 256;
const EXPRESSION_CHARS = /[0-9A-Za-z()#?*\-/, ]/;

/** Field values put in place of a field Secrets Manager refused, so the grammar check goes on. */
const NEUTRAL_FIELDS = ['0', '0', '1', '*', '*', '*'] as const;

/**
 * Validates a rotation schedule as RotateSecret would, and returns the RotationRules to
 * send. Every refusal says why. Sources are cited where each rule is applied (here, in
 * rate.ts, cron.ts and duration.ts).
 *
 * The window (Duration) rules, from the RotationRulesType reference ("The window must not
 * extend into the next rotation window or the next UTC day") and the user guide ("for a
 * rotation schedule in hours, confirm that the rotation window is less than or equal to the
 * number of hours between rotations. For a rotation schedule in days, confirm that the start
 * hour plus the window duration is less than or equal to 24 hours"). For cron() we apply
 * both checks to every schedule, as the API reference states them for all.
 */
export const validateSchedule = (input: ScheduleRequest): ScheduleValidation => {
  const scheduleErrors: string[] = [];
  const durationErrors: string[] = [];
  const windowErrors: string[] = [];

  // An empty Window duration field means "not set": the console sends no Duration then.
  const durationText = input.duration === undefined || input.duration === '' ? undefined : input.duration;
  let durationHours: number | null = null;
  if (durationText !== undefined) {
    const d = parseDuration(durationText);
    if (d.ok) durationHours = d.hours;
    else durationErrors.push(d.error);
  }

  const { schedule } = input;
  let rules: ScheduleRules;
  if (schedule.kind === 'days') {
    scheduleErrors.push(...daysErrors(schedule.days));
    // The window opens at midnight and Duration is at most 24h: it always fits the day.
    rules = { AutomaticallyAfterDays: schedule.days };
  } else {
    const { expression } = schedule;
    const found = expressionErrors(expression, durationHours);
    scheduleErrors.push(...found.schedule);
    windowErrors.push(...found.window);
    rules = { ScheduleExpression: expression };
  }
  if (durationText !== undefined) rules.Duration = durationText;

  const errors = [...scheduleErrors, ...durationErrors, ...windowErrors];
  return errors.length ? { ok: false, errors } : { ok: true, rules };
};

const daysErrors = (days: number): string[] => {
  if (!Number.isFinite(days) || !Number.isInteger(days)) return [`Rotate every whole number of days; found ${days}`];
  if (days < MIN_DAYS || days > MAX_DAYS) return [`The rotation interval must be ${MIN_DAYS} to ${MAX_DAYS} days; found ${days}`];
  return [];
};

const EXAMPLES = 'like rate(10 days), rate(12 hours) or cron(0 4 ? * SUN *)';

const expressionErrors = (expression: string, durationHours: number | null): { schedule: string[]; window: string[] } => {
  const none = { schedule: [] as string[], window: [] as string[] };
  const only = (message: string) => ({ schedule: [message], window: [] });

  if (typeof expression !== 'string' || expression.trim() === '') return only(`Enter a schedule expression, ${EXAMPLES}`);
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return only(`A schedule expression is at most ${MAX_EXPRESSION_LENGTH} characters; this one has ${expression.length}`);
  }
  const bad = [...new Set([...expression].filter((c) => !EXPRESSION_CHARS.test(c)))];
  if (bad.length) {
    const shown = bad.map((c) => (c.trim() === '' ? JSON.stringify(c) : c)).join(' ');
    return only(`A schedule expression can use only letters, digits, spaces and ( ) # ? * - / ,; found ${shown}`);
  }

  if (expression.startsWith('rate(')) {
    const parsed = parseRate(expression);
    const out = { ...none, schedule: parsed.ok ? [] : parsed.errors };
    // Even a refused rate shows its window problem, e.g. rate(3 hours) with 4h. For a rate in
    // hours we apply the user guide's rule for schedules in hours (window <= hours between
    // rotations) only: no page says where rate(N hours) windows fall when N doesn't divide 24,
    // so "not into the next UTC day" can't be checked against them. A rate in days opens at
    // midnight, so any Duration up to 24h fits.
    const rate = parsed.ok ? parsed.rate : readRate(expression);
    if (rate?.unit === 'hours' && durationHours !== null && durationHours > rate.value) {
      out.window.push(longerThanGap(durationHours, rate.value));
    }
    return out;
  }
  if (expression.startsWith('cron(')) return cronErrors(expression, durationHours);

  const kind = /^\s*(rate|cron)\s*\(/i.exec(expression)?.[1];
  if (kind) return only(`Write ${kind.toLowerCase()}( in lower case, with no space before the (, ${EXAMPLES}`);
  return only(`A schedule expression is rate(...) or cron(...), ${EXAMPLES}; found ${expression}`);
};

const longerThanGap = (durationHours: number, gapHours: number) => `The ${durationHours}h window is longer than the ${num(gapHours)} hours between rotations`;

const cronErrors = (expression: string, durationHours: number | null): { schedule: string[]; window: string[] } => {
  const split = splitCron(expression);
  if (!split.ok) return { schedule: [split.error], window: [] };
  const { fields } = split;

  const refused = secretsManagerFieldErrors(fields);
  const parsed = parseCronFields(fields.map((f, i) => (refused.has(i) ? (NEUTRAL_FIELDS[i] ?? f) : f)));
  const schedule = [...[...refused.entries()].sort(([a], [b]) => a - b).map(([, m]) => m), ...(parsed.ok ? [] : parsed.errors)];
  if (schedule.length || !parsed.ok) return { schedule, window: [] };

  const analysis = analyzeCron(parsed.spec, fields.join(' '));
  if (analysis.count === 0) return { schedule: [`${expression} never matches a date, so Secrets Manager would never rotate the secret`], window: [] };

  const { minGap, maxGap } = analysis;
  if (minGap && minGap.ms < MIN_HOURS_BETWEEN_ROTATIONS * HOUR_MS) {
    schedule.push(`${expression} rotates more often than every four hours, which Secrets Manager refuses: ${pair(minGap)}`);
  }
  if (!maxGap || maxGap.ms > 366 * DAY_MS) {
    schedule.push(
      `${expression} leaves more than a year between rotations${maxGap ? ` (${ymd(maxGap.from)} to ${ymd(maxGap.to)})` : ''}, which Secrets Manager doesn't support`,
    );
  }
  return { schedule, window: durationHours === null ? [] : cronWindowErrors(parsed.spec, analysis, durationHours) };
};

const pair = (gap: NonNullable<CronAnalysis['minGap']>) => {
  const hours = num(gap.ms / HOUR_MS);
  const sameDay = utcMidnight(gap.from) === utcMidnight(gap.to);
  return `${hhmm(gap.to)} UTC comes ${hours} hours after ${hhmm(gap.from)}${sameDay ? '' : ' the day before'}`;
};

const cronWindowErrors = (spec: CronSpec, analysis: CronAnalysis, durationHours: number): string[] => {
  const errors: string[] = [];
  const { minGap } = analysis;
  if (minGap && durationHours * HOUR_MS > minGap.ms) errors.push(longerThanGap(durationHours, minGap.ms / HOUR_MS));

  const lastHour = spec.hours[spec.hours.length - 1] ?? 0;
  const lastMinute = spec.minutes[spec.minutes.length - 1] ?? 0;
  if (lastHour * 60 + lastMinute + durationHours * 60 > 24 * 60) {
    const opening = `${String(lastHour).padStart(2, '0')}:${String(lastMinute).padStart(2, '0')}`;
    errors.push(
      `The ${durationHours}h window opening at ${opening} UTC runs into the next UTC day; the start hour plus the window must be 24 hours or less${
        isHourly(spec) ? '' : `, so at most ${24 - lastHour}h here`
      }`,
    );
  }
  return errors;
};
