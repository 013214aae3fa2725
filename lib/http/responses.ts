import type { APIGatewayProxyResult } from 'aws-lambda';
import type { HttpError } from './errors';

const JSON_TYPE = 'application/json; charset=utf-8';

const BASE_HEADERS = {
  'Content-Type': JSON_TYPE,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Token-bearing responses must not be stored anywhere (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function tokenResponse(body: unknown): APIGatewayProxyResult {
  return json(200, body, NO_STORE);
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };
}

export function errorResponse(error: HttpError, extraHeaders: Record<string, string> = {}): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...error.headers, ...extraHeaders };
  if (error.status === 401) {
    // RFC 6750 §3: quoted-string values, so strip anything that would break the quoting.
    const description = error.description.replace(/["\\]/g, '');
    headers['WWW-Authenticate'] = `Bearer error="${error.error}", error_description="${description}"`;
  }
  return json(error.status, { error: error.error, error_description: error.description }, headers);
}
