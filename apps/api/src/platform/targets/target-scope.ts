import { AsyncLocalStorage } from 'node:async_hooks';
import type { Target } from './target.ts';

const storage = new AsyncLocalStorage<Target>();

/**
 * The target the current AWS calls act in. The AWS client factory (aws.ts) reads it at every
 * `forRegion()`: its region, and the role assumed in its account. Null outside any scope: the
 * console's own account in AWS_REGION (the home target).
 */
export const currentTarget = (): Target | null => storage.getStore() ?? null;

/** Runs `fn` with every AWS call in it made in `target` (a crawl of one target, one secret's request or workflow). */
export const runInTarget = <T>(target: Target, fn: () => T): T => storage.run(target, fn);
