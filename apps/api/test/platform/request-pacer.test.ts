// AWS's quotas are per account and region: the pacer spaces one target's calls 1/perSecond apart
// and never makes a target wait for another's (the crawl's ListSecrets at 100 a second).
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/platform/targets/target.ts';
import { runInTarget } from '../../src/platform/targets/target-scope.ts';
import { createRequestPacer } from '../../src/platform/targets/request-pacer.ts';

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
