import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '../support/identity-support.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

/**
 * The local default against a page on another site (issue 10): DNS rebinding (a name of the
 * attacker's that resolves to 127.0.0.1) and cross-site requests. Real HTTP on a real port, so
 * the Host header is exactly what a browser sends; the state is read back from moto.
 */
const SECRET = 'prod/identity/sessions-db';
const turnOff = `/api/v1/secrets/${encodeURIComponent(SECRET)}/operations`;

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
const send = (
  port: number,
  { method = 'GET', path, headers = {}, body }: { method?: string; path: string; headers?: Record<string, string>; body?: unknown },
) =>
  new Promise<Sent>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

const listen = async (app: RequestListener) => {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
};

const rotationEnabled = async () => (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET }))).RotationEnabled;

const local = await buildApi();
// The app as the web app calls it (it sends the CSRF token) and as a forged request meets it.
const asWebApp = await listen(local.app);
const bare = await listen(local.bareApp);

afterAll(async () => {
  for (const { server } of [asWebApp, bare]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await local.close();
});

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
});

const turnOffWorkflows = async () =>
  local.store.list({ subject: (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET }))).ARN!, kind: 'turn-off' });

describe('Host check (AUTH_MODE=local)', () => {
  it('When a page on evil.example (rebound to 127.0.0.1) turns rotation off, then 421 with the error body, and rotation stays on in AWS', async () => {
    expect(await rotationEnabled()).toBe(true);

    const res = await send(asWebApp.port, {
      method: 'POST',
      path: turnOff,
      headers: { host: `evil.example:${asWebApp.port}`, origin: `http://evil.example:${asWebApp.port}`, 'idempotency-key': randomUUID() },
      body: { operation: 'turn-off' },
    });

    expect(res.status).toBe(421);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'misdirected_request', message: expect.stringContaining(`does not answer for the host "evil.example:${asWebApp.port}"`) },
      requestId: res.headers['x-request-id'],
    });
    expect(await rotationEnabled()).toBe(true);
    expect((await turnOffWorkflows()).items).toEqual([]);
  });

  it('When a rebound page reads the API or a page of the web app, then 421 too: nothing is answered for another name', async () => {
    for (const path of ['/api/v1/csrf-token', '/api/v1/secrets', '/api/v1/health', '/', '/dashboard']) {
      const res = await send(asWebApp.port, { path, headers: { host: `evil.example:${asWebApp.port}` } });
      expect(res.status, path).toBe(421);
      expect(res.body, path).not.toContain(SECRET);
    }
  });

  it('When Host is 127.0.0.1 or localhost on the port the request came in on, then it is answered; on another port, or another name, 421', async () => {
    const port = asWebApp.port;
    const statusFor = async (host: string) => (await send(port, { path: '/api/v1/me', headers: { host } })).status;

    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`LOCALHOST:${port}`)).toBe(200);
    expect(await statusFor(`127.0.0.1:${port + 1}`)).toBe(421);
    expect(await statusFor('127.0.0.1')).toBe(421);
    expect(await statusFor(`127.0.0.1.evil.example:${port}`)).toBe(421);
    expect(await statusFor(`[::1]:${port}`)).toBe(421); // this server listens on 127.0.0.1 only
    expect(await statusFor(`evil.example@127.0.0.1:${port}`)).toBe(421);
  });

  it('When PUBLIC_URL is set, then its host is answered (behind a proxy) and another port of it is not', async () => {
    const proxied = await buildApi({ PUBLIC_URL: 'https://rotation.example.com' });
    const { server, port } = await listen(proxied.app);
    try {
      const statusFor = async (host: string) => (await send(port, { path: '/api/v1/me', headers: { host } })).status;

      expect(await statusFor('rotation.example.com')).toBe(200);
      expect(await statusFor('rotation.example.com:443')).toBe(200);
      expect(await statusFor('rotation.example.com:8443')).toBe(421);
      expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxied.close();
    }
  });
});

describe('CSRF token with AUTH_MODE=local', () => {
  it('When a page on another site posts a turn-off to 127.0.0.1 without the token, then 403 csrf_rejected and rotation stays on', async () => {
    const res = await send(bare.port, {
      method: 'POST',
      path: turnOff,
      headers: { host: `127.0.0.1:${bare.port}`, origin: 'http://evil.example', 'idempotency-key': randomUUID() },
      body: { operation: 'turn-off' },
    });

    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('csrf_rejected');
    expect(await rotationEnabled()).toBe(true);
    expect((await turnOffWorkflows()).items).toEqual([]);
  });

  it('When the web app reads the token and sends it with its cookie, then the POST is answered', async () => {
    const host = `127.0.0.1:${bare.port}`;
    const token = await send(bare.port, { path: '/api/v1/csrf-token', headers: { host } });
    const { token: value, header } = JSON.parse(token.body) as { token: string; header: string };
    const cookie = [token.headers['set-cookie'] ?? []]
      .flat()
      .map((c) => c.split(';')[0])
      .join('; ');

    const withToken = await send(bare.port, {
      method: 'POST',
      path: '/api/v1/schedule-previews',
      headers: { host, cookie, [header]: value },
      body: { schedule: { kind: 'days', days: 30 } },
    });
    const tokenWithoutCookie = await send(bare.port, {
      method: 'POST',
      path: '/api/v1/schedule-previews',
      headers: { host, [header]: value },
      body: { schedule: { kind: 'days', days: 30 } },
    });

    expect(value).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    expect(header).toBe('x-csrf-token');
    expect(withToken.status).toBe(200);
    expect(tokenWithoutCookie.status).toBe(403);
  });
});

describe('Host check (AUTH_MODE=oidc)', () => {
  it('When a request names another host, then 421 before any sign-in route or API answer', async () => {
    const provider = await startDemoProvider({ port: 0 });
    const oidc = await startConsole(provider.issuer);
    try {
      const port = Number(new URL(oidc.url).port);
      const login = await send(port, { path: '/auth/login', headers: { host: `evil.example:${port}` } });
      const health = await send(port, { path: '/api/v1/health', headers: { host: `evil.example:${port}` } });
      const own = await send(port, { path: '/api/v1/health', headers: { host: `127.0.0.1:${port}` } });

      expect([login.status, health.status, own.status]).toEqual([421, 421, 200]);
    } finally {
      await oidc.close();
      await provider.stop();
    }
  });
});
