import { describe, expect, it } from 'vitest';
import { intervalDays, nextWindows, type ScheduleRules } from '../src/index.ts';

/** A Wednesday. */
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const windows = (rules: ScheduleRules, from: Date, count?: number) => nextWindows(rules, from, count).map((w) => [iso(w.start), iso(w.end)]);
const starts = (rules: ScheduleRules, from: Date, count?: number) => nextWindows(rules, from, count).map((w) => iso(w.start));

describe('nextWindows: cron()', () => {
  it('When cron(0 4 ? * SUN *) is read on a Wednesday, then the next five Sundays at 04:00Z open windows to the end of the day', () => {
    // Arrange
    const rules = { ScheduleExpression: 'cron(0 4 ? * SUN *)' };

    // Act
    const result = windows(rules, WEDNESDAY);

    // Assert
    expect(result).toEqual([
      ['2026-12-06T04:00:00Z', '2026-12-07T00:00:00Z'],
      ['2026-12-13T04:00:00Z', '2026-12-14T00:00:00Z'],
      ['2026-12-20T04:00:00Z', '2026-12-21T00:00:00Z'],
      ['2026-12-27T04:00:00Z', '2026-12-28T00:00:00Z'],
      ['2027-01-03T04:00:00Z', '2027-01-04T00:00:00Z'],
    ]);
  });

  it('When the same cron has a 3h Duration, then each window closes three hours after it opens', () => {
    // Act
    const result = windows({ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' }, WEDNESDAY, 2);

    // Assert
    expect(result).toEqual([
      ['2026-12-06T04:00:00Z', '2026-12-06T07:00:00Z'],
      ['2026-12-13T04:00:00Z', '2026-12-13T07:00:00Z'],
    ]);
  });

  it('When cron(0 8 L * ? *) is read, then windows open on the last day of each month, 29 February in a leap year', () => {
    // Act
    const result = starts({ ScheduleExpression: 'cron(0 8 L * ? *)' }, new Date('2027-12-15T00:00:00Z'));

    // Assert
    expect(result).toEqual(['2027-12-31T08:00:00Z', '2028-01-31T08:00:00Z', '2028-02-29T08:00:00Z', '2028-03-31T08:00:00Z', '2028-04-30T08:00:00Z']);
  });

  it('When cron(0 0 ? * 6#3 *) is read, then windows open on the third Friday of each month', () => {
    expect(starts({ ScheduleExpression: 'cron(0 0 ? * 6#3 *)' }, WEDNESDAY)).toEqual([
      '2026-12-18T00:00:00Z',
      '2027-01-15T00:00:00Z',
      '2027-02-19T00:00:00Z',
      '2027-03-19T00:00:00Z',
      '2027-04-16T00:00:00Z',
    ]);
  });

  it('When cron(0 1 ? 1/3 SUN#1 *) is read, then windows open on the first Sunday of every third month', () => {
    expect(starts({ ScheduleExpression: 'cron(0 1 ? 1/3 SUN#1 *)' }, WEDNESDAY)).toEqual([
      '2027-01-03T01:00:00Z',
      '2027-04-04T01:00:00Z',
      '2027-07-04T01:00:00Z',
      '2027-10-03T01:00:00Z',
      '2028-01-02T01:00:00Z',
    ]);
  });

  it('When day-of-week is SUNL, then windows open on the last Sunday of the month', () => {
    expect(starts({ ScheduleExpression: 'cron(0 0 ? * SUNL *)' }, new Date('2027-01-01T00:00:00Z'), 2)).toEqual([
      '2027-01-31T00:00:00Z',
      '2027-02-28T00:00:00Z',
    ]);
  });

  it('When day-of-week is L, then windows open on Saturdays (the last day of the week)', () => {
    expect(starts({ ScheduleExpression: 'cron(0 0 ? * L *)' }, WEDNESDAY, 2)).toEqual(['2026-12-05T00:00:00Z', '2026-12-12T00:00:00Z']);
  });

  it('When day-of-month is 15W, then the window moves to the nearest weekday in the month', () => {
    // Arrange: 15 May 2027 is a Saturday, 15 August 2027 a Sunday.
    const rules = { ScheduleExpression: 'cron(0 8 15W * ? *)' };

    // Act
    const result = starts(rules, new Date('2027-04-20T00:00:00Z'));

    // Assert
    expect(result).toEqual(['2027-05-14T08:00:00Z', '2027-06-15T08:00:00Z', '2027-07-15T08:00:00Z', '2027-08-16T08:00:00Z', '2027-09-15T08:00:00Z']);
  });

  it('When 1W falls on a Saturday, then the window stays in the month, on Monday the 3rd', () => {
    expect(starts({ ScheduleExpression: 'cron(0 8 1W * ? *)' }, new Date('2027-04-20T00:00:00Z'), 1)).toEqual(['2027-05-03T08:00:00Z']);
  });

  it('When 31W falls on a Sunday, then the window stays in the month, on Friday the 29th', () => {
    expect(starts({ ScheduleExpression: 'cron(0 8 31W * ? *)' }, new Date('2027-01-01T00:00:00Z'), 1)).toEqual(['2027-01-29T08:00:00Z']);
  });

  it('When a cron runs Monday to Friday, then the weekend is skipped', () => {
    expect(starts({ ScheduleExpression: 'cron(0 8 ? * MON-FRI *)' }, WEDNESDAY)).toEqual([
      '2026-12-03T08:00:00Z',
      '2026-12-04T08:00:00Z',
      '2026-12-07T08:00:00Z',
      '2026-12-08T08:00:00Z',
      '2026-12-09T08:00:00Z',
    ]);
  });

  it('When a cron lists days of the month, then each listed day opens a window', () => {
    expect(starts({ ScheduleExpression: 'cron(0 16 1,15 * ? *)' }, WEDNESDAY, 3)).toEqual([
      '2026-12-15T16:00:00Z',
      '2027-01-01T16:00:00Z',
      '2027-01-15T16:00:00Z',
    ]);
  });

  it('When a cron names months, then only those months open windows', () => {
    expect(starts({ ScheduleExpression: 'cron(0 6 1 JAN,JUL ? *)' }, WEDNESDAY, 3)).toEqual([
      '2027-01-01T06:00:00Z',
      '2027-07-01T06:00:00Z',
      '2028-01-01T06:00:00Z',
    ]);
  });

  it('When a cron has hour increments, then they reset each day and default windows last one hour', () => {
    expect(windows({ ScheduleExpression: 'cron(0 2/10 * * ? *)' }, WEDNESDAY, 4)).toEqual([
      ['2026-12-02T12:00:00Z', '2026-12-02T13:00:00Z'],
      ['2026-12-02T22:00:00Z', '2026-12-02T23:00:00Z'],
      ['2026-12-03T02:00:00Z', '2026-12-03T03:00:00Z'],
      ['2026-12-03T12:00:00Z', '2026-12-03T13:00:00Z'],
    ]);
  });

  it('When the hours field is /8, then windows open every eight hours from midnight', () => {
    expect(starts({ ScheduleExpression: 'cron(0 /8 * * ? *)' }, WEDNESDAY, 3)).toEqual([
      '2026-12-02T16:00:00Z',
      '2026-12-03T00:00:00Z',
      '2026-12-03T08:00:00Z',
    ]);
  });

  it('When a cron limits the years, then only those years open windows and fewer than five may come back', () => {
    expect(starts({ ScheduleExpression: 'cron(0 0 1 JAN ? 2028,2030)' }, WEDNESDAY)).toEqual(['2028-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);
  });

  it('When a cron has a year range with an increment, then every other year opens a window', () => {
    expect(starts({ ScheduleExpression: 'cron(0 0 1 JAN ? 2027-2033/2)' }, WEDNESDAY)).toEqual([
      '2027-01-01T00:00:00Z',
      '2029-01-01T00:00:00Z',
      '2031-01-01T00:00:00Z',
      '2033-01-01T00:00:00Z',
    ]);
  });

  it('When `from` is exactly a fire time, then that window is not counted again', () => {
    expect(starts({ ScheduleExpression: 'cron(0 4 ? * SUN *)' }, new Date('2026-12-06T04:00:00Z'), 1)).toEqual(['2026-12-13T04:00:00Z']);
  });
});

describe('nextWindows: days and rate()', () => {
  it('When AutomaticallyAfterDays is 30, then each window is the whole UTC day 30 days after the last rotation', () => {
    // Arrange
    const lastRotation = new Date('2026-11-18T12:34:00Z');

    // Act
    const result = windows({ AutomaticallyAfterDays: 30 }, lastRotation, 3);

    // Assert
    expect(result).toEqual([
      ['2026-12-18T00:00:00Z', '2026-12-19T00:00:00Z'],
      ['2027-01-17T00:00:00Z', '2027-01-18T00:00:00Z'],
      ['2027-02-16T00:00:00Z', '2027-02-17T00:00:00Z'],
    ]);
  });

  it('When AutomaticallyAfterDays has a 2h Duration, then each window runs from midnight for two hours', () => {
    expect(windows({ AutomaticallyAfterDays: 30, Duration: '2h' }, new Date('2026-11-18T12:00:00Z'), 1)).toEqual([
      ['2026-12-18T00:00:00Z', '2026-12-18T02:00:00Z'],
    ]);
  });

  it('When the rate is rate(10 days), then windows are laid out as for 10 days', () => {
    expect(windows({ ScheduleExpression: 'rate(10 days)' }, WEDNESDAY, 2)).toEqual(windows({ AutomaticallyAfterDays: 10 }, WEDNESDAY, 2));
  });

  it('When the rate is rate(1 day), then a window opens every midnight', () => {
    expect(starts({ ScheduleExpression: 'rate(1 day)' }, WEDNESDAY, 2)).toEqual(['2026-12-03T00:00:00Z', '2026-12-04T00:00:00Z']);
  });

  it('When the rate is rate(6 hours), then one-hour windows open every six hours counted from midnight', () => {
    expect(windows({ ScheduleExpression: 'rate(6 hours)' }, WEDNESDAY, 3)).toEqual([
      ['2026-12-02T12:00:00Z', '2026-12-02T13:00:00Z'],
      ['2026-12-02T18:00:00Z', '2026-12-02T19:00:00Z'],
      ['2026-12-03T00:00:00Z', '2026-12-03T01:00:00Z'],
    ]);
  });

  it('When DescribeSecret gives both a ScheduleExpression and the computed AutomaticallyAfterDays, then the expression decides', () => {
    expect(starts({ ScheduleExpression: 'cron(0 4 ? * SUN *)', AutomaticallyAfterDays: 7 }, WEDNESDAY, 1)).toEqual(['2026-12-06T04:00:00Z']);
  });

  it('When count is given, then that many windows come back', () => {
    expect(nextWindows({ AutomaticallyAfterDays: 1 }, WEDNESDAY, 12)).toHaveLength(12);
  });

  it('When the rules cannot be read, then no windows come back', () => {
    expect(nextWindows({ ScheduleExpression: 'every day' }, WEDNESDAY)).toEqual([]);
    expect(nextWindows({}, WEDNESDAY)).toEqual([]);
  });
});

describe('intervalDays', () => {
  it.each<[ScheduleRules, number]>([
    [{ AutomaticallyAfterDays: 30 }, 30],
    [{ ScheduleExpression: 'rate(10 days)' }, 10],
    [{ ScheduleExpression: 'rate(1 day)' }, 1],
    [{ ScheduleExpression: 'rate(6 hours)' }, 0.25],
    [{ ScheduleExpression: 'cron(0 4 ? * SUN *)' }, 7],
    [{ ScheduleExpression: 'cron(0 8 L * ? *)' }, 31],
    [{ ScheduleExpression: 'cron(0 8 ? * MON-FRI *)' }, 3],
    [{ ScheduleExpression: 'cron(0 0/6 * * ? *)' }, 0.25],
    [{ ScheduleExpression: 'cron(0 8 ? * MON-FRI *)', AutomaticallyAfterDays: 1 }, 3],
  ])('When the rules are %j, then the interval is %s days (the longest gap for a cron)', (rules, expected) => {
    expect(intervalDays(rules)).toBe(expected);
  });

  it('When the rules cannot be read, then the interval is null', () => {
    expect(intervalDays({ ScheduleExpression: 'cron(0 4 ? * SUN)' })).toBeNull();
    expect(intervalDays({})).toBeNull();
  });

  it('When a cron never fires, then the interval is null', () => {
    expect(intervalDays({ ScheduleExpression: 'cron(0 0 30 2 ? *)' })).toBeNull();
  });
});
