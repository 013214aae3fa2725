import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { TokenResponse } from '../auth/session-service';
import { CrossSiteRequestError, ValidationError } from '../errors';
import { ALLOWED_ORIGIN } from './allowed-origin';
import { header, headerValues, parseBody, parseOptionalBody } from './request';
import { noContent, tokenResponse } from './responses';
import { MaybeRefreshSchema, RefreshSchema } from './schemas';

/*
 * Cookie mode, for browser apps (docs/browser-apps.md). A client asks for it per request with
 * `X-Refresh-Token-Transport: cookie` on login, refresh, logout and logout-all; then the refresh
 * token travels only in a `__Host-` cookie that page script cannot read, never in a body.
 *
 * The CSRF defence is the header itself plus the Origin check. A custom header cannot come with a
 * cross-site form post or any other request a page may send without asking, and a script on
 * another origin must pass a CORS preflight to send it. The Origin check refuses what a
 * permissive preflight (serverless offline's) would let through: a cookie-mode request must come
 * from this service's own origin (the hosted pages) or the one configured CORS origin. A request
 * without the header is a bearer-mode request, which never reads the cookie.
 */

export const REFRESH_COOKIE = '__Host-refresh_token';
export const TRANSPORT_HEADER = 'X-Refresh-Token-Transport';
const COOKIE_MODE = 'cookie';
/** `__Host-`: Secure, Path=/ and no Domain, so only this host ever gets it back. */
const COOKIE_ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/';

const BOTH = 'Send the refresh token in the body or in the cookie, not both.';

/** How one request carries its refresh token, and the cookie it came with, if any. */
export interface RefreshTransport {
  readonly mode: 'body' | 'cookie';
  readonly cookie: string | undefined;
}

/**
 * The transport a request asks for. Cookie mode is granted only to a request whose Origin is this
 * service's or the allowed CORS origin; anything else is refused before any work is done.
 */
export function refreshTransportOf(event: APIGatewayProxyEvent, allowedOrigin: string = ALLOWED_ORIGIN): RefreshTransport {
  const asked = headerValues(event, TRANSPORT_HEADER);
  if (asked.length > 1) throw new ValidationError(`${TRANSPORT_HEADER} is given more than once.`);
  const cookie = refreshCookieOf(event);
  if (asked[0] === undefined) return { mode: 'body', cookie };
  if (asked[0].trim().toLowerCase() !== COOKIE_MODE) throw new ValidationError(`${TRANSPORT_HEADER} must be "${COOKIE_MODE}" when given.`);
  if (!originAllowed(event, allowedOrigin)) throw new CrossSiteRequestError();
  return { mode: 'cookie', cookie };
}

/** The refresh token a refresh request presents: the body's in body mode, the cookie's in cookie mode, never both. */
export function presentedRefreshToken(event: APIGatewayProxyEvent, transport: RefreshTransport): string {
  // A bearer client without the cookie sees exactly what it always saw.
  if (transport.mode === 'body' && transport.cookie === undefined) return parseBody(event, RefreshSchema, 'json').refresh_token;
  const inBody = parseOptionalBody(event, MaybeRefreshSchema, 'json').refresh_token;
  if (inBody !== undefined && transport.cookie !== undefined) throw new ValidationError(BOTH);
  if (transport.mode === 'body') {
    if (inBody !== undefined) return inBody;
    throw new ValidationError(`refresh_token: missing (the refresh cookie is read only with ${TRANSPORT_HEADER}: ${COOKIE_MODE}).`);
  }
  if (inBody !== undefined) throw new ValidationError('In cookie mode the refresh token comes from the cookie, never the body.');
  if (transport.cookie === undefined) throw new ValidationError(`The ${REFRESH_COOKIE} cookie is missing: log in in cookie mode first.`);
  return transport.cookie;
}

/** The refresh token a logout names besides its own session: the body's, or in cookie mode the cookie's. */
export function refreshTokenToEnd(event: APIGatewayProxyEvent, transport: RefreshTransport): string | undefined {
  const inBody = parseOptionalBody(event, MaybeRefreshSchema, 'json').refresh_token;
  if (inBody !== undefined && transport.cookie !== undefined) throw new ValidationError(BOTH);
  if (transport.mode === 'body') return inBody;
  if (inBody !== undefined) throw new ValidationError('In cookie mode the refresh token comes from the cookie, never the body.');
  return transport.cookie;
}

/**
 * Token responses in either mode. In cookie mode the refresh token leaves the body for the cookie,
 * which lives exactly as long as its session has left (`remainingSeconds`, read from the store).
 */
export class TokenResponses {
  constructor(private readonly remainingSeconds: (refreshToken: string) => Promise<number>) {}

  async of(transport: RefreshTransport, tokens: TokenResponse): Promise<APIGatewayProxyResult> {
    if (transport.mode === 'body') return tokenResponse(tokens);
    const { refresh_token: refreshToken, ...rest } = tokens;
    const maxAge = await this.remainingSeconds(refreshToken);
    return withCookie(tokenResponse(rest), refreshCookie(refreshToken, maxAge));
  }
}

/**
 * The 204 of a logout. In cookie mode it also removes the cookie; nothing else ever does: a failed
 * refresh leaves it alone, since another tab may have just rotated it.
 */
export function sessionEndedResponse(transport: RefreshTransport): APIGatewayProxyResult {
  return transport.mode === 'cookie' ? withCookie(noContent(), refreshCookie('', 0)) : noContent();
}

/** A `Set-Cookie` value for the refresh cookie: this token for `maxAgeSeconds`, or an empty one that removes it. */
export function refreshCookie(token: string, maxAgeSeconds: number): string {
  return `${REFRESH_COOKIE}=${token}; ${COOKIE_ATTRIBUTES}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

function withCookie(response: APIGatewayProxyResult, cookie: string): APIGatewayProxyResult {
  // multiValueHeaders: API Gateway (REST) writes each value as its own Set-Cookie line.
  return { ...response, multiValueHeaders: { ...response.multiValueHeaders, 'Set-Cookie': [cookie] } };
}

/** The refresh cookie's value, from every Cookie header; two of them are ambiguous and refused. */
function refreshCookieOf(event: APIGatewayProxyEvent): string | undefined {
  const values: string[] = [];
  for (const line of headerValues(event, 'cookie')) {
    for (const pair of line.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === REFRESH_COOKIE) values.push(pair.slice(at + 1).trim());
    }
  }
  if (values.length > 1) throw new ValidationError(`The ${REFRESH_COOKIE} cookie is sent more than once.`);
  return values[0] === '' ? undefined : values[0];
}

/**
 * Whether the request's Origin is the configured CORS origin or this service's own: the scheme
 * API Gateway received it on (X-Forwarded-Proto; plain http under serverless offline, which sets
 * none) and the Host the browser addressed. A missing Origin (browsers always send one on POST) is
 * refused.
 */
function originAllowed(event: APIGatewayProxyEvent, allowedOrigin: string): boolean {
  const origins = headerValues(event, 'origin');
  const origin = origins[0];
  if (origins.length !== 1 || origin === undefined) return false;
  if (allowedOrigin !== '*' && origin === allowedOrigin) return true;
  const host = header(event, 'host');
  const scheme = (header(event, 'x-forwarded-proto') ?? 'http').split(',')[0]?.trim().toLowerCase();
  return host !== undefined && (scheme === 'https' || scheme === 'http') && origin === `${scheme}://${host.toLowerCase()}`;
}
