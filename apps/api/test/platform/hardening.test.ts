import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { serviceToken, signIn, startConsole, type Browser } from '../support/identity-support.ts';
import { buildApi } from '../support/support.ts';

// Headers, error bodies and body limits on the local default; CSRF and the sign-in rate
// limit with AUTH_MODE=oidc against the demo provider (oidc-provider 9).
const local = await buildApi();
const provider = await startDemoProvider({ port: 0 });
const oidc = await startConsole(provider.issuer);

afterAll(async () => {
  await local.close();
  await oidc.close();
  await provider.stop();
});

const preview = { schedule: { kind: 'expression', expression: 'rate(30 days)' } };
const errorOf = async (res: Response) => (await res.json()) as { error: { code: string; message: string }; requestId: string };

describe('Security headers', () => {
  it('When any answer leaves the API, then it carries the strict CSP, nosniff, no framing and no referrer', async () => {
    for (const path of ['/api/v1/health', '/api/v1/nope', '/api/v1/openapi.json']) {
      const res = await request(local.app).get(path);
      const csp = res.headers['content-security-policy'] as string;

      expect(csp.split(/;\s*/)).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "object-src 'none'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
        ]),
      );
      expect(csp).not.toMatch(/unsafe-(eval|inline)/);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('When the console is served over http, then it claims no HSTS and asks for no https upgrade', async () => {
    const res = await request(local.app).get('/api/v1/health');

    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('Error answers', () => {
  it('When the API answers 200, 400, 404 or 413, then the answer is Cache-Control: no-store', async () => {
    const answers = await Promise.all([
      request(local.app).get('/api/v1/secrets'),
      request(local.app).get('/api/v1/secrets?limit=5000'),
      request(local.app).get('/api/v1/nope'),
      request(local.app)
        .post('/api/v1/schedule-previews')
        .send({ ...preview, padding: 'x'.repeat(200_000) }),
    ]);

    expect(answers.map((r) => r.status)).toEqual([200, 400, 404, 413]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('When a body is larger than MAX_BODY_BYTES, then 413 too_large saying the limit, before anything runs', async () => {
    const res = await request(local.app)
      .post('/api/v1/workflows')
      .send({ padding: 'x'.repeat(150_000) });

    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'too_large', message: 'The request body is larger than the 100 KiB this API accepts.' });
  });

  it('When MAX_BODY_BYTES is raised, then the same body is read', async () => {
    const roomy = await buildApi({ MAX_BODY_BYTES: '400000' });
    try {
      const res = await request(roomy.app)
        .post('/api/v1/schedule-previews')
        .send({ ...preview, padding: 'x'.repeat(150_000) });
      expect(res.status).not.toBe(413);
    } finally {
      await roomy.close();
    }
  });

  it('When the body is not JSON, then 400 saying to send JSON', async () => {
    const res = await request(local.app).post('/api/v1/schedule-previews').set('content-type', 'application/json').send('{"schedule":');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/send JSON/);
  });

  it('When something breaks inside the API (its database is gone), then 500 with a generic message and the request id, never the cause', async () => {
    const broken = await buildApi();
    await broken.database.destroy();

    const res = await request(broken.app).get(`/api/v1/workflows/${randomUUID()}`);
    await broken.close().catch(() => undefined);

    expect(res.status).toBe(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side. Quote the request id when reporting it.' },
      requestId: res.headers['x-request-id'],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/destroy|kysely|sqlite|at .*\.ts/i);
    expect(broken.logs.lines.join('\n')).toContain(res.headers['x-request-id']);
  });
});

describe('CSRF protection of cookie sessions', () => {
  const tokenOf = async (browser: Browser, url = oidc.url) =>
    ((await (await browser.request(`${url}/api/v1/csrf-token`)).json()) as { token: string | null }).token;

  it('When a signed-in person POSTs without the token, then 403 csrf_rejected saying where to get it', async () => {
    const { browser } = await signIn(oidc.url, 'alice');

    const res = await browser.request(`${oidc.url}/api/v1/schedule-previews`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    const body = await errorOf(res);

    expect(res.status).toBe(403);
    expect(body.error.code).toBe('csrf_rejected');
    expect(body.error.message).toMatch(/GET \/api\/v1\/csrf-token.*x-csrf-token/);
  });

  it('When the token is wrong or belongs to another session, then 403; with its own token the POST goes through', async () => {
    const { browser } = await signIn(oidc.url, 'alice');
    const { browser: other } = await signIn(oidc.url, 'alice');
    const otherToken = (await tokenOf(other))!;
    const ownToken = (await tokenOf(browser))!;
    const send = (token: string) =>
      fetch(`${oidc.url}/api/v1/schedule-previews`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': token,
          cookie: browser.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        },
        body: JSON.stringify(preview),
      });

    const wrong = await send(`${ownToken.slice(0, -4)}AAAA`);
    const foreign = await send(otherToken);
    const own = await send(ownToken);

    expect(ownToken).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    expect(wrong.status).toBe(403);
    expect(foreign.status).toBe(403);
    expect(own.status).toBe(200);
  });

  it('When the token cookie is set, then it is HttpOnly and SameSite=Strict', async () => {
    const { browser } = await signIn(oidc.url, 'pat');

    const res = await browser.request(`${oidc.url}/api/v1/csrf-token`);

    expect(res.headers.getSetCookie().join('\n')).toMatch(/^rc_csrf=[0-9a-f.]+; Path=\/; HttpOnly; SameSite=Strict$/m);
  });

  it('When a person signs out without the token, then 403 and the session lives on; with it, the session ends', async () => {
    const { browser } = await signIn(oidc.url, 'vic');

    const forged = await browser.request(`${oidc.url}/auth/logout`, { method: 'POST' });
    const stillIn = await browser.request(`${oidc.url}/api/v1/me`);
    const out = await browser.request(`${oidc.url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': (await tokenOf(browser))! } });

    expect(forged.status).toBe(403);
    expect(stillIn.status).toBe(200);
    expect(out.status).toBe(204);
  });

  it('When a service account POSTs with its bearer token, then no CSRF token is needed', async () => {
    const token = await serviceToken(provider.issuer, 'svc-payments');

    const res = await fetch(`${oidc.url}/api/v1/schedule-previews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(preview),
    });
    const forBearer = (await (await fetch(`${oidc.url}/api/v1/csrf-token`, { headers: { authorization: `Bearer ${token}` } })).json()) as { token: unknown };

    expect(res.status).toBe(200);
    expect(forBearer.token).toBeNull();
  });

  // AUTH_MODE=local needs the token too: host-check.test.ts.

  it('When nobody is signed in, then the token endpoint answers 401', async () => {
    expect((await fetch(`${oidc.url}/api/v1/csrf-token`)).status).toBe(401);
  });
});

describe('Sign-in rate limit', () => {
  it('When one address starts more sign-ins than LOGIN_RATE_LIMIT in the window, then 429 with Retry-After and a clear message', async () => {
    const limited = await startConsole(provider.issuer, { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_MS: '60000' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/auth/login`, { redirect: 'manual' })).status);
      const refused = await fetch(`${limited.url}/auth/login`, { redirect: 'manual' });
      const body = await errorOf(refused);

      expect(statuses).toEqual([303, 303, 303]);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.message).toMatch(/^Too many sign-in attempts from your address\. Try again in \d+ seconds\.$/);
    } finally {
      await limited.close();
    }
  });

  it('When the callback is hammered, then it is limited on its own count too', async () => {
    const limited = await startConsole(provider.issuer, { LOGIN_RATE_LIMIT: '2' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/auth/callback?code=x&state=y`, { redirect: 'manual' })).status);

      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('When the window has passed, then the address may sign in again', async () => {
    const limited = await startConsole(provider.issuer, { LOGIN_RATE_LIMIT: '1', LOGIN_RATE_WINDOW_MS: '1000' });
    try {
      const first = await fetch(`${limited.url}/auth/login`, { redirect: 'manual' });
      const second = await fetch(`${limited.url}/auth/login`, { redirect: 'manual' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const later = await fetch(`${limited.url}/auth/login`, { redirect: 'manual' });

      expect([first.status, second.status, later.status]).toEqual([303, 429, 303]);
    } finally {
      await limited.close();
    }
  });
});
