import type { FreezeWhen } from '@rotation-console/contracts';
import { NewFreezeWindow } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import { freezeIntersections, freezeRefusalText, freezeWarningText, isInside, nextOccurrence, occurrences, openOccurrence, openWindows } from '../src/index.ts';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const span = (s: { start: Date; end: Date } | null) => (s ? [iso(s.start), iso(s.end)] : null);

const releaseFreeze: FreezeWhen = { kind: 'once', start: '2026-12-18T18:00:00+01:00', end: '2027-01-04T08:00:00Z' };
/** Weekends: Friday 18:00 to Monday 06:00, written as three day-rules. */
const nightly: FreezeWhen = { kind: 'weekly', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '22:00', to: '06:00' };
const monthEnd: FreezeWhen = { kind: 'monthly', lastDays: 3, firstDays: 2 };

describe('freeze windows: a one-off window', () => {
  it('When the start carries a +01:00 zone, then the window opens at that instant in UTC and closes at its end (end excluded)', () => {
    expect(isInside(releaseFreeze, at('2026-12-18T16:59:59Z'))).toBe(false);
    expect(isInside(releaseFreeze, at('2026-12-18T17:00:00Z'))).toBe(true);
    expect(isInside(releaseFreeze, at('2027-01-04T07:59:59Z'))).toBe(true);
    expect(isInside(releaseFreeze, at('2027-01-04T08:00:00Z'))).toBe(false);
  });

  it('When it has passed, then it has no next occurrence', () => {
    expect(nextOccurrence(releaseFreeze, at('2027-02-01T00:00:00Z'))).toBeNull();
    expect(span(nextOccurrence(releaseFreeze, at('2026-12-01T00:00:00Z')))).toEqual(['2026-12-18T17:00:00Z', '2027-01-04T08:00:00Z']);
  });
});

describe('freeze windows: weekly, in UTC', () => {
  it('When the window runs 22:00 to 06:00 on weekdays, then Monday night is inside and so is Tuesday 05:59, but not Tuesday 06:00', () => {
    expect(isInside(nightly, at('2026-12-07T21:59:00Z'))).toBe(false); // Monday
    expect(isInside(nightly, at('2026-12-07T22:00:00Z'))).toBe(true);
    expect(isInside(nightly, at('2026-12-08T05:59:00Z'))).toBe(true);
    expect(isInside(nightly, at('2026-12-08T06:00:00Z'))).toBe(false);
  });

  it('When Friday night runs into Saturday, then Saturday 05:00 is inside and Saturday night is not (Saturday is not listed)', () => {
    expect(isInside(nightly, at('2026-12-12T05:00:00Z'))).toBe(true);
    expect(isInside(nightly, at('2026-12-12T23:00:00Z'))).toBe(false);
  });

  it('When whole days follow each other, then the open window ends where the last day ends', () => {
    const weekend: FreezeWhen = { kind: 'weekly', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' };
    expect(span(openOccurrence(weekend, at('2026-12-12T10:00:00Z')))).toEqual(['2026-12-12T00:00:00Z', '2026-12-14T00:00:00Z']);
  });

  it('When it is read across the March daylight-saving change in Europe, then it stays at 22:00 UTC', () => {
    // 2027-03-28 is the Sunday clocks move in the EU; the window does not.
    const daily: FreezeWhen = { kind: 'weekly', days: ['SUN', 'MON'], from: '22:00', to: '23:00' };
    expect(occurrences(daily, at('2027-03-28T00:00:00Z'), at('2027-03-30T00:00:00Z')).map(span)).toEqual([
      ['2027-03-28T22:00:00Z', '2027-03-28T23:00:00Z'],
      ['2027-03-29T22:00:00Z', '2027-03-29T23:00:00Z'],
    ]);
  });

  it('When asked for the next occurrence on a Wednesday afternoon, then it is Wednesday 22:00', () => {
    expect(span(nextOccurrence(nightly, at('2026-12-09T15:00:00Z')))).toEqual(['2026-12-09T22:00:00Z', '2026-12-10T06:00:00Z']);
  });
});

describe('freeze windows: monthly (month-end close)', () => {
  it('When the last 3 days and first 2 days are closed, then December 29 00:00 to January 3 00:00 is one window', () => {
    expect(span(openOccurrence(monthEnd, at('2026-12-31T12:00:00Z')))).toEqual(['2026-12-29T00:00:00Z', '2027-01-03T00:00:00Z']);
    expect(isInside(monthEnd, at('2026-12-28T23:59:59Z'))).toBe(false);
    expect(isInside(monthEnd, at('2027-01-02T23:59:59Z'))).toBe(true);
    expect(isInside(monthEnd, at('2027-01-03T00:00:00Z'))).toBe(false);
  });

  it('When February has 28 days, then its last 3 days are the 26th to the 28th', () => {
    expect(span(nextOccurrence(monthEnd, at('2027-02-10T00:00:00Z')))).toEqual(['2027-02-26T00:00:00Z', '2027-03-03T00:00:00Z']);
  });

  it('When February has 29 days (a leap year), then its last 3 days are the 27th to the 29th', () => {
    expect(span(nextOccurrence(monthEnd, at('2028-02-10T00:00:00Z')))).toEqual(['2028-02-27T00:00:00Z', '2028-03-03T00:00:00Z']);
  });

  it('When a 30-day month ends, then its last 3 days are the 28th to the 30th', () => {
    expect(span(nextOccurrence(monthEnd, at('2027-04-01T12:00:00Z')))).toEqual(['2027-04-28T00:00:00Z', '2027-05-03T00:00:00Z']);
  });

  it('When only the first days are closed, then the window starts at midnight of the 1st', () => {
    const opening: FreezeWhen = { kind: 'monthly', lastDays: 0, firstDays: 1 };
    expect(span(openOccurrence(opening, at('2027-01-01T00:00:00Z')))).toEqual(['2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z']);
    expect(isInside(opening, at('2026-12-31T23:59:59Z'))).toBe(false);
  });

  it('When 15 + 15 days overlap across a 28-day February, then the open window runs on until the first gap (March 16)', () => {
    const long: FreezeWhen = { kind: 'monthly', lastDays: 15, firstDays: 15 };
    expect(span(openOccurrence(long, at('2027-01-20T00:00:00Z')))).toEqual(['2027-01-17T00:00:00Z', '2027-03-16T00:00:00Z']);
  });

  it('When every day is closed all day, then the open window is followed a year at most', () => {
    const always: FreezeWhen = { kind: 'weekly', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], from: '00:00', to: '24:00' };
    const open = openOccurrence(always, at('2027-01-20T00:00:00Z'));
    expect(open && open.end.getTime() - Date.parse('2027-01-20T00:00:00Z')).toBe(366 * 86_400_000);
  });
});

describe('freeze windows: checks over several windows', () => {
  const windows = [
    { name: 'Release freeze', when: releaseFreeze },
    { name: 'Month-end close', when: monthEnd },
  ];

  it('When two windows are open, then the one that ends last comes first, and the refusal names it, its end and the override', () => {
    const open = openWindows(windows, at('2026-12-30T00:00:00Z'));
    expect(open.map((o) => o.window.name)).toEqual(['Release freeze', 'Month-end close']);
    const text = freezeRefusalText(open, 'payments');
    expect(text).toContain("Team payments's freeze window Release freeze is open until 2027-01-04 08:00 UTC (also open: Month-end close)");
    expect(text).toContain('An admin may override it with a reason');
    expect(text).toContain('Turning rotation off, clearing a stuck rotation');
  });

  it('When a rotation window overlaps a freeze only by its last hour, then it intersects; when it ends at the freeze start, it does not', () => {
    const meets = freezeIntersections(windows, { start: at('2027-01-28T20:00:00Z'), end: at('2027-01-29T01:00:00Z') });
    expect(meets.map((m) => [m.window.name, ...span(m.span)!])).toEqual([['Month-end close', '2027-01-29T00:00:00Z', '2027-02-03T00:00:00Z']]);
    expect(freezeIntersections(windows, { start: at('2027-01-28T20:00:00Z'), end: at('2027-01-29T00:00:00Z') })).toEqual([]);
  });

  it('When the warning is written, then it names the window with its start and end in UTC', () => {
    expect(freezeWarningText('Month-end close', { start: at('2026-12-29T00:00:00Z'), end: at('2027-01-03T00:00:00Z') })).toBe(
      'Next rotation falls in the freeze window Month-end close (2026-12-29 00:00 UTC – 2027-01-03 00:00 UTC).',
    );
  });
});

describe('freeze windows: the form', () => {
  it('When the end is before the start, then the form says so on the end field', () => {
    const result = NewFreezeWindow.safeParse({ name: 'x', when: { kind: 'once', start: '2027-01-02T00:00:00Z', end: '2027-01-01T00:00:00Z' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['when.end', 'End must be after the start.']]);
  });

  it('When a one-off time has no zone, then it is refused with an example', () => {
    const result = NewFreezeWindow.safeParse({ name: 'x', when: { kind: 'once', start: '2027-01-01T00:00:00', end: '2027-01-02T00:00:00Z' } });
    expect(result.error?.issues[0]?.message).toContain('with its zone');
  });

  it('When a weekly window has the same From and To, or a monthly one closes no day, then each is refused', () => {
    expect(NewFreezeWindow.safeParse({ name: 'x', when: { kind: 'weekly', days: ['MON'], from: '10:00', to: '10:00' } }).success).toBe(false);
    expect(NewFreezeWindow.safeParse({ name: 'x', when: { kind: 'monthly', lastDays: 0, firstDays: 0 } }).success).toBe(false);
    expect(NewFreezeWindow.safeParse({ name: 'x', when: { kind: 'weekly', days: ['MON'], from: '24:00', to: '10:00' } }).success).toBe(false);
  });
});
