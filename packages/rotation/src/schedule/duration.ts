/**
 * The rotation window's length, RotationRules.Duration.
 *
 * Sources:
 * - RotateSecret / RotationRulesType API reference: "The length of the rotation window in
 *   hours, for example 3h for a three hour window"; the service model's DurationType is a
 *   string of 2 to 3 characters matching [0-9h]+.
 * - Secrets Manager user guide, "Rotation schedules": "You can set the rotation window as
 *   small as one hour"; a day's window must end by midnight UTC, so 24h is the most.
 *
 * Strict where the documentation is silent: the pattern would let "01h" or "h1" through,
 * but the docs only ever show a plain number of hours followed by h, so we accept exactly
 * 1h..24h written without a leading zero.
 */

export type ParsedDuration = { ok: true; hours: number } | { ok: false; error: string };

const BASE = 'Duration must be 1h to 24h, like 3h';

export const parseDuration = (duration: string): ParsedDuration => {
  const plain = /^([1-9]\d?)h$/.exec(duration);
  if (plain?.[1]) {
    const hours = Number(plain[1]);
    if (hours <= 24) return { ok: true, hours };
    return { ok: false, error: `${BASE}; ${duration} is longer than a day` };
  }
  return { ok: false, error: `${BASE}; ${whyNot(duration)}` };
};

const whyNot = (duration: string): string => {
  if (/^0+h$/.test(duration)) return `${duration} is no window at all`;
  if (/^0\d+h$/.test(duration)) return `write ${Number(duration.slice(0, -1))}h, not ${duration}`;
  if (/^\d+h$/.test(duration)) return `${duration} is longer than a day`;
  if (/^\d+\s+h$/i.test(duration.trim())) return `write it without a space, like ${duration.replace(/\s+/g, '').toLowerCase()}`;
  if (/^\d+\s*(m|min|mins|minutes?)$/i.test(duration)) return `it counts whole hours, so "${duration}" can't be used`;
  if (/^\d+\s*(d|days?)$/i.test(duration)) return `a window can't be longer than a day, so "${duration}" can't be used`;
  if (/^\d+H$/.test(duration)) return `write a lower-case h, like ${duration.toLowerCase()}`;
  if (/^\d+$/.test(duration)) return `add the unit, like ${duration}h`;
  return `found "${duration}"`;
};
