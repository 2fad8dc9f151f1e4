import { describe, expect, it } from 'vitest';
import { clientLimitProblem } from './team-defaults.ts';

const payments = { team: 'payments', maxIntervalDays: 90 };

describe('clientLimitProblem: the team\u2019s limit, checked in the browser before the API is asked', () => {
  it.each([
    [{ kind: 'days', days: 120 } as const, 'Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.'],
    [
      { kind: 'expression', expression: 'rate(91 days)' } as const,
      'Team payments allows at most 90 days between rotations; this schedule rotates every 91 days.',
    ],
    [{ kind: 'days', days: 90 } as const, null],
    [{ kind: 'expression', expression: 'rate(12 hours)' } as const, null],
    // A cron's longest gap is the API's to find (its preview answers on the same field).
    [{ kind: 'expression', expression: 'cron(0 8 1 1/4 ? *)' } as const, null],
  ])('When the schedule is %j, then the problem is %j', (schedule, problem) => {
    expect(clientLimitProblem(schedule, payments)).toBe(problem);
  });

  it('When the team has no limit, then nothing is refused', () => {
    expect(clientLimitProblem({ kind: 'days', days: 1000 }, null)).toBeNull();
  });
});
