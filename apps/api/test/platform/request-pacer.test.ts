// AWS's quotas are per account and region: the pacer spaces one target's calls 1/perSecond apart
// and never makes a target wait for another's (the crawl's ListSecrets at 100 a second).
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/platform/targets/target.ts';
import { runInTarget } from '../../src/platform/targets/target-scope.ts';
import { createRequestPacer, ROTATE_SECRET_PER_SECOND } from '../../src/platform/targets/request-pacer.ts';

const target = (accountId: string, region: string): Target => ({
  key: `${accountId}:${region}`,
  accountId,
  accountName: accountId,
  region,
  roleArn: null,
  owningTeam: null,
});

describe('The request pacer', () => {
  it('When one target asks five times at once at 100 a second, then its calls are spaced 10 ms apart, and another target\u2019s first call does not wait', async () => {
    // Arrange: a clock that stands still, and the waits the pacer asks for.
    const slept: number[] = [];
    const pacer = createRequestPacer({ perSecond: 100, now: () => 1_000, sleep: async (ms) => void slept.push(ms) });

    // Act
    await Promise.all(Array.from({ length: 5 }, () => runInTarget(target('111111111111', 'us-east-1'), () => pacer.wait())));
    const east = [...slept];
    await runInTarget(target('111111111111', 'eu-west-1'), () => pacer.wait());
    await runInTarget(target('222222222222', 'us-east-1'), () => pacer.wait());

    // Assert
    expect(east).toEqual([10, 20, 30, 40]);
    expect(slept).toEqual(east);
  });

  it('When calls come slower than the pace, then none waits', async () => {
    // Arrange
    let clock = 0;
    const slept: number[] = [];
    const pacer = createRequestPacer({ perSecond: 50, now: () => clock, sleep: async (ms) => void slept.push(ms) });

    // Act
    for (let i = 0; i < 4; i++) {
      await pacer.wait();
      clock += 25;
    }

    // Assert
    expect(slept).toEqual([]);
  });
});

// RotateSecret and CancelRotateSecret share one quota of 50 requests a second per account and region:
// at most 50 may start in any second of one target, whatever number of workflows ask at once.
describe('The RotateSecret pacer', () => {
  it('When 500 rotations of one account-region ask at once, then no more than 50 go in any second, and another account-region is not held back', async () => {
    // Arrange: a clock that stands still; each call's start is the time it asked plus the wait the pacer gave it.
    const starts: number[] = [];
    let lastWait = 0;
    const pacer = createRequestPacer({ perSecond: ROTATE_SECRET_PER_SECOND, now: () => 0, sleep: async (ms) => void (lastWait = ms) });
    const paced = async (where: Target) =>
      runInTarget(where, async () => {
        lastWait = 0;
        await pacer.wait();
        return lastWait;
      });

    // Act
    for (let i = 0; i < 500; i++) starts.push(await paced(target('111111111111', 'us-east-1')));
    const otherRegion = await paced(target('111111111111', 'eu-west-1'));

    // Assert: 20 ms apart, so the 500th starts at 9.98 s; any 1-second window holds at most 50.
    expect(ROTATE_SECRET_PER_SECOND).toBe(50);
    expect(starts.slice(0, 3)).toEqual([0, 20, 40]);
    expect(starts.at(-1)).toBe(9980);
    const peak = Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 1000).length));
    expect(peak).toBe(50);
    expect(otherRegion).toBe(0);
  });
});
