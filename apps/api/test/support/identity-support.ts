import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, SignJWT, type JWK } from 'jose';
import { loadDemoAccounts } from '@rotation-console/harness/oidc/provider.ts';
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
export const serviceToken = async (issuer: string, clientId: string, resource = demo.audience, accounts = demo) => {
  const secret = accounts.serviceAccounts.find((s) => s.clientId === clientId)!.clientSecret;
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

// The cookie-keeping client and the scripted sign-in live in the harness (the fuzzing run and the load benchmark use them too).
export { Browser, formAction, signIn, type Hop } from '@rotation-console/harness/oidc/browser.ts';
