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

/** Secrets Manager's quota per account and region for RotateSecret and CancelRotateSecret together (AWS's documented default). */
export const ROTATE_SECRET_PER_SECOND = 50;

/**
 * The one pacer of RotateSecret and CancelRotateSecret in this process: every step that calls
 * either waits its turn here (a batch of 500 secrets, the wizard, an operation), so together they
 * stay under the shared quota of each account-region; a throttled call that still happens is
 * retried by the workflow runner with backoff (platform/workflow/backoff.ts).
 */
export const rotateSecretPacer = createRequestPacer({ perSecond: ROTATE_SECRET_PER_SECOND });
