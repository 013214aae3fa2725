import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { headerValues } from './request';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive.
const BEARER_SCHEME = /^Bearer +/i;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of a request, or undefined when there is not exactly one well-formed one.
 * A second Authorization header or an access_token query parameter voids the request.
 */
export function bearerToken(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  const credential = bearerCredential(event);
  return credential !== undefined && isB64Token(credential) ? credential : undefined;
}

/**
 * What follows the Bearer scheme and its spaces in the one Authorization header, not yet checked
 * to be a b64token (isB64Token); undefined under the same conditions as bearerToken otherwise.
 * For the authorizer, which makes that check only when it refuses the token: a token it accepts
 * is a compact JWS, and every character of one is a b64token character.
 */
export function bearerCredential(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  if (event.queryStringParameters?.['access_token'] !== undefined) return undefined;
  const values = headerValues(
    { headers: event.headers ?? {}, multiValueHeaders: event.multiValueHeaders ?? {} },
    'authorization',
  );
  if (values.length !== 1) return undefined;
  const value = values[0] ?? '';
  const scheme = BEARER_SCHEME.exec(value);
  return scheme === null ? undefined : value.slice(scheme[0].length);
}

/** Whether a credential is an RFC 6750 b64token (an empty one is not). */
export function isB64Token(credential: string): boolean {
  return B64TOKEN.test(credential);
}
