import { describe, expect, it } from 'vitest';
import { intervalDays, scheduleLimitProblem, validateSchedule } from '../src/index.ts';

const payments = { team: 'payments', maxIntervalDays: 90 };

describe('scheduleLimitProblem: a team\u2019s longest interval between rotations', () => {
  it('When a payments secret would rotate every 120 days, then the problem names the team, its limit and the interval', () => {
    // Act
    const problem = scheduleLimitProblem({ AutomaticallyAfterDays: 120 }, payments);

    // Assert
    expect(problem).toBe('Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.');
  });

  it.each([
    [{ AutomaticallyAfterDays: 90 }],
    [{ AutomaticallyAfterDays: 1 }],
    [{ ScheduleExpression: 'rate(90 days)' }],
    [{ ScheduleExpression: 'rate(12 hours)' }],
    [{ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' }],
    [{ ScheduleExpression: 'cron(0 8 L * ? *)' }],
  ])('When the schedule is %j, then it keeps to a 90-day limit', (rules) => {
    expect(scheduleLimitProblem(rules, payments)).toBeNull();
  });

  it('When rate(91 days) is asked for, then it is one day too many', () => {
    expect(scheduleLimitProblem({ ScheduleExpression: 'rate(91 days)' }, payments)).toBe(
      'Team payments allows at most 90 days between rotations; this schedule rotates every 91 days.',
    );
  });

  it('When a cron schedule rotates three times a year, then its longest gap (May to September, 123 days) is what counts', () => {
    // Arrange
    const checked = validateSchedule({ schedule: { kind: 'expression', expression: 'cron(0 8 1 1/4 ? *)' } });
    if (!checked.ok) throw new Error(checked.errors.join(' '));

    // Act
    const problem = scheduleLimitProblem(checked.rules, payments);

    // Assert
    expect(intervalDays(checked.rules)).toBe(123);
    expect(problem).toBe('Team payments allows at most 90 days between rotations; this schedule can leave 123 days between rotations.');
  });

  it('When a quarterly cron is checked against a 180-day limit, then it passes', () => {
    expect(scheduleLimitProblem({ ScheduleExpression: 'cron(0 8 1 1/4 ? *)' }, { team: 'analytics', maxIntervalDays: 180 })).toBeNull();
  });

  it('When the limit is one day, then the message says "1 day"', () => {
    expect(scheduleLimitProblem({ AutomaticallyAfterDays: 2 }, { team: 'ops', maxIntervalDays: 1 })).toBe(
      'Team ops allows at most 1 day between rotations; this schedule rotates every 2 days.',
    );
  });
});
