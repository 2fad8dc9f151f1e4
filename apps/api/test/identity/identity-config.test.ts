import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { claimValues, principalFromClaims } from '../../src/platform/identity/claims.ts';
import { createCookieJar, readCookie } from '../../src/platform/identity/cookies.ts';
import { DEFAULT_ROLE_MAPPING } from '../../src/platform/identity/identity-config.ts';
import { safeReturnTo } from '../../src/platform/identity/identity.ts';
import { createMemoryStore } from '../../src/platform/identity/sessions.ts';
import { demo } from '../support/identity-support.ts';
import { buildApi } from '../support/support.ts';

const oidcEnv = {
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: 'https://login.example.com/oauth2/default',
  OIDC_CLIENT_ID: 'rotation-console',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_AUDIENCE: 'api://rotation-console',
  PUBLIC_URL: 'https://rotation.example.com',
  SESSION_SECRET: 'x'.repeat(32),
};

const provider = await startDemoProvider({ port: 0 });
afterAll(() => provider.stop());

const badKeys = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.keys.sort();
    throw error;
  }
  return [];
};

describe('Identity settings are checked at boot', () => {
  it('When nothing is set, then AUTH_MODE is local with the default mapping, and no OIDC key is needed', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ AUTH_MODE: 'local', ROLE_CLAIM: 'groups', OIDC_SCOPES: 'openid profile', SESSION_TTL_MS: 8 * 3_600_000 });
    expect(config.ROLE_MAPPING).toBeUndefined();
  });

  it('When AUTH_MODE=oidc comes alone, then every missing key is named', () => {
    expect(badKeys({ AUTH_MODE: 'oidc' })).toEqual(['OIDC_AUDIENCE', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER', 'PUBLIC_URL', 'SESSION_SECRET']);
  });

  it('When every key is there, then the config loads; empty values count as unset', () => {
    expect(badKeys(oidcEnv)).toEqual([]);
    expect(badKeys({ ...oidcEnv, OIDC_CLIENT_SECRET: '' })).toEqual(['OIDC_CLIENT_SECRET']);
  });

  it.each([
    ['an http issuer off loopback', { OIDC_ISSUER: 'http://login.example.com' }, ['OIDC_ISSUER']],
    ['an http public URL off loopback', { PUBLIC_URL: 'http://rotation.example.com' }, ['PUBLIC_URL']],
    ['a public URL with a path', { PUBLIC_URL: 'https://rotation.example.com/console' }, ['PUBLIC_URL']],
    ['a short session secret', { SESSION_SECRET: 'too-short' }, ['SESSION_SECRET']],
    ['the audience equal to the client id', { OIDC_AUDIENCE: 'rotation-console' }, ['OIDC_AUDIENCE']],
    ['scopes without openid', { OIDC_SCOPES: 'profile groups' }, ['OIDC_SCOPES']],
    ['a role mapping that is not JSON', { ROLE_MAPPING: '{roles:' }, ['ROLE_MAPPING']],
    ['a role mapping naming an unknown role', { ROLE_MAPPING: '{"roles":{"g":"superuser"}}' }, ['ROLE_MAPPING.roles.g']],
    ['a session TTL under a second', { SESSION_TTL_MS: '10' }, ['SESSION_TTL_MS']],
  ])('When the environment has %s, then boot names that key', (_what, change, keys) => {
    expect(badKeys({ ...oidcEnv, ...change })).toEqual(keys);
  });

  it('When the issuer and the console are on 127.0.0.1 over http, then that is allowed (the demo provider)', () => {
    expect(badKeys({ ...oidcEnv, OIDC_ISSUER: 'http://127.0.0.1:4011', PUBLIC_URL: 'http://127.0.0.1:3000' })).toEqual([]);
  });

  it('When ROLE_MAPPING is JSON, then it replaces the default mapping', () => {
    const config = loadConfig({ ...oidcEnv, ROLE_MAPPING: '{"roles":{"sg-admins":"admin"},"teams":{"6f1c-guid":"payments"},"teamPrefix":null}' });
    expect(config.ROLE_MAPPING).toEqual({ roles: { 'sg-admins': 'admin' }, teams: { '6f1c-guid': 'payments' }, teamPrefix: null });
  });
});

describe('Claims become roles and teams', () => {
  const map = (claims: Record<string, unknown>, roleClaim = 'groups', mapping = DEFAULT_ROLE_MAPPING) => principalFromClaims(claims, { roleClaim, mapping });

  it('When groups hold the default names, then rotation-* are roles and team-* are teams; anything else grants nothing', () => {
    const principal = map({
      sub: 'u1',
      name: 'Pat',
      groups: ['team-payments', 'rotation-operators', 'everyone', 'team-', 'rotation-viewers', 'team-identity'],
    });
    expect(principal).toEqual({ id: 'u1', name: 'Pat', roles: ['viewer', 'operator'], teams: ['identity', 'payments'] });
  });

  it('When the claim is a single string, nested (Keycloak) or namespaced (Cognito), then its values are read', () => {
    expect(claimValues({ groups: 'rotation-admins' }, 'groups')).toEqual(['rotation-admins']);
    expect(claimValues({ realm_access: { roles: ['rotation-viewers', 7] } }, 'realm_access.roles')).toEqual(['rotation-viewers']);
    expect(claimValues({ 'cognito:groups': ['rotation-operators'] }, 'cognito:groups')).toEqual(['rotation-operators']);
    expect(claimValues({ 'https://example.com/groups': ['a'] }, 'https://example.com/groups')).toEqual(['a']);
    expect(claimValues({}, 'groups')).toEqual([]);
  });

  it('When the mapping names groups by id (Entra ID), then those ids become roles and teams', () => {
    const mapping = { roles: { 'a1b2-admins': 'admin' as const }, teams: { 'c3d4-payments': 'payments' }, teamPrefix: null };
    expect(map({ sub: 'oid', preferred_username: 'pat@example.com', groups: ['a1b2-admins', 'c3d4-payments', 'team-identity'] }, 'groups', mapping)).toEqual({
      id: 'oid',
      name: 'pat@example.com',
      roles: ['admin'],
      teams: ['payments'],
    });
  });

  it('When a claim value is a prototype key, then it grants nothing', () => {
    expect(map({ sub: 'x', groups: ['constructor', '__proto__', 'toString'] })).toMatchObject({ roles: [], teams: [] });
  });

  it('When a service account has no name claims, then its client id names it', () => {
    expect(map({ sub: 'svc-payments', client_id: 'svc-payments', groups: ['rotation-operators'] })).toMatchObject({ id: 'svc-payments', name: 'svc-payments' });
  });
});

describe('Cookies, return paths and the session store', () => {
  it('When PUBLIC_URL is https, then both cookies are __Host- prefixed and Secure; on http neither', () => {
    expect(createCookieJar({ secure: true })).toMatchObject({ sessionName: '__Host-rc_session', loginName: '__Host-rc_login' });
    expect(createCookieJar({ secure: false })).toMatchObject({ sessionName: 'rc_session', loginName: 'rc_login' });
  });

  it('When a Cookie header is read, then the named cookie is found exactly (not by prefix) and bad encoding is ignored', () => {
    expect(readCookie('a=1; rc_session=abc; rc_session_x=zzz', 'rc_session')).toBe('abc');
    expect(readCookie('xrc_session=abc', 'rc_session')).toBeUndefined();
    expect(readCookie('rc_session=%E0%A4%A', 'rc_session')).toBeUndefined();
    expect(readCookie(undefined, 'rc_session')).toBeUndefined();
  });

  it.each([
    ['/secrets/x?tab=1', '/secrets/x?tab=1'],
    ['/', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/a b', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('When the return path is %j, then the callback goes to %j', (given, expected) => {
    expect(safeReturnTo(given)).toBe(expected);
  });

  it('When records expire, are taken twice or overflow, then the store forgets them; it never keeps the id itself', async () => {
    let t = 1_000;
    const store = createMemoryStore<{ expiresAt: number; n: number }>({ secret: 's'.repeat(32), maxRecords: 3, now: () => t });
    const a = await store.create({ expiresAt: 2_000, n: 1 });
    const b = await store.create({ expiresAt: 5_000, n: 2 });

    expect(await store.get(a)).toMatchObject({ n: 1 });
    expect(await store.take(b)).toMatchObject({ n: 2 });
    expect(await store.take(b)).toBeUndefined();
    t = 2_000;
    expect(await store.get(a)).toBeUndefined();

    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(await store.create({ expiresAt: 10_000, n }));
    const kept = await Promise.all(ids.map((id) => store.get(id)));
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(3);
    expect(kept.at(-1)).toMatchObject({ n: 4 });
    expect(a).toMatch(/^[\w-]{43}$/);
  });
});

describe('The app in each mode', () => {
  it('When AUTH_MODE is local (the default), then requests need no credentials and /api/v1/me is the local admin', async () => {
    const api = await buildApi();
    try {
      const me = await request(api.app).get('/api/v1/me').expect(200);
      await request(api.app).get('/api/v1/secrets').expect(200);
      await request(api.app).get('/auth/login').expect(404);
      expect(me.body).toEqual({ id: 'local', name: 'Local operator', roles: ['admin'], teams: [], authMode: 'local', via: 'local' });
    } finally {
      await api.close();
    }
  });

  it('When PUBLIC_URL is https, then /auth/login sets a __Host- cookie that is Secure, HttpOnly and SameSite=Lax', async () => {
    const api = await buildApi({
      ...oidcEnv,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: demo.console.clientId,
      OIDC_CLIENT_SECRET: demo.console.clientSecret,
      OIDC_AUDIENCE: demo.audience,
    });
    try {
      const res = await request(api.app).get('/auth/login').expect(303);
      expect(res.headers['set-cookie']).toEqual([
        expect.stringMatching(/^__Host-rc_login=[\w-]{43}; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/),
      ]);
      expect(new URL(res.headers.location!).searchParams.get('redirect_uri')).toBe('https://rotation.example.com/auth/callback');
    } finally {
      await api.close();
    }
  });

  it('When the provider does not answer, then /auth/login says 503 and the public routes still work', async () => {
    const api = await buildApi({ ...oidcEnv, OIDC_ISSUER: 'http://127.0.0.1:9', PUBLIC_URL: 'http://127.0.0.1:3000' });
    try {
      const login = await request(api.app).get('/auth/login').expect(503);
      const withToken = await request(api.app).get('/api/v1/me').set('Authorization', 'Bearer a.b.c').expect(503);
      await request(api.app).get('/api/v1/health').expect(200);
      expect(login.body.error.code).toBe('upstream_unavailable');
      expect(withToken.body.error.code).toBe('upstream_unavailable');
    } finally {
      await api.close();
    }
  });
});
