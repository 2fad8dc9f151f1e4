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

/**
 * Checks `Authorization: Bearer` access tokens (JWTs, RFC 9068 or the provider's own) against
 * the issuer's JWKS: signature, `iss` equal to the discovered issuer, `aud` containing
 * OIDC_AUDIENCE, `exp` (and `nbf`) with a few seconds of tolerance. Roles and teams come
 * from the same claim as at login.
 */
export const createBearerVerifier = ({ metadata, audience, roleClaim, mapping, clockToleranceSeconds = 5 }: BearerVerifierOptions) => {
  let jwks: { uri: string; get: JWTVerifyGetKey } | undefined;
  return async (token: string): Promise<Principal> => {
    const { issuer, jwksUri } = await metadata();
    if (jwks?.uri !== jwksUri) jwks = { uri: jwksUri, get: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) };
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, jwks.get, {
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
    return principalFromClaims(payload, { roleClaim, mapping });
  };
};
