import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Tries of one step in one run, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 1 + 2 + 4 + 8 s of waiting at most: enough for AWS throttling to pass. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * Exponential backoff with full jitter (AWS's advice): a random wait up to base * 2^(n-1),
 * so many runners throttled at once do not all come back at the same moment.
 */
export const backoffDelay = (failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(failedAttempt - 1, 0));
  return Math.round(random() * ceiling);
};

/** Waits, or rejects as soon as the signal aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal });
