const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/**
 * How long ago `iso` was, in words: "just now", "2 minutes ago", "3 hours ago", "5 days ago".
 * A time slightly in the future (clock skew between the API and the browser) reads "just now".
 */
export const timeAgo = (iso: string, now: number): string | null => {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const elapsed = now - at;
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${plural(Math.floor(elapsed / MINUTE), 'minute')} ago`;
  if (elapsed < DAY) return `${plural(Math.floor(elapsed / HOUR), 'hour')} ago`;
  return `${plural(Math.floor(elapsed / DAY), 'day')} ago`;
};
