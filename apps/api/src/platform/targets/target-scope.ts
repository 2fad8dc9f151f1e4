import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, RequestHandler } from 'express';
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

/** The secret a request names: in its path (/api/v1/secrets/:secretId/...), its query or its JSON body (`secretId`). */
const secretIdOf = (req: Request): string | null => {
  const inPath = /^\/api\/v1\/secrets\/([^/]+)/.exec(req.path)?.[1];
  if (inPath) {
    try {
      return decodeURIComponent(inPath);
    } catch {
      return null; // the route's own parsing answers the bad id
    }
  }
  const inQuery = req.query.secretId;
  if (typeof inQuery === 'string' && inQuery) return inQuery;
  const inBody = (req.body as { secretId?: unknown } | undefined)?.secretId;
  return typeof inBody === 'string' && inBody ? inBody : null;
};

/**
 * Runs the rest of a request that names a secret in that secret's target, so every AWS call it
 * makes (the policy's DescribeSecret, discovery, the plan, an operation) acts in the secret's own
 * account and region. A request naming no secret stays in the home target.
 */
export const targetOfRequest =
  (resolve: (secretId: string) => Promise<Target | null>): RequestHandler =>
  (req, _res, next) => {
    const secretId = secretIdOf(req);
    if (!secretId) return next();
    resolve(secretId).then((target) => (target ? runInTarget(target, next) : next()), next);
  };
