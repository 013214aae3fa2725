/*
 * CORS for browser clients. API Gateway answers the preflight (OPTIONS) itself, from the `cors`
 * of each route in serverless.yml, and writes the same origin on its own errors; the functions'
 * responses must carry it too, since a proxy integration passes them through untouched.
 *
 * This module reads its one variable itself rather than through lib/config.ts: every function
 * needs it, and the smallest ones (`me`, `openapi`, `oauthMetadata`) load no config, so going
 * through config would put zod and the key code into their bundles.
 */

export const CORS_ORIGIN_VARIABLE = 'CORS_ALLOWED_ORIGIN';

/** An origin as a browser serialises it: http(s), a lower-case host name or IP literal, an optional port. */
const ORIGIN_SHAPE = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/;

/** Headers a browser script may read beyond the CORS-safelisted ones: the 401 challenge and the lockout's wait. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After';

/**
 * The allowed origin: `*` (the default: scripts on any origin may call with bearer tokens, never
 * with cookies) or exactly one origin such as `https://app.example.com`. Anything else is refused at INIT,
 * naming the variable, because it would also be written into API Gateway's responses.
 */
export function corsOriginFrom(value: string | undefined): string {
  if (value === undefined || value === '' || value === '*') return '*';
  let origin: string | undefined;
  try {
    origin = new URL(value).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== value || !ORIGIN_SHAPE.test(value)) {
    throw new Error(`Invalid environment variable ${CORS_ORIGIN_VARIABLE}: '*' or one origin such as https://app.example.com (scheme, host, optional port; no path)`);
  }
  return origin;
}

/**
 * The CORS headers of every response the functions write. With one configured origin, its scripts
 * may send credentials (the refresh cookie of cookie mode); with `*` never, as browsers require.
 */
export function corsHeaders(origin: string): Readonly<Record<string, string>> {
  // One fixed origin, never the request's Origin echoed back: the answer is the same for every
  // request, so no Vary: Origin is needed.
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': origin };
  if (origin !== '*') headers['Access-Control-Allow-Credentials'] = 'true';
  headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  return Object.freeze(headers);
}
