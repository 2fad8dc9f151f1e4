import { WEEKDAYS, type FreezeWarning, type FreezeWhen } from '@rotation-console/contracts';
import { parseDuration } from './schedule/duration.ts';
import type { ScheduleRules } from './schedule/types.ts';
import { intervalDays } from './schedule/windows.ts';

/**
 * Freeze windows as pure time arithmetic, no I/O. Everything is UTC: a window written as
 * 18:00 is 18:00 UTC all year, so daylight saving time never moves, splits or doubles one.
 * A one-off window's start and end carry their own zone (ISO 8601) and are instants.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A recurring window that never closes (every day, all day) is followed this far at most. */
const MAX_MERGE_MS = 366 * DAY_MS;

export interface Span {
  start: Date;
  end: Date;
}

/** A named window, as the checks need it. */
export interface NamedFreeze {
  name: string;
  when: FreezeWhen;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const utcMidnight = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
/** 0 = MON ... 6 = SUN (getUTCDay counts from Sunday). */
const weekdayIndex = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 1) - DAY_MS).getUTCDate();

/** The occurrences of `when` that meet [from, to), in start order; each [start, end). */
export const occurrences = (when: FreezeWhen, from: Date, to: Date): Span[] => {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) return [];
  const raw: [number, number][] = [];
  switch (when.kind) {
    case 'once':
      raw.push([Date.parse(when.start), Date.parse(when.end)]);
      break;
    case 'weekly': {
      const startMin = minutes(when.from);
      const endMin = minutes(when.to);
      // At or before the start: the occurrence ends on the next day (22:00 to 06:00).
      const lengthMs = (endMin > startMin ? endMin - startMin : endMin + 1440 - startMin) * MINUTE_MS;
      const days = new Set(when.days.map((d) => WEEKDAYS.indexOf(d)));
      // From the day before `from` (an occurrence that started yesterday may still be open).
      for (let day = utcMidnight(fromMs) - DAY_MS; day < toMs; day += DAY_MS) {
        if (!days.has(weekdayIndex(day))) continue;
        const start = day + startMin * MINUTE_MS;
        raw.push([start, start + lengthMs]);
      }
      break;
    }
    case 'monthly': {
      // The occurrence of month X starts on its last N days and runs into the first M days of X + 1;
      // from the month before `from`'s (its occurrence may still be open).
      const first = new Date(fromMs);
      for (let i = -1; Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1) < toMs; i += 1) {
        const monthStart = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1));
        const year = monthStart.getUTCFullYear();
        const month = monthStart.getUTCMonth();
        const nextMonth = Date.UTC(year, month + 1, 1);
        // A month shorter than N days: the whole month.
        const start = when.lastDays > 0 ? Date.UTC(year, month, Math.max(1, daysInMonth(year, month) - when.lastDays + 1)) : nextMonth;
        raw.push([start, nextMonth + when.firstDays * DAY_MS]);
      }
      break;
    }
  }
  return raw
    .filter(([start, end]) => end > fromMs && start < toMs)
    .sort((a, b) => a[0] - b[0])
    .map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
};

/** Occurrences that touch or overlap joined into one span (Friday 00:00–24:00 and Saturday's make one weekend). */
const merged = (spans: Span[]): Span[] => {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && span.start.getTime() <= last.end.getTime()) {
      if (span.end > last.end) last.end = span.end;
    } else out.push({ start: span.start, end: span.end });
  }
  return out;
};

/** The occurrence of `when` open at `at` (start <= at < end), joined with those that follow without a gap; null when closed. */
export const openOccurrence = (when: FreezeWhen, at: Date): Span | null => {
  const atMs = at.getTime();
  const spans = merged(occurrences(when, new Date(atMs - 32 * DAY_MS), new Date(atMs + 1)));
  const open = spans.find((s) => s.start.getTime() <= atMs && atMs < s.end.getTime());
  if (!open) return null;
  // Follow it forward while the next occurrence starts where this one ends.
  let end = open.end.getTime();
  while (end - atMs < MAX_MERGE_MS) {
    const joined = merged(occurrences(when, new Date(end - 1), new Date(end + 32 * DAY_MS))).find((s) => s.start.getTime() <= end && s.end.getTime() > end);
    if (!joined) break;
    end = joined.end.getTime();
  }
  return { start: open.start, end: new Date(Math.min(end, atMs + MAX_MERGE_MS)) };
};

/** Whether `at` is inside the window. */
export const isInside = (when: FreezeWhen, at: Date): boolean => openOccurrence(when, at) !== null;

/** The next occurrence that starts after `at` (within a year); null for none (a one-off that has passed). */
export const nextOccurrence = (when: FreezeWhen, at: Date): Span | null => {
  const atMs = at.getTime();
  const span = merged(occurrences(when, at, new Date(atMs + MAX_MERGE_MS))).find((s) => s.start.getTime() > atMs);
  return span ?? null;
};

/** The windows open at `at`, each with its open span, latest end first (the one a rotation waits longest for). */
export const openWindows = <W extends NamedFreeze>(windows: readonly W[], at: Date): { window: W; span: Span }[] =>
  windows
    .flatMap((window) => {
      const span = openOccurrence(window.when, at);
      return span ? [{ window, span }] : [];
    })
    .sort((a, b) => b.span.end.getTime() - a.span.end.getTime() || a.window.name.localeCompare(b.window.name));

/** The first occurrence of each window that meets [interval.start, interval.end), earliest first. */
export const freezeIntersections = <W extends NamedFreeze>(windows: readonly W[], interval: Span): { window: W; span: Span }[] =>
  windows
    .flatMap((window) => {
      const span = merged(occurrences(window.when, interval.start, interval.end))[0];
      return span ? [{ window, span }] : [];
    })
    .sort((a, b) => a.span.start.getTime() - b.span.start.getTime() || a.window.name.localeCompare(b.window.name));

/** "2026-12-18 17:00 UTC": minutes, in UTC, as the warnings and errors write a time. */
export const freezeTime = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The warning's words: "Next rotation falls in the freeze window <name> (<start> – <end>)." */
export const freezeWarningText = (name: string, span: Span, which = 'Next rotation'): string =>
  `${which} falls in the freeze window ${name} (${freezeTime(span.start)} – ${freezeTime(span.end)}).`;

/** The refusal's words: the window, when it ends, what an admin may do and what stays allowed. */
export const freezeRefusalText = (open: { window: { name: string }; span: Span }[], team: string): string => {
  const first = open[0]!;
  const others =
    open.length > 1
      ? ` (also open: ${open
          .slice(1)
          .map((o) => o.window.name)
          .join(', ')})`
      : '';
  return (
    `Team ${team}'s freeze window ${first.window.name} is open until ${freezeTime(first.span.end)}${others}: the console starts no rotation inside it. ` +
    'An admin may override it with a reason (overrideFreeze). Turning rotation off, clearing a stuck rotation, rolling back and enabling rotation without rotating immediately stay allowed.'
  );
};

/**
 * A secret's next rotation window from Secrets Manager's NextRotationDate (or the index's due date):
 * Duration long where the rules set one; else one hour for a schedule in hours, and the rest of
 * the UTC day for one in days (as nextWindows lays windows out).
 */
export const rotationSpanFrom = (start: Date, rules: ScheduleRules): Span => {
  const duration = rules.Duration ? parseDuration(rules.Duration) : null;
  if (duration?.ok) return { start, end: new Date(start.getTime() + duration.hours * 3_600_000) };
  const days = intervalDays(rules);
  if (days !== null && days < 1) return { start, end: new Date(start.getTime() + 3_600_000) };
  return { start, end: new Date(utcMidnight(start.getTime()) + DAY_MS) };
};

/** The warning for a rotation window that meets one of the windows (the earliest it meets), or null; none for a window already past. */
export const rotationFreezeWarning = (windows: readonly NamedFreeze[], rotation: Span, at: Date, which = 'Next rotation'): FreezeWarning | null => {
  if (rotation.end.getTime() <= at.getTime()) return null;
  const hit = freezeIntersections(windows, rotation)[0];
  if (!hit) return null;
  return {
    windowName: hit.window.name,
    start: hit.span.start.toISOString(),
    end: hit.span.end.toISOString(),
    rotationStart: rotation.start.toISOString(),
    rotationEnd: rotation.end.toISOString(),
    message: freezeWarningText(hit.window.name, hit.span, which),
  };
};
