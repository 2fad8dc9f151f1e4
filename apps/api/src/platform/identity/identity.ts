import { randomBytes } from 'node:crypto';
import type { CsrfToken, Me } from '@rotation-console/contracts';
import { Router, type RequestHandler } from 'express';
import { ANONYMOUS_PRINCIPAL, LOCAL_PRINCIPAL } from '../auth.ts';
import { UpstreamError } from '../errors.ts';
import { noStore } from '../http.ts';
import type { AuditTrail } from '../audit-trail.ts';
import type { Logger } from '../logger.ts';
import { createBearerVerifier } from './bearer.ts';
import { principalFromClaims } from './claims.ts';
import { createCookieJar } from './cookies.ts';
import { CSRF_HEADER, createCsrf } from './csrf.ts';
import { DEFAULT_ROLE_MAPPING, type IdentityConfig } from './identity-config.ts';
import { loginRateLimit } from './login-rate-limit.ts';
import { createRelyingParty } from './relying-party.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createDbRecordStore } from './db-record-store.ts';
import type { PendingLogin, RecordStore, Session } from './sessions.ts';
import { UnauthenticatedError } from './unauthenticated.ts';

/** API routes anyone may call without signing in (load balancer probes, the API's shape). */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/v1/health', '/api/v1/openapi.json']);

/** How long a person may take between /auth/login and coming back to /auth/callback. */
const PENDING_LOGIN_TTL_MS = 10 * 60_000;

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

/** Only a path on this origin: never `//evil.example`, `/\evil.example` or an absolute URL. */
export const safeReturnTo = (value: unknown): string =>
  typeof value === 'string' && value.length <= 2048 && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : '/';

export interface IdentityDeps {
  /** The identity keys of the API's one config (config.ts parses them with the rest at boot). */
  config: IdentityConfig;
  logger: Logger;
  /** The console's database: sessions and pending sign-ins live there, shared by every API process. */
  db: Kysely<Database>;
  /** Where sign-ins (both outcomes) and sign-outs are recorded. */
  audit: AuditTrail;
  /** Tests: the clock of sessions and pending logins. */
  now?: () => number;
}

export interface Identity {
  /** Sets `req.principal` on every request, or answers 401 on a non-public API route. */
  authenticate: RequestHandler;
  /** After `authenticate`: refuses a cookie session's POST without its CSRF token (403). */
  csrf: RequestHandler;
  /** /auth/login, /auth/callback, /auth/logout (oidc mode) and GET /api/v1/me (both modes). */
  router: Router;
}

const meRoute = (router: Router, describe: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => Me) => {
  router.get('/api/v1/me', (req, res) => {
    res.json(describe(req, res));
  });
};

const csrfTokenRoute = (router: Router, token: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string | null) => {
  router.get('/api/v1/csrf-token', (req, res) => {
    const body: CsrfToken = { token: token(req, res), header: CSRF_HEADER };
    res.json(body);
  });
};

/**
 * Identity, chosen by AUTH_MODE: `local` keeps today's behaviour (every request is the
 * local admin); `oidc` signs people in with OpenID Connect into a server-side session
 * and accepts bearer access tokens from service accounts.
 */
export const createIdentity = ({ config, logger, db, audit, now = Date.now }: IdentityDeps): Identity => {
  const router = Router();

  if (config.AUTH_MODE === 'local') {
    meRoute(router, () => ({ ...LOCAL_PRINCIPAL, authMode: 'local', via: 'local' }));
    // Every request is the local admin, so a request forged by a page on another site would be
    // too: every change needs the token (the web app reads it like a signed-in person's). The key
    // comes from SESSION_SECRET where set (several API processes then agree), else is new at each
    // start (the web app asks again after a 403 csrf_rejected).
    const csrf = createCsrf({
      secret: config.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      secure: config.PUBLIC_URL?.startsWith('https:') ?? false,
      sessionOf: () => 'local',
      guarded: () => true,
    });
    csrfTokenRoute(router, (req, res) => csrf.token(req, res));
    const authenticate: RequestHandler = (req, _res, next) => {
      req.principal = LOCAL_PRINCIPAL;
      next();
    };
    return { authenticate, csrf: csrf.protect, router };
  }

  // checkIdentityConfig made these present when AUTH_MODE=oidc.
  const publicUrl = new URL(config.PUBLIC_URL!);
  const secure = publicUrl.protocol === 'https:';
  const redirectUri = new URL('/auth/callback', publicUrl).href;
  const mapping = config.ROLE_MAPPING ?? DEFAULT_ROLE_MAPPING;
  const cookies = createCookieJar({ secure });
  const csrf = createCsrf({
    secret: config.SESSION_SECRET!,
    secure,
    sessionOf: (req) => cookies.read(req, cookies.sessionName) ?? '',
    guarded: (res) => res.locals.authVia === 'session',
  });
  const signInLimit = { limit: config.LOGIN_RATE_LIMIT, windowMs: config.LOGIN_RATE_WINDOW_MS };
  const sessions: RecordStore<Session> = createDbRecordStore({ db, kind: 'session', secret: config.SESSION_SECRET!, now });
  const pendingLogins: RecordStore<PendingLogin> = createDbRecordStore({ db, kind: 'pending-login', secret: config.SESSION_SECRET!, now });
  const relyingParty = createRelyingParty({
    issuer: config.OIDC_ISSUER!,
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    redirectUri,
    scopes: config.OIDC_SCOPES,
  });
  const verifyBearer = createBearerVerifier({
    metadata: () => relyingParty.metadata(),
    audience: config.OIDC_AUDIENCE!,
    clientId: config.OIDC_CLIENT_ID!,
    roleClaim: config.ROLE_CLAIM,
    mapping,
  });

  const authenticate: RequestHandler = async (req, res, next) => {
    const api = isApiPath(req.path);
    const authorization = req.headers.authorization;
    if (api && authorization !== undefined) {
      const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
      try {
        if (!match) throw new UnauthenticatedError({ message: 'The Authorization header must be "Bearer <access token>".' });
        req.principal = await verifyBearer(match[1]!);
      } catch (error) {
        if (error instanceof UnauthenticatedError) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw error;
      }
      res.locals.authVia = 'bearer';
      return next();
    }

    const sessionId = cookies.read(req, cookies.sessionName);
    if (sessionId) res.locals.sessionCookieSent = true;
    const session = sessionId ? await sessions.get(sessionId) : undefined;
    if (session) {
      req.principal = session.principal;
      res.locals.authVia = 'session';
      res.locals.sessionExpiresAt = session.expiresAt;
      return next();
    }
    if (sessionId) cookies.clear(res, cookies.sessionName);
    if (api && !PUBLIC_API_PATHS.has(req.path)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError({
        message: sessionId ? 'Your session has ended. Sign in again at /auth/login.' : 'Sign in at /auth/login, or send a bearer access token.',
      });
    }
    req.principal = ANONYMOUS_PRINCIPAL;
    next();
  };

  router.get('/auth/login', noStore, loginRateLimit(signInLimit), async (req, res) => {
    const login = await relyingParty.startLogin();
    const id = await pendingLogins.create({
      state: login.state,
      nonce: login.nonce,
      codeVerifier: login.codeVerifier,
      returnTo: safeReturnTo(req.query.returnTo),
      expiresAt: now() + PENDING_LOGIN_TTL_MS,
    });
    cookies.set(res, cookies.loginName, id, PENDING_LOGIN_TTL_MS);
    res.redirect(303, login.url.href);
  });

  router.get('/auth/callback', noStore, loginRateLimit(signInLimit), async (req, res) => {
    const loginId = cookies.read(req, cookies.loginName);
    cookies.clear(res, cookies.loginName);
    // One use only: a replayed or forged callback finds no pending login.
    const pending = loginId ? await pendingLogins.take(loginId) : undefined;
    if (!pending) {
      await audit.record(req, { action: 'auth.login', subject: 'session', outcome: 'failure', after: { reason: 'no sign-in in progress in this browser' } });
      throw new UnauthenticatedError({ message: 'No sign-in is in progress in this browser (or it took too long). Start again at /auth/login.' });
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let claims: Record<string, unknown>;
    try {
      claims = await relyingParty.finishLogin(query, pending);
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string; error?: string };
      // Names and codes only: never the query (the code) or a token.
      logger.warn({ requestId: req.id, err: { name: e.name, code: e.code, error: e.error, message: e.message } }, 'sign-in refused');
      await audit.record(req, {
        action: 'auth.login',
        subject: 'session',
        outcome: 'failure',
        after: {
          reason: error instanceof UpstreamError ? 'identity provider unavailable' : "the provider's answer did not match this sign-in",
          error: typeof e.error === 'string' ? e.error.slice(0, 100) : (e.code ?? null),
        },
      });
      if (error instanceof UpstreamError) throw error;
      throw new UnauthenticatedError({ message: "Sign-in failed: the identity provider's answer did not match this sign-in. Start again at /auth/login." });
    }
    const principal = principalFromClaims(claims, { roleClaim: config.ROLE_CLAIM, mapping });
    // A new id at every sign-in (no session fixation); an earlier session of this browser ends.
    const earlier = cookies.read(req, cookies.sessionName);
    if (earlier) await sessions.delete(earlier);
    const createdAt = now();
    const sessionId = await sessions.create({ principal, createdAt, expiresAt: createdAt + config.SESSION_TTL_MS });
    cookies.set(res, cookies.sessionName, sessionId, config.SESSION_TTL_MS);
    logger.info({ requestId: req.id, principal: { id: principal.id, roles: principal.roles, teams: principal.teams } }, 'signed in');
    await audit.record(req, {
      actor: principal,
      action: 'auth.login',
      subject: 'session',
      outcome: 'success',
      after: { roles: principal.roles, teams: principal.teams, expiresAt: new Date(createdAt + config.SESSION_TTL_MS).toISOString() },
    });
    res.redirect(303, pending.returnTo);
  });

  router.post('/auth/logout', noStore, async (req, res) => {
    const sessionId = cookies.read(req, cookies.sessionName);
    if (sessionId) await sessions.delete(sessionId);
    cookies.clear(res, cookies.sessionName);
    if (res.locals.authVia === 'session') await audit.record(req, { action: 'auth.logout', subject: 'session', outcome: 'success' });
    res.status(204).end();
  });

  // A person's token; a bearer caller needs none (it is not checked for bearer requests).
  csrfTokenRoute(router, (req, res) => (res.locals.authVia === 'session' ? csrf.token(req, res) : null));

  meRoute(router, (req, res) => ({
    id: req.principal.id,
    name: req.principal.name,
    roles: req.principal.roles,
    teams: req.principal.teams,
    authMode: 'oidc',
    via: res.locals.authVia as 'session' | 'bearer',
    ...(typeof res.locals.sessionExpiresAt === 'number' ? { sessionExpiresAt: new Date(res.locals.sessionExpiresAt).toISOString() } : {}),
  }));

  return { authenticate, csrf: csrf.protect, router };
};
