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

/**
 * The hosted pages' headers: a CSP that allows nothing but this origin (no inline script or style,
 * no framing, no <base>, forms only to here), no MIME sniffing, no Referer, no caching (the
 * language follows Accept-Language).
 */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  Vary: 'Accept-Language',
};

export function htmlPage(html: string): APIGatewayProxyResult {
  return { statusCode: 200, headers: { ...PAGE_HEADERS }, body: html };
}

/** A content-hashed asset: a new version has a new name, so any cache may keep it for a year. */
export function staticAsset(asset: { readonly contentType: string; readonly body: string }): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' },
    body: asset.body,
  };
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
