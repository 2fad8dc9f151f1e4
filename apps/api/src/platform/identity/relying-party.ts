import * as client from 'openid-client';
import { UpstreamError } from '../errors.ts';
import { isLoopbackHttp } from './identity-config.ts';

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
  /** Seconds each call to the provider may take. */
  timeoutSeconds?: number;
}

export interface LoginStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ProviderMetadata {
  /** Exactly as discovered; discovery refuses a document whose issuer differs from OIDC_ISSUER. */
  issuer: string;
  jwksUri: string;
}

/**
 * The console as an OpenID Connect client (openid-client 6): authorization code with PKCE,
 * state and nonce; the ID token's signature, `iss` (the discovered issuer, exactly),
 * `aud` (the client id), `exp`, `iat` and `nonce` are checked by openid-client. The
 * provider is discovered on first use, not at boot, so the API starts while the provider
 * is down; a failed discovery is tried again on the next request.
 */
export const createRelyingParty = ({ issuer, clientId, clientSecret, redirectUri, scopes, timeoutSeconds = 10 }: RelyingPartyOptions) => {
  let configuration: Promise<client.Configuration> | undefined;
  const insecure = isLoopbackHttp(new URL(issuer));

  const configure = (): Promise<client.Configuration> => {
    if (!configuration) {
      const attempt = client
        .discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(clientSecret), {
          // Plain http only for a provider on 127.0.0.1 (the demo provider); config refuses it elsewhere.
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: timeoutSeconds,
        })
        .catch((error: unknown) => {
          if (configuration === attempt) configuration = undefined;
          throw new UpstreamError({ kind: 'unavailable', message: 'The identity provider did not answer its discovery request.', cause: error });
        });
      configuration = attempt;
    }
    return configuration;
  };

  return {
    async metadata(): Promise<ProviderMetadata> {
      const server = (await configure()).serverMetadata();
      if (!server.jwks_uri) throw new UpstreamError({ kind: 'error', message: 'The identity provider publishes no jwks_uri.' });
      return { issuer: server.issuer, jwksUri: server.jwks_uri };
    },

    async startLogin(): Promise<LoginStart> {
      const config = await configure();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },

    /**
     * Checks the authorization response against what /auth/login stored, exchanges the code
     * (with the PKCE verifier) and returns the ID token's claims. Throws on any mismatch.
     */
    async finishLogin(query: string, expected: { state: string; nonce: string; codeVerifier: string }): Promise<Record<string, unknown>> {
      const config = await configure();
      // Built from PUBLIC_URL, never from the request's Host header.
      const current = new URL(redirectUri);
      current.search = query;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token in the token response');
      return { ...claims };
    },
  };
};

export type RelyingParty = ReturnType<typeof createRelyingParty>;
