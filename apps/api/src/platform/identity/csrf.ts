import { createHmac } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import { CsrfError } from '../errors.ts';
import { readCookie } from './cookies.ts';

/** The header the web app sends the token in (apps/web/src/lib/api-client.ts). */
export const CSRF_HEADER = 'x-csrf-token';

export interface CsrfOptions {
  /** SESSION_SECRET; the CSRF key is derived from it, so neither key can stand in for the other. */
  secret: string;
  secure: boolean;
  /**
   * What a token is bound to: the session cookie's value (oidc), so a token of another sign-in
   * fails; with AUTH_MODE=local one fixed name, the local admin.
   */
  sessionOf: (req: Request) => string;
  /** Whether this request rides on something the browser adds by itself: a cookie session (oidc), every request (local). */
  guarded: (res: Response) => boolean;
}

export interface Csrf {
  /** Refuses a state-changing request of a cookie session whose token is missing or wrong (403). */
  protect: RequestHandler;
  /** Gives out the token (and sets its cookie) for the request's session. */
  token: (req: Request, res: Parameters<RequestHandler>[1]) => string;
}

/**
 * CSRF protection for cookie sessions (csrf-csrf, signed double submit): GET /api/v1/csrf-token
 * sets an HttpOnly cookie holding HMAC(key, session id, random) and answers the same token;
 * every POST of that session must echo it in the `X-CSRF-Token` header. A page on another
 * origin can make the browser send the cookies, but cannot read the token to put in a header.
 *
 * With AUTH_MODE=local every request is the local admin: being able to reach the port is the
 * credential, and a page on any other site can make the browser send a request there. So there
 * every change needs the token too; the host check (platform/host-check.ts) keeps a rebound
 * name from reading it.
 *
 * Requests it leaves alone (oidc):
 * - bearer tokens: the browser never adds an Authorization header on its own, so a forged
 *   request carries no credential;
 * - requests without a session (nothing to ride on; the API refuses them anyway);
 * - GET, HEAD, OPTIONS, which change nothing (in both modes).
 */
export const createCsrf = ({ secret, secure, sessionOf, guarded }: CsrfOptions): Csrf => {
  const key = createHmac('sha256', secret).update('rotation-console csrf').digest('base64url');
  const cookieName = `${secure ? '__Host-' : ''}rc_csrf`;
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => key,
    getSessionIdentifier: sessionOf,
    cookieName,
    cookieOptions: { httpOnly: true, sameSite: 'strict', secure, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const value = req.headers[CSRF_HEADER];
      return typeof value === 'string' ? value : undefined;
    },
  });
  // csrf-csrf reads `req.cookies` (cookie-parser's); the console parses only the cookie it needs.
  const withCookie = (req: Request) => {
    const value = readCookie(req.headers.cookie, cookieName);
    req.cookies = value === undefined ? {} : { [cookieName]: value };
  };

  const protect: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (!guarded(res)) return next();
    withCookie(req);
    if (!validateRequest(req)) {
      throw new CsrfError({
        message: `This request needs the CSRF token of GET /api/v1/csrf-token in the ${CSRF_HEADER} header (it is missing, wrong, or from an earlier sign-in).`,
      });
    }
    next();
  };

  return {
    protect,
    token: (req, res) => {
      withCookie(req);
      return generateCsrfToken(req, res);
    },
  };
};
