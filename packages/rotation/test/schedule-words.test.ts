import { describe, expect, it } from 'vitest';
import { complianceAdvice, describeSchedule, type ScheduleRules } from '../src/index.ts';

describe('describeSchedule', () => {
  it.each<[ScheduleRules, string]>([
    [{ AutomaticallyAfterDays: 30 }, 'every 30 days'],
    [{ AutomaticallyAfterDays: 1 }, 'every day'],
    [{ AutomaticallyAfterDays: 30, Duration: '2h' }, 'every 30 days in a 2h window'],
    [{ ScheduleExpression: 'rate(6 hours)' }, 'every 6 hours'],
    [{ ScheduleExpression: 'rate(1 day)' }, 'every day'],
    [{ ScheduleExpression: 'rate(10 days)', Duration: '4h' }, 'every 10 days in a 4h window'],
    [{ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' }, 'cron(0 4 ? * SUN *) in a 3h window'],
    [{ ScheduleExpression: 'cron(0 8 L * ? *)' }, 'cron(0 8 L * ? *)'],
    [{ ScheduleExpression: 'rate(6 hours)', AutomaticallyAfterDays: 1 }, 'every 6 hours'],
    [{}, 'no rotation schedule'],
  ])('When the rules are %j, then the words are "%s"', (rules, words) => {
    expect(describeSchedule(rules)).toBe(words);
  });
});

describe('complianceAdvice', () => {
  it('When single-user rotation runs every 30 days, then the advice gives the compliance interval it meets and the one-day margin', () => {
    // Act
    const advice = complianceAdvice({ days: 30, strategy: 'single-user' });

    // Assert
    expect(advice).toEqual([
      'Rotating every 30 days meets compliance intervals of 31 days or more.',
      'For a 30-day compliance interval, rotate at least every 29 days.',
      'That day of margin is there because Secrets Manager rotates at a random hour of the scheduled day.',
    ]);
  });

  it('When alternating users rotate every 30 days, then the advice says the old password stays valid up to 60 days and to halve the interval', () => {
    // Act
    const advice = complianceAdvice({ days: 30, strategy: 'alternating-users' });

    // Assert
    expect(advice).toEqual([
      'With Multi-user rotation the old password stays valid for one more cycle, as AWSPREVIOUS, so each password lasts up to 60 days.',
      'Rotating every 30 days meets compliance intervals of 60 days or more.',
      'For a 30-day compliance interval, rotate every 15 days: half the interval.',
      'To use the full 30-day interval instead, the rotation function must invalidate the old password as soon as the new one is active; you then lose AWSPREVIOUS as a quick way back.',
    ]);
  });

  it('When single-user rotation runs every day, then a 1-day compliance interval is pointed to a schedule in hours', () => {
    expect(complianceAdvice({ days: 1, strategy: 'single-user' })).toContain(
      'For a 1-day compliance interval, rotate on a schedule in hours, like rate(12 hours): a schedule in days can rotate up to a day late within its window.',
    );
  });

  it('When alternating users rotate every day, then a 1-day compliance interval needs two rotations a day', () => {
    expect(complianceAdvice({ days: 1, strategy: 'alternating-users' })).toContain(
      'For a 1-day compliance interval, rotate every 11 hours or less, like rate(8 hours): each password must be replaced twice within the day, window included.',
    );
  });

  it('When the interval is in hours, then the advice speaks in hours', () => {
    expect(complianceAdvice({ days: 0.25, strategy: 'single-user' })).toEqual(['Rotating every 6 hours meets any compliance interval of 1 day or more.']);
    expect(complianceAdvice({ days: 0.25, strategy: 'alternating-users' })[0]).toBe(
      'With Multi-user rotation the old password stays valid for one more cycle, as AWSPREVIOUS, so each password lasts up to 12 hours.',
    );
  });

  it('When an odd interval is halved, then the advice rounds down to stay inside it', () => {
    expect(complianceAdvice({ days: 7, strategy: 'alternating-users' })).toContain('For a 7-day compliance interval, rotate every 3 days: half the interval.');
  });

  it('When a cron gives a fractional interval, then the advice rounds it up to whole days', () => {
    expect(complianceAdvice({ days: 30.5, strategy: 'single-user' })[0]).toBe('Rotating every 30.5 days meets compliance intervals of 32 days or more.');
  });

  it('When no interval is known, then the general rule for the strategy comes back', () => {
    expect(complianceAdvice({ strategy: 'single-user' })).toEqual([
      'If you rotate to meet a compliance requirement, set the rotation interval at least 1 day shorter than the compliance-mandated interval: Secrets Manager picks the hour within the scheduled day.',
    ]);
    expect(complianceAdvice({ strategy: 'alternating-users' })[0]).toBe(
      'With Multi-user rotation, set the rotation interval to half the compliance-mandated interval: the old password stays valid for one more rotation cycle, as AWSPREVIOUS.',
    );
  });

  it('When no strategy is chosen yet, then the single-user advice comes with one line on Multi-user rotation', () => {
    // Act
    const advice = complianceAdvice({ days: 30 });

    // Assert
    expect(advice[0]).toBe('Rotating every 30 days meets compliance intervals of 31 days or more.');
    expect(advice.at(-1)).toMatch(/^With Multi-user rotation, set the rotation interval to half/);
  });
});
