import { setTimeout as delay } from 'node:timers/promises';
import { currentTarget } from './target-scope.ts';

/**
 * Calls of one AWS API kept under its quota in each account-region (Secrets Manager's quotas are
 * per account and region: ListSecrets 100 requests a second, RotateSecret and CancelRotateSecret
 * 50 together). Each target's calls are spaced evenly, 1/perSecond apart, in the order they ask; a
 * target never waits for another's. Per process: several API processes crawl different targets
 * (a lease each), so they do not add up on one target.
 */
export const createRequestPacer = ({
  perSecond,
  now = () => performance.now(),
  sleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}),
}: {
  perSecond: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
}) => {
  const gapMs = 1000 / perSecond;
  /** The earliest time each target's next call may go. */
  const nextSlot = new Map<string, number>();
  return {
    /** Waits for the current target's next slot (the home target outside any scope). */
    async wait(signal?: AbortSignal): Promise<void> {
      const key = currentTarget()?.key ?? 'home';
      const at = now();
      const slot = Math.max(at, nextSlot.get(key) ?? 0);
      nextSlot.set(key, slot + gapMs);
      if (slot > at) await sleep(slot - at, signal);
    },
  };
};
export type RequestPacer = ReturnType<typeof createRequestPacer>;

/** Secrets Manager's ListSecrets quota per account and region (AWS's documented default). */
export const LIST_SECRETS_PER_SECOND = 100;
