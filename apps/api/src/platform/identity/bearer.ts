import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal } from '../auth.ts';
import { UpstreamError } from '../errors.ts';
import { principalFromClaims } from './claims.ts';
import type { RoleMapping } from './identity-config.ts';
import type { ProviderMetadata } from './relying-party.ts';
import { UnauthenticatedError } from './unauthenticated.ts';

/** Asymmetric algorithms only: never `none`, never an HMAC that would need a shared secret. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface BearerVerifierOptions {
  metadata: () => Promise<ProviderMetadata>;
  audience: string;
  /** The console's own client id (OIDC_CLIENT_ID): a token addressed to it is an ID token of a sign-in. */
  clientId: string;
  roleClaim: string;
  mapping: RoleMapping;
  /** Seconds of clock difference allowed on exp/nbf/iat. */
  clockToleranceSeconds?: number;
}

const why = (error: errors.JOSEError): string => {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The access token's "${error.claim}" claim is not accepted here.`;
  return 'The access token is not valid.';
};

/** Claims only an ID token carries (OpenID Connect Core 2 and 3.1.3.6): an access token has none. */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash', 's_hash'] as const;
/** `typ` of an RFC 9068 access token; `JWT` or none is what most providers' access tokens and every ID token carry. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);
const PLAIN_TYPES = new Set(['jwt', 'application/jwt']);

/**
 * Why a verified token is not an access token for this API, or null when it is one. An ID token is
 * proof of a sign-in for the client it names, never a credential for an API, whatever its `aud`
 * (a provider may list several, or an API's own registration may sign people in). Refused: any
 * `typ` other than RFC 9068's `at+jwt` or plain `JWT` (Entra ID, Cognito and others mark their
 * access tokens so); a claim only ID tokens carry; an `aud` that names the console's client.
 */
export const notAnAccessToken = (header: { typ?: string | undefined }, payload: Record<string, unknown>, clientId: string): string | null => {
  const typ = header.typ?.toLowerCase();
  if (typ !== undefined && !ACCESS_TOKEN_TYPES.has(typ) && !PLAIN_TYPES.has(typ))
    return `Its type "${header.typ!.slice(0, 40)}" is not an access token's (at+jwt).`;
  const idClaim = ID_TOKEN_CLAIMS.find((claim) => payload[claim] !== undefined);
  if (idClaim) return `It carries "${idClaim}", a claim of ID tokens.`;
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.includes(clientId)) return "It is addressed to the console's own client (an ID token of a sign-in).";
  return null;
};

/**
 * Checks `Authorization: Bearer` access tokens (JWTs, RFC 9068 or the provider's own) against
 * the issuer's JWKS: signature, `iss` equal to the discovered issuer, `aud` containing
 * OIDC_AUDIENCE, `exp` (and `nbf`) with a few seconds of tolerance, and that it is an access
 * token, never an ID token (notAnAccessToken). Roles and teams come from the same claim as at login.
 */
export const createBearerVerifier = ({ metadata, audience, clientId, roleClaim, mapping, clockToleranceSeconds = 5 }: BearerVerifierOptions) => {
  let jwks: { uri: string; get: JWTVerifyGetKey } | undefined;
  return async (token: string): Promise<Principal> => {
    const { issuer, jwksUri } = await metadata();
    if (jwks?.uri !== jwksUri) jwks = { uri: jwksUri, get: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) };
    let payload: Record<string, unknown>;
    let header: { typ?: string | undefined };
    try {
      ({ payload, protectedHeader: header } = await jwtVerify(token, jwks.get, {
        issuer,
        audience,
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      // The key set could not be fetched (timeout, refused, not 200): the provider is down, not the token wrong.
      const keysUnreadable = !(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error.code === 'ERR_JOSE_GENERIC';
      if (keysUnreadable) throw new UpstreamError({ kind: 'unavailable', message: "The identity provider's signing keys could not be read.", cause: error });
      throw new UnauthenticatedError({ message: why(error) });
    }
    const notAccess = notAnAccessToken(header, payload, clientId);
    if (notAccess) throw new UnauthenticatedError({ message: `The bearer token is not an access token: ${notAccess} Send an access token for ${audience}.` });
    return principalFromClaims(payload, { roleClaim, mapping });
  };
};
