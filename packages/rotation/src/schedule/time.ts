/** UTC calendar arithmetic. Every date here is UTC: Secrets Manager rotation schedules use UTC. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** 00:00 UTC of the day that holds `ms`. */
export const utcMidnight = (ms: number): number => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);

/** Number of days in a month (1-12) of a year. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Day of the week as cron counts it: 1 = Sunday ... 7 = Saturday. */
export const cronWeekday = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

const pad = (n: number) => String(n).padStart(2, '0');

/** "04:00" */
export const hhmm = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** "2026-12-06" */
export const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** "3", or "2.5" for a fraction, for hours and days in messages. */
export const num = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100));
