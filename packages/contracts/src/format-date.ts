// The one way the console writes a date for people, as the AWS console does: "November 28, 2026,
// 17:07 (UTC)". Zod-free, so the web app's landing page and packages/rotation's sentences (a
// secret's status reasons) use it without loading the schemas: a date reads the same in a table
// and in a sentence from the API.

const partsFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const UTC_PARTS = partsFormat('UTC');

/** Shown where a date is missing, as the AWS console does. */
export const EMPTY_VALUE = '-';

const toDate = (value: Date | string | null | undefined): Date | null => {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** A date's parts in a time zone; assembled by hand so the output does not depend on the ICU version's connector words. */
const partsOf = (date: Date, timeZone: string) => {
  const parts = (timeZone === 'UTC' ? UTC_PARTS : partsFormat(timeZone)).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${part('month')} ${part('day')}, ${part('year')}`, time: `${part('hour')}:${part('minute')}` };
};

/** "November 28, 2026": the day alone (in UTC unless told), for values AWS keeps to the day. */
export const formatDay = (value: Date | string | null | undefined, timeZone = 'UTC'): string => {
  const date = toDate(value);
  return date ? partsOf(date, timeZone).day : EMPTY_VALUE;
};

/** "17:07": the time of day alone, 24-hour (in UTC unless told). */
export const formatTime = (value: Date | string | null | undefined, timeZone = 'UTC'): string => {
  const date = toDate(value);
  return date ? partsOf(date, timeZone).time : EMPTY_VALUE;
};

/** "November 28, 2026, 17:07 (UTC)"; a dash when the date is missing or not a date. */
export const formatDateTime = (value: Date | string | null | undefined, timeZone = 'UTC'): string => {
  const date = toDate(value);
  if (!date) return EMPTY_VALUE;
  const { day, time } = partsOf(date, timeZone);
  return `${day}, ${time} (${timeZone})`;
};
