import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, SignJWT, type JWK } from 'jose';
import { loadDemoAccounts } from '@rotation-console/e2e/harness/oidc/provider.ts';
import { buildApi } from './support.ts';

export const demo = loadDemoAccounts();

/** An RSA signing key the test gives the demo provider, so it can also mint tokens the API must refuse. */
export const testSigningKey = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), use: 'sig', alg: 'RS256' } as JWK & { kid: string };
};

export const mintToken = async (key: JWK & { kid: string }, claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...header }).sign(await importJWK(key, 'RS256'));

/** A client-credentials access token of a demo service account, as a CI job would get it. */
export const serviceToken = async (issuer: string, clientId: string, resource = demo.audience) => {
  const secret = demo.serviceAccounts.find((s) => s.clientId === clientId)!.clientSecret;
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
};

/**
 * The API in-process with AUTH_MODE=oidc, listening on a real 127.0.0.1 port: the provider
 * sends the browser back to PUBLIC_URL/auth/callback, so the port must be known first.
 */
export const startConsole = async (issuer: string, env: Record<string, string> = {}) => {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = await buildApi({
    AUTH_MODE: 'oidc',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: demo.console.clientId,
    OIDC_CLIENT_SECRET: demo.console.clientSecret,
    OIDC_AUDIENCE: demo.audience,
    PUBLIC_URL: url,
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    ...env,
  });
  server.on('request', api.app);
  return {
    url,
    api,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
};

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export interface Hop {
  method: string;
  url: string;
  status: number;
}

/**
 * A cookie-keeping HTTP client that follows redirects the way a browser does: cookies are
 * per host (not per port, as in browsers) and path; 303 (and 301/302 after a POST) turn into
 * a GET. `stopAt` hands back a redirect target instead of following it.
 */
export class Browser {
  readonly cookies: StoredCookie[] = [];
  readonly hops: Hop[] = [];

  cookie(name: string) {
    return this.cookies.find((c) => c.name === name)?.value;
  }

  private cookieHeader(url: URL) {
    return this.cookies
      .filter((c) => c.host === url.hostname && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      const path = attr('path') ?? url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1 || 1);
      const expired = attr('max-age') === '0' || (attr('expires') !== undefined && new Date(attr('expires')!).getTime() < Date.now());
      const index = this.cookies.findIndex((c) => c.name === name && c.host === url.hostname && c.path === path);
      if (index >= 0) this.cookies.splice(index, 1);
      if (!expired) this.cookies.push({ name, value, host: url.hostname, path });
    }
  }

  async request(url: string | URL, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const target = new URL(url);
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(target, { method, headers, redirect: 'manual', ...(init.form ? { body: new URLSearchParams(init.form) } : {}) });
    this.store(target, res);
    this.hops.push({ method, url: target.href, status: res.status });
    return res;
  }

  /** Requests and follows redirects; stops at the first redirect whose target `stopAt` accepts. */
  async navigate(url: string | URL, init: { method?: string; form?: Record<string, string>; stopAt?: (next: URL) => boolean } = {}) {
    let current = new URL(url);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let form = init.form;
    for (let i = 0; i < 20; i++) {
      const res = await this.request(current, { method, ...(form ? { form } : {}) });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current, stoppedAt: undefined };
      const next = new URL(location, current);
      if (init.stopAt?.(next)) return { res, url: current, stoppedAt: next };
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        form = undefined;
      }
      current = next;
    }
    throw new Error('too many redirects');
  }
}

/** The login form's action, from the provider's page. */
export const formAction = (html: string, pageUrl: URL) => {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form on ${pageUrl.href}: ${html.slice(0, 200)}`);
  return new URL(match[1]!.replace(/&amp;/g, '&'), pageUrl);
};

/**
 * Signs in through the real flow: /auth/login -> the provider's form -> Username/Password ->
 * (consent, given for the first-party console) -> the console's /auth/callback. With
 * `stopAtCallback`, hands back the callback URL unvisited.
 */
export const signIn = async (
  consoleUrl: string,
  username: string,
  { browser = new Browser(), password, stopAtCallback = false, returnTo }: { browser?: Browser; password?: string; stopAtCallback?: boolean; returnTo?: string } = {},
) => {
  const start = new URL('/auth/login', consoleUrl);
  if (returnTo !== undefined) start.searchParams.set('returnTo', returnTo);
  const page = await browser.navigate(start);
  const html = await page.res.text();
  if (page.res.status !== 200 || !html.includes('Username')) throw new Error(`expected the login form, got ${page.res.status} at ${page.url.href}`);
  const secret = password ?? demo.accounts.find((a) => a.username === username)?.password ?? 'wrong';
  const isCallback = (next: URL) => next.href.startsWith(`${consoleUrl}/auth/callback`);
  const done = await browser.navigate(formAction(html, page.url), { form: { username, password: secret }, stopAt: (next) => stopAtCallback && isCallback(next) });
  return { browser, ...done };
};
