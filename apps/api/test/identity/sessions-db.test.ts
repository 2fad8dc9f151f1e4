import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { Browser, signIn, startConsole } from '../support/identity-support.ts';

// Two API processes (two app instances in-process, each with its own pool or file handle) on
// one database, as behind a load balancer (one PUBLIC_URL): a session made through one is known to the other.
const provider = await startDemoProvider({ port: 0 });
afterAll(() => provider.stop());

const onDatabase = (database: TestDatabase, env: Record<string, string> = {}) =>
  startConsole(provider.issuer, {
    ...(database.options.url ? { DATABASE_URL: database.options.url } : { DATA_DIR: path.dirname(database.options.sqlitePath!) }),
    ...env,
  });

const csrfToken = async (browser: Browser, url: string) => ((await (await browser.request(`${url}/api/v1/csrf-token`)).json()) as { token: string }).token;

describe.each(TEST_DIALECTS)('Sessions in the database (%s)', (dialect) => {
  it('When a person signs in through one API process, then another process on the same database accepts the session', async () => {
    const database = await createTestDatabase(dialect);
    const a = await onDatabase(database);
    const b = await onDatabase(database, { PUBLIC_URL: a.url });
    try {
      const { browser } = await signIn(a.url, 'pat');
      const session = browser.cookie('rc_session')!;

      // Both processes are on 127.0.0.1: the browser sends the same cookies to both ports.
      const viaB = await browser.request(`${b.url}/api/v1/me`);
      const rows = await a.api.database.db.selectFrom('identity_records').selectAll().where('kind', '=', 'session').execute();

      expect(viaB.status).toBe(200);
      expect(await viaB.json()).toMatchObject({ id: 'pat', teams: ['payments'], via: 'session' });
      // The table holds an HMAC of the cookie's id, never the id, and no token.
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).not.toBe(session);
      expect(JSON.stringify(rows)).not.toContain(session);
      expect(JSON.stringify(rows)).not.toMatch(/eyJ|access_token|id_token/);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });

  it('When the person signs out through one process, then the session ends in every process', async () => {
    const database = await createTestDatabase(dialect);
    const a = await onDatabase(database);
    const b = await onDatabase(database, { PUBLIC_URL: a.url });
    try {
      const { browser } = await signIn(a.url, 'alice');
      const cookie = `rc_session=${browser.cookie('rc_session')!}`;

      const out = await browser.request(`${b.url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': await csrfToken(browser, b.url) } });
      const viaA = await fetch(`${a.url}/api/v1/me`, { headers: { cookie } });
      const viaB = await fetch(`${b.url}/api/v1/me`, { headers: { cookie } });

      expect(out.status).toBe(204);
      expect(viaA.status).toBe(401);
      expect(viaB.status).toBe(401);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });

  it('When SESSION_TTL_MS has passed, then no process accepts the session, and the expired row is swept by a later sign-in', async () => {
    const database = await createTestDatabase(dialect);
    const a = await onDatabase(database, { SESSION_TTL_MS: '1500' });
    const b = await onDatabase(database, { SESSION_TTL_MS: '1500', PUBLIC_URL: a.url });
    try {
      const { browser } = await signIn(a.url, 'vic');
      const fresh = await browser.request(`${b.url}/api/v1/me`);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const expiredA = await fetch(`${a.url}/api/v1/me`, { headers: { cookie: `rc_session=${browser.cookie('rc_session')!}` } });
      const expiredB = await fetch(`${b.url}/api/v1/me`, { headers: { cookie: `rc_session=${browser.cookie('rc_session')!}` } });
      // b has not swept yet in this run: its first create sweeps.
      await signIn(b.url, 'pat');
      const sessions = await a.api.database.db.selectFrom('identity_records').select(['expires_at']).where('kind', '=', 'session').execute();

      expect(fresh.status).toBe(200);
      expect(expiredA.status).toBe(401);
      expect(expiredB.status).toBe(401);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]!.expires_at > new Date().toISOString()).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });

  it('When a sign-in is started on one process and comes back to another, then it completes there, once', async () => {
    const database = await createTestDatabase(dialect);
    const a = await onDatabase(database);
    const b = await onDatabase(database, { PUBLIC_URL: a.url });
    try {
      const browser = new Browser();
      // The callback URL names a's port: stop there and replay the same query on b.
      const { stoppedAt } = await signIn(a.url, 'ida', { browser, stopAtCallback: true });
      const callbackOnB = new URL(`${stoppedAt!.pathname}${stoppedAt!.search}`, b.url);
      const replay = new Browser();
      replay.cookies.push(...browser.cookies);

      const done = await browser.request(callbackOnB);
      const again = await replay.request(callbackOnB);

      expect(done.status).toBe(303);
      expect((await browser.request(`${a.url}/api/v1/me`)).status).toBe(200);
      expect(again.status).toBe(401);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
