const utcFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Shown where a date is missing, as the AWS console does. */
export const EMPTY_VALUE = '-';

/**
 * An ISO date as the AWS console shows it, in UTC: "November 28, 2026, 17:07 (UTC)".
 * Assembled from parts so the output does not depend on the ICU version's connector words.
 */
export const formatDateTime = (iso: string | null | undefined): string => {
  if (!iso) return EMPTY_VALUE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return EMPTY_VALUE;
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    utcFormat.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('month')} ${part('day')}, ${part('year')}, ${part('hour')}:${part('minute')} (UTC)`;
};
