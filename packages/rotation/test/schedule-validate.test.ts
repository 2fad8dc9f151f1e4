import { describe, expect, it } from 'vitest';
import { validateSchedule, type ScheduleValidation } from '../src/index.ts';

const days = (n: number, duration?: string) => validateSchedule({ schedule: { kind: 'days', days: n }, duration });
const expr = (expression: string, duration?: string) => validateSchedule({ schedule: { kind: 'expression', expression }, duration });

const errorsOf = (result: ScheduleValidation): string[] => (result.ok ? [] : result.errors);

describe('validateSchedule: a number of days (AutomaticallyAfterDays)', () => {
  it('When the interval is 1 day, then it is accepted as AutomaticallyAfterDays', () => {
    // Act
    const result = days(1);

    // Assert
    expect(result).toEqual({ ok: true, rules: { AutomaticallyAfterDays: 1 } });
  });

  it('When the interval is 1000 days, then it is accepted (the API maximum)', () => {
    expect(days(1000)).toEqual({ ok: true, rules: { AutomaticallyAfterDays: 1000 } });
  });

  it('When the interval is 1001 days, then it is refused with the 1 to 1000 range', () => {
    // Act
    const result = days(1001);

    // Assert
    expect(errorsOf(result)).toEqual(['The rotation interval must be 1 to 1000 days; found 1001']);
  });

  it('When the interval is 0 days, then it is refused', () => {
    expect(errorsOf(days(0))).toEqual(['The rotation interval must be 1 to 1000 days; found 0']);
  });

  it('When the interval is not a whole number, then it is refused', () => {
    expect(errorsOf(days(1.5))).toEqual(['Rotate every whole number of days; found 1.5']);
  });

  it('When a window duration is given with days, then RotationRules carries both', () => {
    expect(days(30, '2h')).toEqual({ ok: true, rules: { AutomaticallyAfterDays: 30, Duration: '2h' } });
  });

  it('When the window duration is left empty, then no Duration is sent (AWS default window)', () => {
    expect(days(30, '')).toEqual({ ok: true, rules: { AutomaticallyAfterDays: 30 } });
  });
});

describe('validateSchedule: the window duration', () => {
  it.each(['1h', '3h', '24h'])('When Duration is %s, then it is accepted', (duration) => {
    // Act
    const result = days(7, duration);

    // Assert
    expect(result).toEqual({ ok: true, rules: { AutomaticallyAfterDays: 7, Duration: duration } });
  });

  it.each([
    ['25h', '25h is longer than a day'],
    ['0h', '0h is no window at all'],
    ['3 h', 'write it without a space, like 3h'],
    ['90m', 'it counts whole hours, so "90m" can\'t be used'],
    ['01h', 'write 1h, not 01h'],
    ['3H', 'write a lower-case h, like 3h'],
    ['3', 'add the unit, like 3h'],
    ['1d', 'a window can\'t be longer than a day, so "1d" can\'t be used'],
  ])('When Duration is "%s", then it is refused and the message says why', (duration, why) => {
    // Act
    const result = days(7, duration);

    // Assert
    expect(errorsOf(result)).toEqual([`Duration must be 1h to 24h, like 3h; ${why}`]);
  });
});

describe('validateSchedule: rate() expressions', () => {
  it('When the rate is every 4 hours, then it is accepted as a ScheduleExpression', () => {
    expect(expr('rate(4 hours)')).toEqual({ ok: true, rules: { ScheduleExpression: 'rate(4 hours)' } });
  });

  it('When the rate is every 3 hours, then it is refused: more often than every four hours', () => {
    expect(errorsOf(expr('rate(3 hours)'))).toEqual(['rate(3 hours) rotates more often than every four hours, which Secrets Manager refuses']);
  });

  it('When the rate is every 2 hours, then the message names the four-hour limit', () => {
    expect(errorsOf(expr('rate(2 hours)'))).toEqual(['rate(2 hours) rotates more often than every four hours, which Secrets Manager refuses']);
  });

  it('When the rate is rate(1 day), then it is accepted (singular unit for 1)', () => {
    expect(expr('rate(1 day)')).toEqual({ ok: true, rules: { ScheduleExpression: 'rate(1 day)' } });
  });

  it('When the rate is rate(1 days), then it is refused: the unit must be singular for 1', () => {
    expect(errorsOf(expr('rate(1 days)'))).toEqual(['Write rate(1 day): the unit is singular when the value is 1']);
  });

  it('When the rate is rate(5 hour), then it is refused: the unit must be plural above 1', () => {
    expect(errorsOf(expr('rate(5 hour)'))).toEqual(['Write rate(5 hours): the unit is plural when the value is more than 1']);
  });

  it('When the rate is rate(999 days), then it is accepted (the user guide maximum)', () => {
    expect(expr('rate(999 days)').ok).toBe(true);
  });

  it('When the rate is rate(1000 days), then it is refused: the user guide caps a rate at 999 days', () => {
    expect(errorsOf(expr('rate(1000 days)'))).toEqual(['rate(1000 days) is longer than the 999 days Secrets Manager allows between rotations']);
  });

  it('When the rate is zero, then it is refused', () => {
    expect(errorsOf(expr('rate(0 days)'))).toEqual(['rate(0 days) needs a positive number of days']);
  });

  it('When the rate is in minutes, then it is refused: Secrets Manager rates are hours or days', () => {
    expect(errorsOf(expr('rate(30 minutes)'))[0]).toMatch(/rates are in hours or days/);
  });

  it('When the rate is 24 hours or more, then the message asks for days', () => {
    expect(errorsOf(expr('rate(48 hours)'))).toEqual(['rate(48 hours) is 2 days: write it as rate(2 days)']);
  });

  it('When the rate has two spaces, then it is refused with the tidy form', () => {
    expect(errorsOf(expr('rate(10  days)'))).toEqual(['Write rate(10 days): one space between the number and the unit, none elsewhere']);
  });
});

describe('validateSchedule: cron() fields and the ? rule', () => {
  it('When a cron has 5 fields, then the message lists the 6 fields', () => {
    expect(errorsOf(expr('cron(0 4 ? * SUN)'))).toEqual(['cron() needs 6 fields (minutes hours day-of-month month day-of-week year); found 5']);
  });

  it('When ? is in both day fields, then it is refused', () => {
    expect(errorsOf(expr('cron(0 4 ? * ? *)'))).toEqual(['Use ? in day-of-month or day-of-week, not both']);
  });

  it('When neither day field has ?, then it is refused', () => {
    expect(errorsOf(expr('cron(0 4 * * * *)'))[0]).toMatch(/^Use \? in day-of-month or day-of-week: a schedule can't set both/);
  });

  it('When ? is in day-of-week only, then it is accepted', () => {
    expect(expr('cron(0 10 * * ? *)').ok).toBe(true);
  });

  it('When ? is in day-of-month only, then it is accepted', () => {
    expect(expr('cron(0 18 ? * SAT *)').ok).toBe(true);
  });

  it('When ? is in the month field, then it is refused', () => {
    expect(errorsOf(expr('cron(0 4 1 ? ? *)'))).toContain('Month: ? only goes in day-of-month or day-of-week');
  });

  it('When minutes are not 0, then it is refused: windows start on the hour', () => {
    expect(errorsOf(expr('cron(30 4 ? * SUN *)'))).toEqual(['Minutes must be 0, because Secrets Manager rotation windows start on the hour; found 30']);
  });

  it('When the year is not *, then it is refused', () => {
    expect(errorsOf(expr('cron(0 4 ? * SUN 2027)'))).toEqual([
      "Year must be *, because Secrets Manager doesn't support rotation schedules more than a year apart; found 2027",
    ]);
  });

  it('When the hours field is a list, then it is refused: Secrets Manager only documents one hour or an increment', () => {
    expect(errorsOf(expr('cron(0 4,16 * * ? *)'))[0]).toMatch(/^Hours must be one hour like 4, or an increment like 2\/10/);
  });

  it('When the hours field is */8, then the message suggests 0/8', () => {
    expect(errorsOf(expr('cron(0 */8 * * ? *)'))[0]).toMatch(/^Hours: write 0\/8 \(or \/8\)/);
  });

  it('When the hours field is 24, then it is refused as out of range', () => {
    expect(errorsOf(expr('cron(0 24 * * ? *)'))).toEqual(['Hours: 24 is outside 0-23']);
  });

  it('When several fields are wrong, then each gets its own message', () => {
    // Act
    const errors = errorsOf(expr('cron(15 25 ? 13 MON 2030)'));

    // Assert
    expect(errors).toEqual([
      'Minutes must be 0, because Secrets Manager rotation windows start on the hour; found 15',
      "Year must be *, because Secrets Manager doesn't support rotation schedules more than a year apart; found 2030",
      'Hours: 25 is outside 0-23',
      'Month: 13 is outside 1-12 or JAN-DEC',
    ]);
  });

  it.each([
    ['cron(0 /8 * * ? *)', 'every eight hours from midnight'],
    ['cron(0 8/8 * * ? *)', 'every eight hours from 08:00'],
    ['cron(0 2/10 * * ? *)', 'every ten hours from 02:00, reset daily'],
    ['cron(0 4/12 * * ? *)', '04:00 and 16:00'],
    ['cron(0 10 * * ? *)', 'every day at 10:00'],
    ['cron(0 18 ? * SAT *)', 'every Saturday'],
    ['cron(0 8 1 * ? *)', 'the first of the month'],
    ['cron(0 1 ? 1/3 SUN#1 *)', 'every three months, first Sunday'],
    ['cron(0 17 L * ? *)', 'the last day of the month'],
    ['cron(0 8 ? * MON-FRI *)', 'weekdays'],
    ['cron(0 16 1,15 * ? *)', 'the 1st and 15th'],
    ['cron(0 0 ? * SUN#1 *)', 'the first Sunday'],
    ['cron(0 0 ? 1/11 2#1 *)', 'every 11 months from January'],
    ['cron(0 21 L * ? *)', 'the console page example'],
  ])('When the user guide example %s (%s) is checked, then it is accepted', (expression) => {
    expect(expr(expression)).toEqual({ ok: true, rules: { ScheduleExpression: expression } });
  });
});

describe('validateSchedule: cron() L, W, #, names and ranges', () => {
  it('When day-of-month is L, then it is accepted', () => {
    expect(expr('cron(0 8 L * ? *)').ok).toBe(true);
  });

  it('When day-of-week is 6#3 (third Friday), then it is accepted', () => {
    expect(expr('cron(0 0 ? * 6#3 *)').ok).toBe(true);
  });

  it('When day-of-week is TUE#3, then it is accepted', () => {
    expect(expr('cron(0 0 ? * TUE#3 *)').ok).toBe(true);
  });

  it('When day-of-week has # and a second item, then it is refused: # takes one expression only', () => {
    expect(errorsOf(expr('cron(0 0 ? * 3#1,6#3 *)'))).toEqual(['Day-of-week: with # the field takes one expression only, like TUE#3; found 3#1,6#3']);
  });

  it('When # asks for a sixth week, then it is refused', () => {
    expect(errorsOf(expr('cron(0 0 ? * FRI#6 *)'))).toEqual(['Day-of-week: in FRI#6, the week of the month after # must be 1 to 5']);
  });

  it('When day-of-week is SUNL (last Sunday), then it is accepted', () => {
    expect(expr('cron(0 0 ? * SUNL *)').ok).toBe(true);
  });

  it('When SUNL is put in day-of-month, then the message moves it to day-of-week', () => {
    expect(errorsOf(expr('cron(0 0 SUNL * ? *)'))).toEqual(['Day-of-month: put SUNL in day-of-week, with ? in day-of-month, like cron(0 0 ? * SUNL *)']);
  });

  it('When day-of-month uses W, then it is refused: Secrets Manager does not list W', () => {
    expect(errorsOf(expr('cron(0 8 15W * ? *)'))).toEqual([
      "Day-of-month: Secrets Manager's cron table has no W (nearest weekday); found 15W. Use a day, a range, a list, / or L",
    ]);
  });

  it('When day-of-month uses L with an offset, then it is refused as undocumented', () => {
    expect(errorsOf(expr('cron(0 8 L-3 * ? *)'))[0]).toMatch(/^Day-of-month: "L-3" is not a form EventBridge documents/);
  });

  it('When month and day names are used, then they are accepted', () => {
    expect(expr('cron(0 6 ? JAN,APR,JUL,OCT MON-FRI *)').ok).toBe(true);
  });

  it('When a name is in lower case, then the message asks for capitals', () => {
    expect(errorsOf(expr('cron(0 0 ? * sun *)'))).toEqual(['Day-of-week: write sun in capitals, SUN']);
  });

  it('When a name is unknown, then it is refused with the allowed values', () => {
    expect(errorsOf(expr('cron(0 0 ? * SUNDAY *)'))).toEqual(['Day-of-week: "SUNDAY" is not a value (1-7 or SUN-SAT)']);
  });

  it('When a range runs backwards, then it is refused', () => {
    expect(errorsOf(expr('cron(0 0 ? * FRI-MON *)'))).toEqual(['Day-of-week: the range FRI-MON runs backwards; write the smaller value first']);
  });

  it('When day-of-month has an increment without a start, then it is refused', () => {
    expect(errorsOf(expr('cron(0 0 /2 * ? *)'))).toEqual(['Day-of-month: write the first value before /, like 1/2; found /2']);
  });

  it('When a day-of-month increment and a day-of-week range are used, then they are accepted', () => {
    expect(expr('cron(0 8 1/2 * ? *)').ok).toBe(true);
    expect(expr('cron(0 8 ? * 1/2 *)').ok).toBe(true);
  });
});

describe('validateSchedule: how often a cron() rotates', () => {
  it('When a cron rotates every 2 hours, then it is refused and the message shows two rotations', () => {
    expect(errorsOf(expr('cron(0 0/2 * * ? *)'))).toEqual([
      'cron(0 0/2 * * ? *) rotates more often than every four hours, which Secrets Manager refuses: 02:00 UTC comes 2 hours after 00:00',
    ]);
  });

  it('When a cron rotates every 4 hours, then it is accepted', () => {
    expect(expr('cron(0 0/4 * * ? *)').ok).toBe(true);
  });

  it('When hour increments leave less than four hours across midnight, then it is refused (hours reset each day)', () => {
    expect(errorsOf(expr('cron(0 1/7 * * ? *)'))).toEqual([
      'cron(0 1/7 * * ? *) rotates more often than every four hours, which Secrets Manager refuses: 01:00 UTC comes 3 hours after 22:00 the day before',
    ]);
  });

  it('When a cron fires only on 29 February, then it is refused: more than a year apart', () => {
    expect(errorsOf(expr('cron(0 0 29 2 ? *)'))).toEqual([
      "cron(0 0 29 2 ? *) leaves more than a year between rotations (2004-02-29 to 2008-02-29), which Secrets Manager doesn't support",
    ]);
  });

  it('When a cron fires once a year, then it is accepted', () => {
    expect(expr('cron(0 0 1 JAN ? *)').ok).toBe(true);
  });

  it('When a cron never matches a date, then it is refused', () => {
    expect(errorsOf(expr('cron(0 0 30 2 ? *)'))).toEqual(['cron(0 0 30 2 ? *) never matches a date, so Secrets Manager would never rotate the secret']);
  });
});

describe('validateSchedule: the window against the schedule', () => {
  it('When a 4h window comes with rate(3 hours), then both problems are reported', () => {
    expect(errorsOf(expr('rate(3 hours)', '4h'))).toEqual([
      'rate(3 hours) rotates more often than every four hours, which Secrets Manager refuses',
      'The 4h window is longer than the 3 hours between rotations',
    ]);
  });

  it('When the window equals the hours between rotations, then it is accepted', () => {
    expect(expr('rate(4 hours)', '4h')).toEqual({ ok: true, rules: { ScheduleExpression: 'rate(4 hours)', Duration: '4h' } });
  });

  it('When the window is longer than a rate in hours, then it is refused', () => {
    expect(errorsOf(expr('rate(6 hours)', '7h'))).toEqual(['The 7h window is longer than the 6 hours between rotations']);
  });

  it('When a rate in days has a 24h window, then it is accepted (it starts at midnight)', () => {
    expect(expr('rate(10 days)', '24h').ok).toBe(true);
  });

  it('When the window is longer than a cron in hours, then it is refused', () => {
    expect(errorsOf(expr('cron(0 0/6 * * ? *)', '7h'))).toContain('The 7h window is longer than the 6 hours between rotations');
  });

  it('When a cron in hours has a window equal to its step, then it is accepted', () => {
    expect(expr('cron(0 0/6 * * ? *)', '6h').ok).toBe(true);
  });

  it('When a daily window would run past midnight UTC, then it is refused with the most it can be', () => {
    expect(errorsOf(expr('cron(0 22 * * ? *)', '3h'))).toEqual([
      'The 3h window opening at 22:00 UTC runs into the next UTC day; the start hour plus the window must be 24 hours or less, so at most 2h here',
    ]);
  });

  it('When a daily window ends exactly at midnight UTC, then it is accepted', () => {
    expect(expr('cron(0 22 * * ? *)', '2h').ok).toBe(true);
  });

  it('When the last window of a cron in hours would cross midnight UTC, then it is refused', () => {
    expect(errorsOf(expr('cron(0 2/10 * * ? *)', '4h'))).toEqual([
      'The 4h window opening at 22:00 UTC runs into the next UTC day; the start hour plus the window must be 24 hours or less',
    ]);
  });

  it('When cron(0 4 ? * SUN *) has a 3h window, then RotationRules carries both', () => {
    expect(expr('cron(0 4 ? * SUN *)', '3h')).toEqual({ ok: true, rules: { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' } });
  });

  it('When both the schedule and the duration are wrong, then both are reported, schedule first', () => {
    expect(errorsOf(expr('rate(2 hours)', '90m'))).toEqual([
      'rate(2 hours) rotates more often than every four hours, which Secrets Manager refuses',
      'Duration must be 1h to 24h, like 3h; it counts whole hours, so "90m" can\'t be used',
    ]);
  });
});

describe('validateSchedule: the expression as a whole', () => {
  it('When the expression is empty, then the message shows examples', () => {
    expect(errorsOf(expr(''))).toEqual(['Enter a schedule expression, like rate(10 days), rate(12 hours) or cron(0 4 ? * SUN *)']);
  });

  it('When the expression has a character AWS does not take, then it is refused', () => {
    expect(errorsOf(expr('cron(0 4 ? * SUN *);'))).toEqual(['A schedule expression can use only letters, digits, spaces and ( ) # ? * - / ,; found ;']);
  });

  it('When the expression is longer than 256 characters, then it is refused', () => {
    expect(errorsOf(expr(`cron(0 4 ${'1,'.repeat(130)}1 * ? *)`))[0]).toMatch(/^A schedule expression is at most 256 characters/);
  });

  it('When the expression is neither rate() nor cron(), then it is refused', () => {
    expect(errorsOf(expr('every day'))[0]).toMatch(/^A schedule expression is rate\(\.\.\.\) or cron\(\.\.\.\)/);
  });

  it('When CRON is in capitals, then the message asks for lower case', () => {
    expect(errorsOf(expr('CRON(0 4 ? * SUN *)'))[0]).toMatch(/^Write cron\( in lower case/);
  });

  it('When cron fields are separated by two spaces, then the message shows single spaces', () => {
    expect(errorsOf(expr('cron(0  4 ? * SUN *)'))).toEqual(['Separate the cron fields with single spaces: cron(0 4 ? * SUN *)']);
  });
});
