import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PERMISSIONS } from '../routes';

/**
 * RFC 8414 authorization server metadata. When the issuer is the service's URL (as RFC 8414
 * wants, and as `npm start` sets it) the endpoints hang off it; otherwise off the address the
 * request came in on.
 */
export function authorizationServerMetadata(issuer: string, event: APIGatewayProxyEvent): Record<string, unknown> {
  const base = /^https?:\/\//.test(issuer) ? issuer.replace(/\/+$/, '') : requestBaseUrl(event);
  return {
    issuer,
    token_endpoint: `${base}/oauth/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: ['password', 'refresh_token'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: PERMISSIONS,
  };
}

function requestBaseUrl(event: APIGatewayProxyEvent): string {
  const host = event.requestContext.domainName ?? event.headers['Host'] ?? event.headers['host'] ?? 'localhost';
  const stage = event.requestContext.stage;
  return `https://${host}${stage ? `/${stage}` : ''}`;
}
