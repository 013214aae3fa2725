/**
 * For a service that checks serverless-auth's access tokens itself instead of putting its routes
 * behind the shared authorizer (docs/other-services.md, "Verifying tokens yourself"). It needs
 * serverless-auth deployed with JWT_ALG=ES256 (or RS256), so that the public key is published at
 * /.well-known/jwks.json; under HS256 the JWKS is empty and only serverless-auth can verify.
 *
 * What this cannot know: whether the account was disabled, deleted, its roles changed or its
 * password changed, or the session logged out, since the token was issued. Only the shared
 * authorizer, which reads the account and session on every request, refuses such a token at
 * once; this verifier accepts it until its `exp`.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface VerifierSettings {
  /** serverless-auth's `issuer` (GET /.well-known/oauth-authorization-server). */
  readonly issuer: string;
  /** Its JWT_AUDIENCE (default `serverless-auth`). */
  readonly audience: string;
  /** Its `jwks_uri` (the same metadata document). */
  readonly jwksUri: string;
}

/** The claims serverless-auth writes into every access token (RFC 9068 plus its own). */
export interface AccessTokenClaims extends JWTPayload {
  readonly sub: string;
  readonly jti: string;
  readonly username: string;
  readonly roles: string[];
  /** Space-separated permissions, as lib/routes.ts grants them to the roles. */
  readonly scope: string;
}

/**
 * Builds the verifier once per container: the key set is fetched on first use, kept, and fetched
 * again when a token names a kid it does not hold (a key rotation), at most once per 30 seconds.
 */
export function accessTokenVerifier(settings: VerifierSettings): (token: string) => Promise<AccessTokenClaims> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUri));
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: settings.issuer,
      audience: settings.audience,
      // RFC 9068: an access token, never an ID token or another JWT signed with the same key.
      typ: 'at+jwt',
      // Allow-listed: a token naming another algorithm (none, HS256 keyed with the public key) fails.
      algorithms: ['ES256'],
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      clockTolerance: 30,
    });
    if (typeof payload['scope'] !== 'string' || typeof payload['username'] !== 'string' || !Array.isArray(payload['roles'])) {
      throw new Error('The access token lacks the claims serverless-auth writes.');
    }
    return payload as AccessTokenClaims;
  };
}

/** Whether the verified token grants a permission (as the shared authorizer checks a route's). */
export function grants(claims: AccessTokenClaims, permission: string): boolean {
  return claims.scope.split(' ').includes(permission);
}
