import { describe, expect, it } from 'vitest';
import { describeSchedule, describeWindow, lambdaFunctionName } from './rotation-schedule.ts';

describe('describeSchedule', () => {
  it('When rotation runs every N days, then it reads "Every N days"', () => {
    // Arrange
    const rules = { automaticallyAfterDays: 30, scheduleExpression: 'rate(30 days)', duration: null };

    // Act
    const words = describeSchedule(rules);

    // Assert
    expect(words).toBe('Every 30 days');
  });

  it('When rotation runs every day, then it reads "Every day"', () => {
    // Arrange / Act / Assert
    expect(describeSchedule({ automaticallyAfterDays: 1, scheduleExpression: null, duration: null })).toBe('Every day');
  });

  it('When the schedule is a rate expression, then it is put in words', () => {
    // Arrange / Act / Assert
    expect(describeSchedule({ automaticallyAfterDays: null, scheduleExpression: 'rate(4 hours)', duration: null })).toBe('Every 4 hours');
    expect(describeSchedule({ automaticallyAfterDays: null, scheduleExpression: 'rate(1 day)', duration: null })).toBe('Every day');
  });

  it('When the schedule is a cron expression, then the expression is shown as written', () => {
    // Arrange / Act / Assert
    expect(describeSchedule({ automaticallyAfterDays: null, scheduleExpression: 'cron(0 16 ? * SAT *)', duration: null })).toBe('cron(0 16 ? * SAT *)');
  });

  it('When there are no rules, then a dash is shown', () => {
    // Arrange / Act / Assert
    expect(describeSchedule(null)).toBe('-');
  });
});

describe('describeWindow', () => {
  it('When the window is in hours and minutes, then it reads in words', () => {
    // Arrange / Act / Assert
    expect(describeWindow('3h')).toBe('3 hours');
    expect(describeWindow('1h')).toBe('1 hour');
    expect(describeWindow('2h30m')).toBe('2 hours 30 minutes');
    expect(describeWindow(null)).toBeNull();
  });
});

describe('lambdaFunctionName', () => {
  it('When given a Lambda ARN, then it returns the function name', () => {
    // Arrange / Act / Assert
    expect(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres')).toBe('rotate-postgres');
    expect(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres:$LATEST')).toBe('rotate-postgres');
    expect(lambdaFunctionName(null)).toBe('-');
  });
});
