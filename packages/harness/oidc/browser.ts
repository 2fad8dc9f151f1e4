import { loadDemoAccounts } from './accounts.ts';

/*
 * Signing in to the console through the demo provider's real login flow without a browser:
 * the API's OIDC tests, the fuzzing run and the load benchmark use it to get a session cookie.
 */

const demo = loadDemoAccounts();

export interface StoredCookie {
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

  /** The `cookie` header this browser sends with a request to `url`. */
  cookieHeader(url: URL) {
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
  {
    browser = new Browser(),
    password,
    stopAtCallback = false,
    returnTo,
  }: { browser?: Browser; password?: string; stopAtCallback?: boolean; returnTo?: string } = {},
) => {
  const start = new URL('/auth/login', consoleUrl);
  if (returnTo !== undefined) start.searchParams.set('returnTo', returnTo);
  const page = await browser.navigate(start);
  const html = await page.res.text();
  if (page.res.status !== 200 || !html.includes('Username')) throw new Error(`expected the login form, got ${page.res.status} at ${page.url.href}`);
  const secret = password ?? demo.accounts.find((a) => a.username === username)?.password ?? 'wrong';
  const isCallback = (next: URL) => next.href.startsWith(`${consoleUrl}/auth/callback`);
  const done = await browser.navigate(formAction(html, page.url), {
    form: { username, password: secret },
    stopAt: (next) => stopAtCallback && isCallback(next),
  });
  return { browser, ...done };
};

/** The `cookie` header a signed-in demo account's browser sends to the console (its session). */
export const sessionCookieHeader = async (consoleUrl: string, username: string) => {
  // Back to an API route, not the web app (the console may serve the API alone).
  const { browser, res, url } = await signIn(consoleUrl, username, { returnTo: '/api/v1/me' });
  if (res.status !== 200) throw new Error(`signing in as ${username} ended with HTTP ${res.status} at ${url.href}`);
  const header = browser.cookieHeader(new URL('/api/v1/', consoleUrl));
  if (!header) throw new Error(`signing in as ${username} left no cookie for ${consoleUrl}`);
  return header;
};

/**
 * What a script signed in as `username` sends on every request: the cookies (session and
 * CSRF) and the session's CSRF token, which every POST of a cookie session needs.
 */
export const sessionHeaders = async (consoleUrl: string, username: string): Promise<Record<string, string>> => {
  const { browser, res, url } = await signIn(consoleUrl, username, { returnTo: '/api/v1/me' });
  if (res.status !== 200) throw new Error(`signing in as ${username} ended with HTTP ${res.status} at ${url.href}`);
  const answer = await browser.request(new URL('/api/v1/csrf-token', consoleUrl));
  const { token, header } = (await answer.json()) as { token: string | null; header: string };
  const cookie = browser.cookieHeader(new URL('/api/v1/', consoleUrl));
  if (!cookie || !token) throw new Error(`signing in as ${username} left no session or CSRF token for ${consoleUrl}`);
  return { Cookie: cookie, [header]: token };
};
