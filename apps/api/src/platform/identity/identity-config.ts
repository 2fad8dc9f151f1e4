import { Role } from '@rotation-console/contracts';
import { z } from 'zod';

/**
 * How claim values (groups, app roles) become the console's roles and teams.
 * - `roles`: a claim value that names a role, e.g. `"rotation-admins": "admin"`;
 * - `teams`: a claim value that names a team, e.g. an Entra ID group's object id;
 * - `teamPrefix`: any claim value starting with it names the team after it
 *   (`team-payments` -> `payments`); `null` turns that off.
 */
export const RoleMapping = z
  .object({
    roles: z.record(z.string().min(1), Role),
    teams: z.record(z.string().min(1), z.string().min(1).max(256)).default({}),
    teamPrefix: z.string().min(1).nullable().default('team-'),
  })
  .strict();
export type RoleMapping = z.infer<typeof RoleMapping>;

export const DEFAULT_ROLE_MAPPING: RoleMapping = {
  roles: { 'rotation-admins': 'admin', 'rotation-operators': 'operator', 'rotation-viewers': 'viewer' },
  teams: {},
  teamPrefix: 'team-',
};

const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const roleMappingJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"roles":{"rotation-admins":"admin"},"teamPrefix":"team-"}' });
      return z.NEVER;
    }
  })
  .pipe(RoleMapping);

/**
 * The identity keys of the API's environment: merged into ConfigSchema (config.ts), which parses
 * them once at boot; createIdentity takes this slice of that one config.
 */
export const identityConfigShape = {
  /** `local` (default): one local admin, no login. `oidc`: OpenID Connect login and bearer tokens. */
  AUTH_MODE: z.enum(['local', 'oidc']).default('local'),
  /** The issuer identifier, exactly as the provider's discovery document states it. */
  OIDC_ISSUER: unsetIfEmpty(z.url()),
  OIDC_CLIENT_ID: unsetIfEmpty(z.string().min(1)),
  OIDC_CLIENT_SECRET: unsetIfEmpty(z.string().min(1)),
  /** The `aud` that bearer access tokens must carry (the API's resource indicator / audience). */
  OIDC_AUDIENCE: unsetIfEmpty(z.string().min(1)),
  /** Scopes asked for at login; add `groups` where the provider releases groups by scope (Okta). */
  OIDC_SCOPES: z.string().min(1).default('openid profile'),
  /** The origin people reach the console at; the login callback is PUBLIC_URL/auth/callback. */
  PUBLIC_URL: unsetIfEmpty(z.url()),
  /** Keys the server-side session store: at least 32 characters, secret. */
  SESSION_SECRET: unsetIfEmpty(z.string().min(32, { message: 'must be at least 32 characters' })),
  /** How long a login lasts (absolute); roles and teams are read again at the next login. */
  SESSION_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 24 * 3_600_000)
    .default(8 * 3_600_000),
  /** The claim holding groups or roles, e.g. groups, roles, cognito:groups, realm_access.roles. */
  ROLE_CLAIM: z.string().min(1).default('groups'),
  /** JSON of RoleMapping; unset: rotation-admins/operators/viewers and team-<name>. */
  ROLE_MAPPING: z.preprocess((value) => (value === '' ? undefined : value), roleMappingJson.optional()),
  /** Sign-in attempts (/auth/login, /auth/callback each) one client address may make per LOGIN_RATE_WINDOW_MS. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  LOGIN_RATE_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
};

export const IdentityConfigSchema = z.object(identityConfigShape);
export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && LOOPBACK.has(url.hostname);

/** Cross-key checks: with AUTH_MODE=oidc every OIDC key is needed, and only loopback may use http. */
export const checkIdentityConfig = <T extends IdentityConfig>(config: T, ctx: z.RefinementCtx<T>): void => {
  if (config.AUTH_MODE !== 'oidc') return;
  const required = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_AUDIENCE', 'PUBLIC_URL', 'SESSION_SECRET'] as const;
  for (const key of required) {
    if (config[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when AUTH_MODE=oidc' });
  }
  for (const key of ['OIDC_ISSUER', 'PUBLIC_URL'] as const) {
    const value = config[key];
    if (value === undefined) continue;
    const url = new URL(value);
    if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be https (http only on 127.0.0.1 or localhost)' });
    }
  }
  if (config.PUBLIC_URL !== undefined) {
    const url = new URL(config.PUBLIC_URL);
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an origin only, such as https://rotation.example.com' });
    }
  }
  if (config.OIDC_AUDIENCE !== undefined && config.OIDC_AUDIENCE === config.OIDC_CLIENT_ID) {
    // Otherwise an ID token issued to the console would pass as an access token for the API.
    ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'must differ from OIDC_CLIENT_ID' });
  }
  if (!config.OIDC_SCOPES.split(/\s+/).includes('openid')) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_SCOPES'], message: 'must include openid' });
  }
};
