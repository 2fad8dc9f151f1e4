import { analyzeCron, fireTimes, isHourly } from './cron.ts';
import { parseDuration } from './duration.ts';
import { modelOf } from './model.ts';
import { DAY_MS, HOUR_MS, utcMidnight } from './time.ts';
import type { ScheduleRules, ScheduleWindow } from './types.ts';

/** How far ahead nextWindows looks for cron fire times (a valid schedule fires at least yearly). */
const CRON_HORIZON_MS = 30 * 366 * DAY_MS;

/**
 * The next `count` rotation windows after `from` (the last rotation, or now), in UTC.
 * A window counts when it starts after `from`. Empty when the rules can't be read.
 *
 * How each schedule is laid out, and where that comes from:
 * - AutomaticallyAfterDays and rate(N days): the seed page ("Enabling rotation for an
 *   Amazon RDS database secret"): "Secrets Manager schedules the date by adding the rotation
 *   interval (number of days) to the actual date of the last rotation. The service chooses the
 *   hour within that 24-hour date window randomly." The user guide: for a rate() in days "the
 *   rotation window starts at midnight" and by default "closes ... at the end of the day".
 *   So: the UTC day of `from` plus N days, 00:00 to 24:00, or 00:00 plus Duration.
 *   (No page says where a Duration starts for AutomaticallyAfterDays; we use midnight, as
 *   for rate(N days).)
 * - rate(N hours): the user guide: "For a rate in hours, the default rotation window starts at
 *   midnight and closes after one hour." No page says whether the hours restart each day (the
 *   guide says so only of cron increments), so we read it as a true interval: every N hours
 *   counted from 00:00 UTC of `from`'s day, windows of one hour or Duration.
 * - cron(): real fire times in UTC (hours reset each day); the window is Duration long, or by
 *   default one hour for a schedule in hours (more than one fire time a day) and the rest of
 *   the UTC day for a schedule in days.
 */
export const nextWindows = (rules: ScheduleRules, from: Date, count = 5): ScheduleWindow[] => {
  const model = modelOf(rules);
  const fromMs = from.getTime();
  if (!model || !Number.isFinite(fromMs) || count < 1) return [];
  const duration = rules.Duration ? parseDuration(rules.Duration) : null;
  const durationMs = duration?.ok ? duration.hours * HOUR_MS : null;
  const out: { start: number; end: number }[] = [];

  switch (model.kind) {
    case 'days': {
      const step = model.days * DAY_MS;
      for (let start = utcMidnight(fromMs) + step; out.length < count; start += step) {
        out.push({ start, end: start + (durationMs ?? DAY_MS) });
      }
      break;
    }
    case 'hours': {
      const step = model.hours * HOUR_MS;
      const anchor = utcMidnight(fromMs);
      for (let start = anchor + (Math.floor((fromMs - anchor) / step) + 1) * step; out.length < count; start += step) {
        out.push({ start, end: start + (durationMs ?? HOUR_MS) });
      }
      break;
    }
    case 'cron': {
      const hourly = isHourly(model.spec);
      for (const start of fireTimes(model.spec, fromMs, fromMs + CRON_HORIZON_MS)) {
        const end = durationMs !== null ? start + durationMs : hourly ? start + HOUR_MS : utcMidnight(start) + DAY_MS;
        out.push({ start, end });
        if (out.length >= count) break;
      }
      break;
    }
  }
  return out.map(({ start, end }) => ({ start: new Date(start), end: new Date(end) }));
};

/**
 * The interval between rotations in days, for the status rules: exact for
 * AutomaticallyAfterDays and rate(); for cron(), the longest gap between two consecutive
 * rotations over a whole calendar cycle (so a check built on it never calls a secret
 * overdue early), e.g. 31 for cron(0 8 L * ? *), 3 for cron(0 8 ? * MON-FRI *).
 * Fractions for schedules in hours (rate(6 hours) is 0.25). null when the rules can't be read.
 */
export const intervalDays = (rules: ScheduleRules): number | null => {
  const model = modelOf(rules);
  if (!model) return null;
  switch (model.kind) {
    case 'days':
      return model.days;
    case 'hours':
      return model.hours / 24;
    case 'cron': {
      const gap = analyzeCron(model.spec, model.key).maxGap;
      return gap ? gap.ms / DAY_MS : null;
    }
  }
};
