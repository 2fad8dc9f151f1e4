import { createHash, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type ClientMetadata, type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { loadDemoAccounts, type DemoAccount, type DemoAccounts } from './accounts.ts';

/**
 * The demo OpenID provider of the local default and the tests: oidc-provider 9 on
 * 127.0.0.1 with the people and service accounts of config/demo-accounts.json.
 *
 * - People sign in on a plain form ("Username", "Password", "Sign in"); the console is a
 *   first-party client, so consent is given without a page.
 * - ID tokens carry `groups` (released with the `openid` scope, as Cognito and Entra ID
 *   release theirs by configuration rather than by scope).
 * - The console is a confidential client (client_secret_basic) that must use PKCE; its
 *   loopback redirect URIs accept any port (RFC 8252), so any console port works.
 * - Service accounts use client credentials and get JWT access tokens (RFC 9068) for the
 *   console's audience (a resource indicator, RFC 8707), with their `groups`.
 * - Keys (signing and cookies) are new at every start unless given: nothing here is a
 *   secret worth keeping.
 */

export { DEMO_ACCOUNTS_FILE, loadDemoAccounts, type DemoAccount, type DemoAccounts, type DemoServiceAccount } from './accounts.ts';

export interface DemoProviderOptions {
  /** 0 picks a free port. The provider listens on 127.0.0.1 only. */
  port?: number;
  accounts?: DemoAccounts;
  /** Private signing keys (JWK); default: a new RSA key. Tests pass their own to mint tokens the API must refuse. */
  jwks?: { keys: JWK[] };
  /** Other resource indicators service accounts may ask tokens for (tests: a token for another audience). */
  extraResources?: string[];
  /** Lifetime of access tokens, in seconds (default 600). */
  accessTokenTtlSeconds?: number;
}

export interface DemoProvider {
  /** The issuer identifier, e.g. http://127.0.0.1:4011 (no trailing slash). */
  issuer: string;
  port: number;
  accounts: DemoAccounts;
  stop(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const newSigningKey = (): JWK => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), use: 'sig', alg: 'RS256' };
};

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
/** Compares digests so the time taken says nothing about the password. */
const samePassword = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f2f3f3;margin:0;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;border-radius:8px;padding:24px 32px;width:340px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
label{display:block;margin-top:12px;font-weight:600}
input{width:100%;box-sizing:border-box;padding:8px;margin-top:4px;border:1px solid #879596;border-radius:4px}
button{margin-top:20px;width:100%;padding:10px;background:#0972d3;color:#fff;border:0;border-radius:16px;font-weight:700;cursor:pointer}
.error{color:#d91515;margin-top:12px}.hint{color:#5f6b7a;font-size:13px;margin-top:16px}
</style></head><body><main>${body}</main></body></html>`;

const loginPage = (uid: string, accounts: DemoAccount[], error?: string, username = '') =>
  page(
    'Sign in - Rotation Console demo',
    `<h1>Sign in</h1>
<p>Rotation Console demo identity provider</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="hint">Demo accounts: ${accounts.map((a) => escapeHtml(a.username)).join(', ')}. Their passwords are in config/demo-accounts.json.</p>`,
  );

const readForm = (req: IncomingMessage, limit = 8192): Promise<URLSearchParams> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('form too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
};

/** Starts the demo provider on 127.0.0.1 and resolves once it listens. */
export const startDemoProvider = async (options: DemoProviderOptions = {}): Promise<DemoProvider> => {
  const demo = options.accounts ?? loadDemoAccounts();
  const people = new Map(demo.accounts.map((a) => [a.username, a]));
  const services = new Map(demo.serviceAccounts.map((s) => [s.clientId, s]));
  const resources = new Set([demo.audience, ...(options.extraResources ?? [])]);
  const accessTokenTTL = options.accessTokenTtlSeconds ?? 600;

  // The issuer names the port, so listen first and hand requests to the provider once it exists.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const loopbackOnly = demo.console.redirectUris.every((uri) => LOOPBACK_HOSTS.has(new URL(uri).hostname) && new URL(uri).protocol === 'http:');
  const consoleClient: ClientMetadata = {
    client_id: demo.console.clientId,
    client_secret: demo.console.clientSecret,
    client_name: 'Rotation Console',
    // "native" is what makes oidc-provider accept a loopback redirect URI on any port (RFC 8252 7.3).
    application_type: loopbackOnly ? 'native' : 'web',
    redirect_uris: demo.console.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  const serviceClients: ClientMetadata[] = demo.serviceAccounts.map((s) => ({
    client_id: s.clientId,
    client_secret: s.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  }));

  const configuration: Configuration = {
    clients: [consoleClient, ...serviceClients],
    jwks: options.jwks ?? { keys: [newSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: person.name, preferred_username: person.username, groups: person.groups }),
      };
    },
    claims: { openid: ['sub', 'groups'], profile: ['name', 'preferred_username'] },
    // Put the scopes' claims (groups, name) in the ID token itself, not only behind userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A service account that names no resource gets a token for the console.
        defaultResource: async (_ctx, client, oneOf) => oneOf ?? (services.has(client.clientId) ? demo.audience : undefined),
        getResourceServerInfo: async (_ctx, resource) => {
          if (!resources.has(resource)) throw new errors.InvalidTarget('unknown resource');
          return { scope: 'rotation', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') {
        const service = token.clientId ? services.get(token.clientId) : undefined;
        return service ? { groups: service.groups } : undefined;
      }
      const person = token.accountId ? people.get(token.accountId) : undefined;
      return person ? { groups: person.groups, preferred_username: person.username } : undefined;
    },
    ttl: { AccessToken: accessTokenTTL, ClientCredentials: accessTokenTTL, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    clientBasedCORS: () => false,
  };

  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => {
    process.stderr.write(`demo oidc provider: server_error ${err.name}: ${err.message}\n`);
  });
  const oidc = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
    const { prompt, params } = details;

    if (!action && req.method === 'GET') {
      if (prompt.name === 'login') return send(res, 200, loginPage(uid, demo.accounts));
      if (prompt.name === 'consent' && params.client_id === demo.console.clientId) {
        // The console is first party: consent is given for it, without a page.
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId: demo.console.clientId });
        if (!grant) throw new errors.InvalidRequest('grant not found');
        const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
      }
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'This demo provider only serves its own clients.' });
    }

    if (action === 'login' && req.method === 'POST' && prompt.name === 'login') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const person = people.get(username);
      // Compare even for an unknown user, so timing does not tell which usernames exist.
      const ok = samePassword(form.get('password') ?? '', person?.password ?? randomUUID()) && person !== undefined;
      if (!ok) return send(res, 401, loginPage(uid, demo.accounts, 'Wrong username or password.', username));
      return provider.interactionFinished(req, res, { login: { accountId: person.username } }, { mergeWithLastSubmission: false });
    }
    return send(res, 405, page('Not allowed', '<p>That is not something this page does.</p>'));
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/interaction\/([\w-]{1,64})(?:\/(login))?$/.exec(path);
    if (!match) {
      void oidc(req, res);
      return;
    }
    interaction(req, res, match[1]!, match[2]).catch((err: Error) => {
      if (res.headersSent) return res.destroy();
      // An expired or unknown interaction: the person starts again from the console.
      const expired = err instanceof errors.SessionNotFound || err instanceof errors.InvalidRequest;
      send(
        res,
        expired ? 400 : 500,
        page(
          'Sign-in failed',
          `<h1>Sign-in failed</h1><p>${expired ? 'This sign-in page has expired. Go back to the console and sign in again.' : 'Something went wrong.'}</p>`,
        ),
      );
      if (!expired) process.stderr.write(`demo oidc provider: ${err.name}: ${err.message}\n`);
    });
  });

  return {
    issuer,
    port,
    accounts: demo,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
