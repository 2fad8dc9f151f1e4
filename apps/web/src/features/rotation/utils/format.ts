import type { RotationWindow } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';

const utcTime = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const sameUtcDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

const DAY_MS = 24 * 3600_000;

/**
 * A window in UTC as the console shows dates: "November 28, 2026, 17:07 (UTC) to 20:07 (UTC)"; a
 * window that is a whole UTC day (an interval in days, no window duration) is "November 28, 2026, any time (UTC day)".
 */
export const formatWindowUtc = ({ start, end }: RotationWindow): string => {
  const from = new Date(start);
  const to = new Date(end);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return EMPTY_VALUE;
  if (from.getTime() % DAY_MS === 0 && to.getTime() - from.getTime() === DAY_MS) {
    return `${formatDateTime(start).replace(/, \d\d:\d\d \(UTC\)$/, '')}, any time (UTC day)`;
  }
  const until = sameUtcDay(from, to) ? `${utcTime.format(to)} (UTC)` : formatDateTime(end);
  return `${formatDateTime(start)} to ${until}`;
};

/** The same window in the browser's time zone, e.g. "Your time: Nov 28, 2026, 6:07 – 9:07 PM (Europe/Berlin)". */
export const formatWindowLocal = ({ start, end }: RotationWindow, timeZone?: string): string => {
  const from = new Date(start);
  const to = new Date(end);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return EMPTY_VALUE;
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const zone = format.resolvedOptions().timeZone;
  return `Your time: ${format.formatRange(from, to)} (${zone})`;
};

/** How long a step took: "850 ms", "12 s", "3 min 5 s". */
export const formatElapsed = (startedAt: string | null, finishedAt: string | null): string => {
  if (!startedAt || !finishedAt) return EMPTY_VALUE;
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return EMPTY_VALUE;
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
};

/** `arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres` → "rotate-postgres". */
export const functionNameFromArn = (arn: string): string => {
  const segments = arn.split(':');
  const index = segments.indexOf('function');
  return (index >= 0 ? segments[index + 1] : segments.at(-1)) || arn;
};
