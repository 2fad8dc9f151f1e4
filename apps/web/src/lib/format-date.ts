import { EMPTY_VALUE, formatDay, formatTime } from '@rotation-console/contracts/format-date';

// One date format for every page, shared with the API's sentences (packages/contracts/format-date.ts).
export { EMPTY_VALUE, formatDateTime, formatDay } from '@rotation-console/contracts/format-date';

const DAY_MS = 24 * 3600_000;

interface Window {
  start: string;
  end: string;
}

const validWindow = ({ start, end }: Window) => {
  const from = new Date(start);
  const to = new Date(end);
  return Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) ? null : { from, to };
};

/**
 * A rotation window's hours, the one wording of the calendar and the wizard: "04:00 to 07:00 (UTC)";
 * "22:00 to 01:00 the next day (UTC)"; a window that is a whole day of the zone (an interval in days
 * without a window duration) is "any time of the day (UTC)".
 */
export const formatWindowHours = (window: Window, timeZone = 'UTC'): string => {
  const valid = validWindow(window);
  if (!valid) return EMPTY_VALUE;
  const { from, to } = valid;
  const startsTheDay = formatTime(from, timeZone) === '00:00';
  if (startsTheDay && to.getTime() - from.getTime() === DAY_MS) return `any time of the day (${timeZone})`;
  const nextDay = formatDay(to, timeZone) !== formatDay(from, timeZone) ? ' the next day' : '';
  return `${formatTime(from, timeZone)} to ${formatTime(to, timeZone)}${nextDay} (${timeZone})`;
};

/** A rotation window with its day: "December 1, 2026, 04:00 to 07:00 (UTC)", "December 28, 2026, any time of the day (UTC)". */
export const formatWindow = (window: Window, timeZone = 'UTC'): string => {
  const valid = validWindow(window);
  return valid ? `${formatDay(valid.from, timeZone)}, ${formatWindowHours(window, timeZone)}` : EMPTY_VALUE;
};
