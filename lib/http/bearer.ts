import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { headerValues } from './request';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The bearer token of a request, or undefined when there is not exactly one well-formed one.
 * A second Authorization header or an access_token query parameter voids the request.
 */
export function bearerToken(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  if (event.queryStringParameters?.['access_token'] !== undefined) return undefined;
  const values = headerValues(
    { headers: event.headers ?? {}, multiValueHeaders: event.multiValueHeaders ?? {} },
    'authorization',
  );
  if (values.length !== 1) return undefined;
  return BEARER.exec(values[0] ?? '')?.[1];
}
