import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { Browser, demo, mintToken, serviceToken, signIn, startConsole, testSigningKey } from '../support/identity-support.ts';

// The demo provider (oidc-provider 9) on a free port with a signing key the test knows, a
// second provider as "another issuer", and the API in-process with AUTH_MODE=oidc.
const key = testSigningKey();
const provider = await startDemoProvider({ port: 0, jwks: { keys: [key] }, extraResources: ['urn:another-service:api'] });
const otherIssuer = await startDemoProvider({ port: 0 });
const consoleApp = await startConsole(provider.issuer);
const { url } = consoleApp;

afterAll(async () => {
  await consoleApp.close();
  await provider.stop();
  await otherIssuer.stop();
});

const me = (browser: Browser) => browser.request(`${url}/api/v1/me`);
const bearer = (token: string, path = '/api/v1/me') => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('Signing in through the demo provider (authorization code + PKCE)', () => {
  it.each([
    ['alice', ['admin'], []],
    ['pat', ['operator'], ['payments']],
    ['ida', ['operator'], ['identity']],
    ['vic', ['viewer'], []],
    ['nora', ['operator'], []],
  ])('When %s signs in with Username and Password, then /api/v1/me shows roles %j and teams %j', async (username, roles, teams) => {
    const { browser, res } = await signIn(url, username);

    const answer = await me(browser);
    const body = await json(answer);

    expect(res.status).not.toBe(401);
    expect(answer.status).toBe(200);
    expect(body).toMatchObject({
      id: username,
      name: demo.accounts.find((a) => a.username === username)!.name,
      roles,
      teams,
      authMode: 'oidc',
      via: 'session',
    });
    expect(browser.hops.some((h) => h.url.startsWith(`${url}/auth/callback`) && h.status === 303)).toBe(true);
  });

  it('When the login starts, then the provider is asked for a PKCE S256 challenge, state and nonce, and the pending login sits in an HttpOnly cookie', async () => {
    const browser = new Browser();
    const res = await browser.request(`${url}/auth/login`);
    const authorize = new URL(res.headers.get('location')!);
    const setCookie = res.headers.getSetCookie().join('\n');

    expect(res.status).toBe(303);
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: demo.console.clientId,
      response_type: 'code',
      redirect_uri: `${url}/auth/callback`,
      code_challenge_method: 'S256',
      scope: 'openid profile',
    });
    for (const p of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(p)).toMatch(/^[\w-]{22,}$/);
    expect(setCookie).toMatch(/^rc_login=[\w-]{43}; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('When the password is wrong, then the form comes back with an error and nobody is signed in', async () => {
    const { browser, res } = await signIn(url, 'pat', { password: 'not-the-password' });

    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Wrong username or password.');
    expect((await me(browser)).status).toBe(401);
  });

  it('When the session cookie is set, then it is HttpOnly, SameSite=Lax, Path=/ and carries no token', async () => {
    const { browser } = await signIn(url, 'pat');
    const callback = browser.hops.findIndex((h) => h.url.startsWith(`${url}/auth/callback`));
    const session = browser.cookie('rc_session')!;

    expect(callback).toBeGreaterThanOrEqual(0);
    expect(session).toMatch(/^[\w-]{43}$/);
    expect(browser.cookies.map((c) => c.name)).not.toContain('rc_login');
    expect(session.split('.')).toHaveLength(1); // not a JWT
  });

  it('When a return path is given, then the callback goes back to it; an absolute or protocol-relative one goes to /', async () => {
    const inside = await signIn(url, 'vic', { returnTo: '/secrets/prod%2Fpayments?tab=versions' });
    const outside = await signIn(url, 'vic', { returnTo: '//evil.example/phish' });

    const lastConsoleHop = (b: Browser) => b.hops.filter((h) => h.url.startsWith(url)).at(-1)!.url;
    expect(lastConsoleHop(inside.browser)).toBe(`${url}/secrets/prod%2Fpayments?tab=versions`);
    expect(lastConsoleHop(outside.browser)).toBe(`${url}/`);
  });
});

describe('Callbacks the console refuses', () => {
  it('When the state in the callback is not the one this browser started with, then 401 and no session', async () => {
    const { browser, stoppedAt } = await signIn(url, 'pat', { stopAtCallback: true });
    const forged = new URL(stoppedAt!);
    forged.searchParams.set('state', 'not-the-state-this-browser-started-with');

    const res = await browser.request(forged);

    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthenticated');
    expect(browser.cookie('rc_session')).toBeUndefined();
    expect((await me(browser)).status).toBe(401);
  });

  it('When a callback is replayed, then the second one is refused and the first session still works', async () => {
    const { browser, stoppedAt } = await signIn(url, 'pat', { stopAtCallback: true });
    const loginCookie = browser.cookie('rc_login')!;

    const first = await browser.request(stoppedAt!);
    const replayed = await fetch(stoppedAt!, { headers: { cookie: `rc_login=${loginCookie}` }, redirect: 'manual' });

    expect(first.status).toBe(303);
    expect(replayed.status).toBe(401);
    // Refused by the console itself (the pending login is used up), before the provider would refuse the used code.
    expect((await errorOf(replayed)).message).toMatch(/^No sign-in is in progress/);
    expect(replayed.headers.getSetCookie().join()).not.toMatch(/rc_session=[\w-]/);
    expect((await me(browser)).status).toBe(200);
  });

  it('When the callback arrives in a browser that never started a login (login CSRF), then 401', async () => {
    const { stoppedAt } = await signIn(url, 'ida', { stopAtCallback: true });

    const res = await new Browser().request(stoppedAt!);

    expect(res.status).toBe(401);
  });

  it('When the provider answers with an error, then 401 and no session', async () => {
    const browser = new Browser();
    const start = await browser.request(`${url}/auth/login`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;

    const res = await browser.request(`${url}/auth/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(provider.issuer)}`);

    expect(res.status).toBe(401);
    expect(browser.cookie('rc_session')).toBeUndefined();
  });
});

describe('Sessions end', () => {
  it('When a person signs out, then the session ends on the server: the old cookie no longer works', async () => {
    const { browser } = await signIn(url, 'alice');
    const oldCookie = browser.cookie('rc_session')!;

    const { token } = (await (await browser.request(`${url}/api/v1/csrf-token`)).json()) as { token: string };
    const out = await browser.request(`${url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': token } });
    const reused = await fetch(`${url}/api/v1/me`, { headers: { cookie: `rc_session=${oldCookie}` } });

    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/rc_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(browser.cookie('rc_session')).toBeUndefined();
    expect(reused.status).toBe(401);
    expect((await errorOf(reused)).message).toMatch(/session has ended/);
  });

  it('When SESSION_TTL_MS has passed, then the session is refused with 401', async () => {
    const shortLived = await startConsole(provider.issuer, { SESSION_TTL_MS: '2000' });
    try {
      const { browser } = await signIn(shortLived.url, 'pat');
      const fresh = await browser.request(`${shortLived.url}/api/v1/me`);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await browser.request(`${shortLived.url}/api/v1/me`);

      expect(fresh.status).toBe(200);
      expect(expired.status).toBe(401);
      expect((await errorOf(expired)).code).toBe('unauthenticated');
    } finally {
      await shortLived.close();
    }
  });

  it('When a made-up session cookie is sent, then 401', async () => {
    const res = await fetch(`${url}/api/v1/secrets`, { headers: { cookie: 'rc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(res.status).toBe(401);
  });
});

describe('Bearer access tokens (client credentials)', () => {
  it('When svc-payments sends its access token, then it is an operator of payments on /api/v1/me and may list secrets', async () => {
    const token = await serviceToken(provider.issuer, 'svc-payments');

    const who = await bearer(token);
    const list = await bearer(token, '/api/v1/secrets');

    expect(who.status).toBe(200);
    expect(await json(who)).toMatchObject({ id: 'svc-payments', name: 'svc-payments', roles: ['operator'], teams: ['payments'], via: 'bearer' });
    expect(list.status).toBe(200);
  });

  it('When svc-viewer and svc-identity send theirs, then each gets its own roles and teams', async () => {
    const viewer = await json(await bearer(await serviceToken(provider.issuer, 'svc-viewer')));
    const identity = await json(await bearer(await serviceToken(provider.issuer, 'svc-identity')));

    expect(viewer).toMatchObject({ roles: ['viewer'], teams: [] });
    expect(identity).toMatchObject({ roles: ['operator'], teams: ['identity'] });
  });

  it('When the token was issued for another audience, then 401 naming aud', async () => {
    const token = await serviceToken(provider.issuer, 'svc-payments', 'urn:another-service:api');

    const res = await bearer(token);

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await errorOf(res)).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('"aud"') });
  });

  it('When the token comes from another issuer (its own keys), then 401', async () => {
    const token = await serviceToken(otherIssuer.issuer, 'svc-payments');
    expect((await bearer(token)).status).toBe(401);
  });

  it('When a token signed with the right key names another issuer, then 401 naming iss', async () => {
    const token = await mintToken(key, {
      iss: otherIssuer.issuer,
      aud: demo.audience,
      sub: 'svc-payments',
      exp: nowSeconds() + 300,
      iat: nowSeconds(),
      groups: ['rotation-admins'],
    });

    const res = await bearer(token);

    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toContain('"iss"');
  });

  it('When a token signed with the right key for the right audience has expired, then 401 saying so', async () => {
    const token = await mintToken(key, {
      iss: provider.issuer,
      aud: demo.audience,
      sub: 'svc-payments',
      exp: nowSeconds() - 60,
      iat: nowSeconds() - 660,
      groups: ['rotation-operators'],
    });
    const valid = await mintToken(key, {
      iss: provider.issuer,
      aud: demo.audience,
      sub: 'svc-payments',
      exp: nowSeconds() + 60,
      iat: nowSeconds(),
      groups: ['rotation-operators'],
    });

    const res = await bearer(token);

    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toBe('The access token has expired.');
    expect((await bearer(valid)).status).toBe(200); // the same token, unexpired, passes: expiry is what failed
  });

  it('When the token is tampered, unsigned, HMAC-signed, garbage or not a bearer token, then 401', async () => {
    const real = await serviceToken(provider.issuer, 'svc-viewer');
    const [header, payload, signature] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, groups: ['rotation-admins'] })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    // Algorithm confusion: an HMAC "signed" with a public value the attacker knows (the key id).
    const hmac = await new SignJWT({ ...claims, groups: ['rotation-admins'] })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(key.kid));

    const answers = await Promise.all([
      bearer(`${header}.${elevated}.${signature}`),
      bearer(none),
      bearer(hmac),
      bearer('not-a-jwt'),
      fetch(`${url}/api/v1/me`, { headers: { authorization: `Basic ${Buffer.from('svc-viewer:svc-viewer-demo-secret').toString('base64')}` } }),
    ]);

    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
  });

  it('When an ID token is sent as a bearer token, even one whose aud names the API, then 401: only access tokens are accepted', async () => {
    const now = nowSeconds();
    // What a provider issues at a sign-in (typ JWT, nonce, at_hash), signed with the provider's key, addressed
    // to the API as well as to a client: a signed-in person's proof of login, never a credential for the API.
    const idToken = {
      iss: provider.issuer,
      sub: 'alice',
      aud: [demo.audience, 'another-client'],
      azp: 'another-client',
      exp: now + 300,
      iat: now,
      auth_time: now,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
      groups: ['rotation-admins'],
    };
    const answers = await Promise.all([
      bearer(await mintToken(key, idToken, { typ: 'JWT' })),
      bearer(await mintToken(key, { ...idToken, at_hash: undefined }, { typ: 'JWT' })),
      bearer(await mintToken(key, { ...idToken, nonce: undefined, at_hash: undefined, aud: [demo.audience, demo.console.clientId] }, { typ: 'JWT' })),
      bearer(await mintToken(key, { ...idToken, nonce: undefined, at_hash: undefined }, { typ: 'logout+jwt' })),
    ]);
    // The same claims as an access token (no ID token claim, not for the console's client) pass: the kind is what failed.
    const accessToken = await mintToken(key, { ...idToken, nonce: undefined, at_hash: undefined, aud: demo.audience });

    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect((await errorOf(answers[0]!)).message).toMatch(/^The bearer token is not an access token: It carries "nonce", a claim of ID tokens\./);
    expect((await bearer(accessToken)).status).toBe(200);
  });

  it('When the demo provider issues client-credentials tokens, then they are RFC 9068 access tokens (typ at+jwt) and pass', async () => {
    const token = await serviceToken(provider.issuer, 'svc-viewer');

    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ typ: 'at+jwt' });
    expect((await bearer(token)).status).toBe(200);
  });
});

describe('Without credentials', () => {
  it('When /api/v1/secrets or /api/v1/me is called, then 401 unauthenticated', async () => {
    for (const path of ['/api/v1/secrets', '/api/v1/me', '/api/v1/workflows/00000000-0000-0000-0000-000000000000']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(401);
      expect((await errorOf(res)).code).toBe('unauthenticated');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('When /api/v1/health or /api/v1/openapi.json is called, then 200: they stay public', async () => {
    const health = await fetch(`${url}/api/v1/health`);
    const openapi = await fetch(`${url}/api/v1/openapi.json`);

    expect(health.status).toBe(200);
    expect((await json(health)).status).toBe('ok');
    expect(openapi.status).toBe(200);
  });
});

describe('Tokens never leave the server', () => {
  it('When people sign in and service accounts call, then no response to the browser and no log line carries a token or a code', async () => {
    const { browser } = await signIn(url, 'pat');
    const body = await (await me(browser)).text();
    await bearer(await serviceToken(provider.issuer, 'svc-payments'));

    const logs = consoleApp.api.logs.lines.join('\n');
    expect(body).not.toMatch(/eyJ/);
    expect(browser.cookies.filter((c) => c.value.startsWith('eyJ'))).toEqual([]);
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(logs).not.toMatch(/code=/);
    expect(logs).toMatch(/signed in/);
  });
});
