import { setTimeout as delay } from 'node:timers/promises';
import { currentTarget } from './target-scope.ts';

/**
 * AWS counts a call when it arrives; between the moment the pacer lets it go and then lie the SDK's
 * signing, a wait for a free connection of the pool and the network, a few to a few tens of ms when
 * the process is busy. Counting each second as this much longer keeps the calls that arrive within
 * any real second under the quota (measured: `pnpm bench batch` saw 51 in one second without it).
 */
export const ARRIVAL_SLACK_MS = 50;

/**
 * Calls of one AWS API kept under its quota in each account-region (Secrets Manager's quotas are
 * per account and region: ListSecrets 100 requests a second, RotateSecret and CancelRotateSecret
 * 50 together). Each target's calls go one at a time, in the order they ask, on evenly spaced
 * slots, and never more than perSecond of them within any second (plus ARRIVAL_SLACK_MS) of when
 * they really went. A wake-up that came late (a busy event loop, a pause of the garbage
 * collector) lets the calls behind it catch up only as far as that window allows, instead of all
 * going at once. A caller that gives up (its signal aborts) leaves the queue without taking a
 * turn, and the one behind it still waits for the one ahead. A target never waits for another's.
 * Per process: several API processes crawl different targets (a lease each), so they do not add
 * up on one target.
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
  const windowMs = 1000 + ARRIVAL_SLACK_MS;
  const gapMs = windowMs / perSecond;
  /** Each target's state: the earliest slot of its next call, when its last perSecond calls went, and the turn of its last caller. */
  const targets = new Map<string, { nextSlot: number; went: number[]; queue: Promise<void> | null }>();
  return {
    /** Waits for the current target's next turn (the home target outside any scope); throws if `signal` aborts first. */
    async wait(signal?: AbortSignal): Promise<void> {
      signal?.throwIfAborted();
      const key = currentTarget()?.key ?? 'home';
      let target = targets.get(key);
      if (!target) targets.set(key, (target = { nextSlot: -Infinity, went: [], queue: null }));
      const before = target.queue;
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      target.queue = mine;
      let myTurn = false;
      let slot: number | null = null;
      let went = false;
      try {
        if (before) await untilOrAbort(before, signal);
        myTurn = true;
        slot = Math.max(now(), target.nextSlot);
        target.nextSlot = slot + gapMs;
        // The oldest of the last perSecond calls went less than a window ago: wait until it is a window old.
        const windowOpens = () => (target.went.length < perSecond ? -Infinity : target.went[0]! + windowMs);
        for (let wait = Math.max(slot, windowOpens()) - now(); wait > 0; wait = Math.max(slot, windowOpens()) - now()) await sleep(wait, signal);
        target.went.push(now());
        if (target.went.length > perSecond) target.went.shift();
        went = true;
      } finally {
        // Given up while waiting for its slot: the slot is free for the next caller.
        if (slot !== null && !went) target.nextSlot = slot;
        const passOn = () => {
          done();
          if (target.queue === mine) target.queue = null;
        };
        // Given up before its turn: the one behind still goes after the one ahead, never beside it.
        if (myTurn || !before) passOn();
        else void before.then(passOn);
      }
    },
  };
};

/** `promise`, or the abort of `signal` (its reason thrown), whichever comes first. */
const untilOrAbort = (promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> => {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
};
export type RequestPacer = ReturnType<typeof createRequestPacer>;

/** Secrets Manager's ListSecrets quota per account and region (AWS's documented default). */
export const LIST_SECRETS_PER_SECOND = 100;

/** Secrets Manager's quota per account and region for RotateSecret and CancelRotateSecret together (AWS's documented default). */
export const ROTATE_SECRET_PER_SECOND = 50;

/**
 * The one pacer of RotateSecret and CancelRotateSecret in this process: every call of either waits
 * its turn here (a batch of 500 secrets, the wizard, an operation), so together they stay under the
 * shared quota of each account-region. Applied to each Secrets Manager client (aws-rotate-quota.ts).
 */
export const rotateSecretPacer = createRequestPacer({ perSecond: ROTATE_SECRET_PER_SECOND });
