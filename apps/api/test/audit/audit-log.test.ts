import { afterAll, describe, expect, it, vi } from 'vitest';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { Browser, serviceToken, signIn, startConsole } from '../support/identity-support.ts';
import { reset } from '../support/support.ts';

// The audit trail of sign-ins, sign-outs, refusals and changes, and GET /api/v1/audit for admins,
// with AUTH_MODE=oidc against the demo provider and the API's SQLite store.
await reset();
const provider = await startDemoProvider({ port: 0 });
const app = await startConsole(provider.issuer);
const { url } = app;
afterAll(async () => {
  await app.close();
  await provider.stop();
});

interface Audit {
  items: {
    actor: { id: string; name: string };
    action: string;
    subject: string;
    outcome: string;
    sourceIp: string | null;
    userAgent: string | null;
    after: unknown;
    at: string;
    count: number;
  }[];
  nextCursor: string | null;
}
const csrf = async (browser: Browser) => ((await (await browser.request(`${url}/api/v1/csrf-token`)).json()) as { token: string }).token;
const admin = (await signIn(url, 'alice')).browser;
const audit = async (query = '') => {
  const res = await admin.request(`${url}/api/v1/audit${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Audit;
};

describe('What the audit log records', () => {
  it('When a person signs in and out, then both are recorded with who, when and from where', async () => {
    const { browser } = await signIn(url, 'pat');
    await browser.request(`${url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': await csrf(browser), 'user-agent': 'audit-test/1.0' } });

    const { items } = await audit('?actor=pat');

    expect(items.map((i) => [i.action, i.outcome])).toEqual([
      ['auth.logout', 'success'],
      ['auth.login', 'success'],
    ]);
    expect(items[1]).toMatchObject({
      actor: { id: 'pat', name: 'Pat Payments' },
      subject: 'session',
      sourceIp: '127.0.0.1',
      after: { roles: ['operator'], teams: ['payments'] },
    });
    expect(items[0]!.userAgent).toBe('audit-test/1.0');
    expect(Date.now() - Date.parse(items[0]!.at)).toBeLessThan(60_000);
  });

  it('When a sign-in fails (a callback this browser never started), then a failed auth.login is recorded', async () => {
    await new Browser().request(`${url}/auth/callback?code=forged-code&state=forged-state`);

    const { items } = await audit('?action=auth.login&outcome=failure');

    expect(items[0]).toMatchObject({ actor: { id: 'anonymous' }, outcome: 'failure', after: { reason: 'no sign-in in progress in this browser' } });
  });

  it('When the policy refuses someone, then access.denied names them, the route and the code', async () => {
    const { browser } = await signIn(url, 'vic');
    const refused = await browser.request(`${url}/api/v1/audit`);

    const { items } = await audit('?action=access.denied&actor=vic');

    expect(refused.status).toBe(403);
    expect(items[0]).toMatchObject({
      actor: { id: 'vic' },
      subject: 'GET /api/v1/audit',
      outcome: 'denied',
      after: { status: 403, code: 'not_allowed', via: 'session' },
    });
  });

  it('When a bad bearer token is sent, then access.unauthenticated is counted for its address; a call without credentials is not', async () => {
    const counted = async () => (await audit('?action=access.unauthenticated')).items.reduce((sum, i) => sum + i.count, 0);
    const before = await counted();
    await fetch(`${url}/api/v1/secrets?x=1`, { headers: { authorization: 'Bearer not.a.token' } });
    await fetch(`${url}/api/v1/secrets`);

    const { items } = await audit('?action=access.unauthenticated');

    expect(await counted()).toBe(before + 1);
    expect(items[0]).toMatchObject({
      actor: { id: 'anonymous' },
      sourceIp: '127.0.0.1',
      outcome: 'denied',
      after: { status: 401, code: 'unauthenticated', via: 'bearer' },
    });
  });

  it('When 300 anonymous requests with bogus bearer tokens and 16 KB paths arrive, then the audit log gains one record per address and minute, counting 300, and no subject is longer than 512 characters', async () => {
    const rows = () => app.api.database.db.selectFrom('audit_log').selectAll().execute();
    const countOf = (all: { action: string; repeat_count: number }[]) =>
      all.filter((r) => r.action === 'access.unauthenticated').reduce((sum, r) => sum + r.repeat_count, 0);
    const before = await rows();
    const path = `/api/v1/secrets/${'a'.repeat(16_000)}`;

    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => fetch(`${url}${path}`, { headers: { authorization: `Bearer bogus.token.${i}` } }).then((r) => r.status)),
    );
    // Each refusal is counted as its answer leaves: wait until all 300 are.
    await vi.waitFor(async () => expect(countOf(await rows())).toBe(countOf(before) + 300));
    const after = await rows();

    expect(statuses).toEqual(Array(300).fill(401));
    // This address's record of this minute (an earlier test may have opened it) counts them; a second
    // record only if the 300 straddle the end of a minute.
    expect(after.length - before.length).toBeLessThanOrEqual(2);
    expect(Math.max(...after.map((r) => r.subject.length))).toBeLessThanOrEqual(512);
  });

  it('When people sign in, fail, call with tokens and sign out, then no audit record holds a token, a code, a cookie or a CSRF token', async () => {
    const token = await serviceToken(provider.issuer, 'svc-payments');
    await fetch(`${url}/api/v1/audit`, { headers: { authorization: `Bearer ${token}` } });
    const { browser } = await signIn(url, 'ida');
    const csrfToken = await csrf(browser);
    await browser.request(`${url}/api/v1/schedule-previews`, { method: 'POST' });
    await browser.request(`${url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrfToken } });

    const rows = await app.api.database.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(rows);
    const secrets = [token, csrfToken, ...browser.cookies.map((c) => c.value), ...admin.cookies.map((c) => c.value), 'forged-code'];

    expect(rows.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[\w-]{10,}/); // no JWT of any kind
    expect(rows.some((r) => r.action === 'access.denied' && r.actor_id === 'svc-payments')).toBe(true);
  });
});

describe('GET /api/v1/audit', () => {
  it('When an admin filters by action prefix, outcome and time range, then only those records come back, newest first', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();

    const logins = await audit(`?action=auth.&outcome=success&from=${since}`);
    const future = await audit(`?from=${new Date(Date.now() + 3_600_000).toISOString()}`);
    const past = await audit(`?to=${new Date(Date.now() - 3_600_000).toISOString()}`);

    expect(logins.items.length).toBeGreaterThan(2);
    expect(logins.items.every((i) => i.action.startsWith('auth.') && i.outcome === 'success')).toBe(true);
    expect(logins.items.map((i) => i.at)).toEqual([...logins.items.map((i) => i.at)].sort().reverse());
    expect(future.items).toEqual([]);
    expect(past.items).toEqual([]);
  });

  it('When the subject filter is given, then records whose subject contains it come back (LIKE wildcards are plain text)', async () => {
    const route = await audit('?subject=/api/v1/audit');
    const wildcard = await audit('?subject=%25');

    expect(route.items.length).toBeGreaterThan(0);
    expect(route.items.every((i) => i.subject.includes('/api/v1/audit'))).toBe(true);
    expect(wildcard.items).toEqual([]);
  });

  it('When the log is longer than a page, then nextCursor brings the next, older page without repeats', async () => {
    const first = await audit('?limit=2');
    const second = await audit(`?limit=2&cursor=${first.nextCursor!}`);

    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(second.items[0]!.at <= first.items[1]!.at).toBe(true);
    expect(new Set([...first.items, ...second.items].map((i) => JSON.stringify(i))).size).toBe(4);
  });

  it('When a filter is malformed, then 400 names the field', async () => {
    const res = await admin.request(`${url}/api/v1/audit?from=yesterday&limit=500`);
    const body = (await res.json()) as { error: { message: string; details: { path: string }[] } };

    expect(res.status).toBe(400);
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['from', 'limit']);
  });
});
