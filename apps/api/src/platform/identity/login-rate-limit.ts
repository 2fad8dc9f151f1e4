import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { RateLimitedError } from '../errors.ts';

export interface LoginRateLimitOptions {
  /** Requests one client address may make to one sign-in route in a window. */
  limit: number;
  windowMs: number;
}

/**
 * A rate limit per client address (req.ip: set TRUST_PROXY behind a load balancer, or every
 * person shares the balancer's address) on a sign-in route, so nobody can hammer the
 * provider through the console or fill the pending-login table. Counted per API process;
 * beyond the limit: 429 with Retry-After and a message saying when to try again.
 */
export const loginRateLimit = ({ limit, windowMs }: LoginRateLimitOptions): RequestHandler =>
  rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('Retry-After');
      next(
        new RateLimitedError({
          message: `Too many sign-in attempts from your address. Try again in ${String(retryAfter ?? Math.ceil(windowMs / 1000))} seconds.`,
        }),
      );
    },
  });
