// AWS's quotas are per account and region: the pacer spaces one target's calls evenly, never more
// than its quota in any second, and never makes a target wait for another's (the crawl's ListSecrets at 100 a second).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/platform/targets/target.ts';
import { runInTarget } from '../../src/platform/targets/target-scope.ts';
import { paceRotateQuota } from '../../src/platform/aws-rotate-quota.ts';
import { ARRIVAL_SLACK_MS, createRequestPacer, ROTATE_SECRET_PER_SECOND } from '../../src/platform/targets/request-pacer.ts';

const target = (accountId: string, region: string): Target => ({
  key: `${accountId}:${region}`,
  accountId,
  accountName: accountId,
  region,
  roleArn: null,
  owningTeam: null,
});

/**
 * A clock of its own and the timers of the pacer's sleeps: `run` fires them in time order, moving
 * the clock to each, once everything else has settled. `stall(at, ms)`: no timer fires from `at` for
 * `ms` (a busy event loop, a pause of the garbage collector); the timers due meanwhile fire at its end.
 */
const fakeClock = () => {
  let clock = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const stalls: { from: number; to: number }[] = [];
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => clock,
    sleep: (ms: number) => new Promise<void>((wake) => void timers.push({ at: clock + ms, wake })),
    stall: (at: number, ms: number) => void stalls.push({ from: at, to: at + ms }),
    advance: (ms: number) => void (clock += ms),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.finally(() => (done = true)).catch(() => undefined);
      for (;;) {
        await settled();
        if (done) return work;
        if (timers.length === 0) throw new Error('the work waits for no timer and does not end');
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        const stall = stalls.find((s) => next.at >= s.from && next.at < s.to);
        clock = Math.max(clock, stall ? stall.to : next.at);
        next.wake();
      }
    },
  };
};

/** The most calls that went within any window of `windowMs` (a window opens at each call). */
const peakIn = (times: number[], windowMs: number) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

describe('The request pacer', () => {
  it('When one target asks five times at once at 100 a second, then its calls go one after another, a hundredth of a second and the slack apart, and another target\u2019s first call does not wait', async () => {
    // Arrange
    const time = fakeClock();
    const pacer = createRequestPacer({ perSecond: 100, now: time.now, sleep: time.sleep });
    const went: Record<string, number[]> = {};
    const call = (where: Target) =>
      runInTarget(where, async () => {
        await pacer.wait();
        (went[where.key] ??= []).push(time.now());
      });

    // Act
    await time.run(Promise.all(Array.from({ length: 5 }, () => call(target('111111111111', 'us-east-1')))));
    const before = time.now();
    await call(target('111111111111', 'eu-west-1'));
    await call(target('222222222222', 'us-east-1'));

    // Assert
    const gap = (1000 + ARRIVAL_SLACK_MS) / 100;
    expect(went['111111111111:us-east-1']).toEqual([0, gap, 2 * gap, 3 * gap, 4 * gap]);
    expect(went['111111111111:eu-west-1']).toEqual([before]);
    expect(went['222222222222:us-east-1']).toEqual([before]);
  });

  it('When calls come slower than the pace, then none waits', async () => {
    // Arrange
    const time = fakeClock();
    const slept: number[] = [];
    const pacer = createRequestPacer({ perSecond: 50, now: time.now, sleep: async (ms) => void slept.push(ms) });

    // Act
    for (let i = 0; i < 4; i++) {
      await pacer.wait();
      time.advance(25);
    }

    // Assert
    expect(slept).toEqual([]);
  });

  it('When a wait is aborted, then it throws and the calls behind it still get their turns', async () => {
    // Arrange
    const time = fakeClock();
    const pacer = createRequestPacer({ perSecond: 50, now: time.now, sleep: time.sleep });
    const aborted = new AbortController();
    aborted.abort(new Error('workflow cancelled'));

    // Act
    const first = pacer.wait();
    const second = pacer.wait(aborted.signal);
    const third = pacer.wait();
    const outcomes = await time.run(Promise.allSettled([first, second, third]));

    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('workflow cancelled');
  });
});

// RotateSecret and CancelRotateSecret share one quota of 50 requests a second per account and region:
// at most 50 may start in any second of one target, whatever number of workflows ask at once.
describe('The RotateSecret pacer', () => {
  it('When 500 rotations of one account-region ask at once, then no more than 50 go in any second, and another account-region is not held back', async () => {
    // Arrange
    const time = fakeClock();
    const pacer = createRequestPacer({ perSecond: ROTATE_SECRET_PER_SECOND, now: time.now, sleep: time.sleep });
    const went: number[] = [];

    // Act
    await time.run(
      Promise.all(
        Array.from({ length: 500 }, () =>
          runInTarget(target('111111111111', 'us-east-1'), async () => {
            await pacer.wait();
            went.push(time.now());
          }),
        ),
      ),
    );
    const lastEast = time.now();
    await runInTarget(target('111111111111', 'eu-west-1'), () => pacer.wait());

    // Assert: evenly spaced, the 500th at 499 gaps; any 1-second window (with the slack) holds at most 50.
    expect(ROTATE_SECRET_PER_SECOND).toBe(50);
    const gap = (1000 + ARRIVAL_SLACK_MS) / 50;
    expect(went.slice(0, 3)).toEqual([0, gap, 2 * gap]);
    expect(went.at(-1)).toBeCloseTo(499 * gap, 6);
    expect(peakIn(went, 1000 + ARRIVAL_SLACK_MS)).toBeLessThanOrEqual(50);
    expect(time.now()).toBe(lastEast);
  });

  it('When the event loop stalls for 300 ms, then the calls held up do not all go at once to catch up: still no more than 50 in any second', async () => {
    // Arrange: no timer fires from 200 ms to 500 ms (a busy event loop, a pause of the garbage collector).
    const time = fakeClock();
    time.stall(200, 300);
    const pacer = createRequestPacer({ perSecond: ROTATE_SECRET_PER_SECOND, now: time.now, sleep: time.sleep });
    const went: number[] = [];

    // Act
    await time.run(
      Promise.all(
        Array.from({ length: 200 }, () =>
          pacer.wait().then(() => {
            went.push(time.now());
          }),
        ),
      ),
    );

    // Assert
    expect(peakIn(went, 1000)).toBeLessThanOrEqual(50);
  });
});

// The SDK retries a throttled call by itself: each of its attempts must wait its turn too, or the
// retries crowd the very second that was full.
describe('A Secrets Manager client paced for the RotateSecret quota', () => {
  it('When every first attempt of 30 RotateSecret calls at once is throttled, then the SDK retries each, and no more than the quota of attempts arrive in any second', async () => {
    // Arrange: an endpoint that answers ThrottlingException to each rotation's first attempt, and stamps each arrival.
    const arrivals: number[] = [];
    const seen = new Set<string>();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        arrivals.push(performance.now());
        const { ClientRequestToken: token } = JSON.parse(Buffer.concat(chunks).toString()) as { ClientRequestToken: string };
        const throttle = !seen.has(token);
        seen.add(token);
        res.writeHead(throttle ? 400 : 200, {
          'content-type': 'application/x-amz-json-1.1',
          ...(throttle ? { 'x-amzn-errortype': 'ThrottlingException' } : {}),
        });
        res.end(JSON.stringify(throttle ? { __type: 'ThrottlingException', message: 'Rate exceeded' } : { ARN: 'arn', Name: 'n', VersionId: token }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const perSecond = 20;
    const client = paceRotateQuota(
      new SecretsManagerClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 3,
      }),
      createRequestPacer({ perSecond }),
    );

    try {
      // Act
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          client.send(new RotateSecretCommand({ SecretId: `db-${i}`, ClientRequestToken: `token-${String(i).padStart(32, '0')}` })),
        ),
      );

      // Assert
      expect(results.map((r) => r.$metadata.attempts)).toEqual(Array.from({ length: 30 }, () => 2));
      expect(arrivals).toHaveLength(60);
      expect(peakIn(arrivals, 1000)).toBeLessThanOrEqual(perSecond);
    } finally {
      client.destroy();
      server.close();
    }
  });
  it('When a RotateSecret waiting for its turn is given up (its abortSignal), then it is not sent and the call behind it takes that turn', async () => {
    // Arrange: 2 a second, so turns are about half a second apart; the endpoint stamps what arrives.
    const arrivals: { token: string; at: number }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { ClientRequestToken: token } = JSON.parse(Buffer.concat(chunks).toString()) as { ClientRequestToken: string };
        arrivals.push({ token, at: performance.now() });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: 'arn', Name: 'n', VersionId: token }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const pacer = createRequestPacer({ perSecond: 2 });
    let waiting = 0;
    const inQueue = async (n: number) => {
      while (waiting < n) await new Promise((r) => setImmediate(r));
    };
    const client = paceRotateQuota(
      new SecretsManagerClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      }),
      { wait: (signal?: AbortSignal) => ((waiting += 1), pacer.wait(signal)) },
    );
    const rotate = (token: string, abortSignal?: AbortSignal) =>
      client.send(new RotateSecretCommand({ SecretId: 'db', ClientRequestToken: token.padEnd(32, '0') }), abortSignal ? { abortSignal } : {});

    try {
      // Act: the first goes at once; the second, waiting for its turn, is given up; the third waits behind it.
      const cancelled = new AbortController();
      const first = rotate('first');
      await inQueue(1);
      const second = rotate('second', cancelled.signal);
      await inQueue(2);
      const third = rotate('third');
      await inQueue(3);
      await first;
      cancelled.abort(new Error('workflow cancelled'));
      const [secondOutcome] = await Promise.allSettled([second, third]);

      // Assert: the second never arrived; the third took the second's turn, one gap after the first, not two.
      expect(secondOutcome.status).toBe('rejected');
      expect(arrivals.map((a) => a.token.replace(/0+$/, ''))).toEqual(['first', 'third']);
      const gapMs = (1000 + ARRIVAL_SLACK_MS) / 2;
      expect(arrivals[1]!.at - arrivals[0]!.at).toBeLessThan(2 * gapMs - 100);
    } finally {
      client.destroy();
      server.close();
    }
  });
});
