import type { APIGatewayProxyResult } from 'aws-lambda';

/** API.md's error codes: the only values `error` may take. */
export const API_ERROR_CODES = [
  'invalid_request',
  'invalid_grant',
  'invalid_token',
  'insufficient_scope',
  'unsupported_grant_type',
  'not_found',
  'conflict',
  'too_many_requests',
  'payload_too_large',
  'unsupported_media_type',
  'server_error',
  'service_unavailable',
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What must never leave the service, unless the request itself carried it (error descriptions may name a field). */
const LEAKS: readonly (readonly [string, RegExp])[] = [
  ['a stack frame', /\bat [\w$.<>[\] ]+ \(|\n\s+at \S/],
  ['a source position', /\.(?:ts|js|mjs|cjs):\d+/],
  ['a file path', new RegExp(`${escapeRegExp(process.cwd())}|node_modules|/var/task|/opt/nodejs`)],
  ['a library message', /jwt (?:malformed|expired|must be)|invalid (?:signature|algorithm)|Illegal arguments|Unexpected (?:token|end of JSON|non-whitespace)|JSON at position|" is not valid JSON|Cannot read propert/i],
  ['an internal name', /SyntaxError|TypeError|RangeError|ReferenceError|ZodError|Exception|DynamoDB|ECONNREFUSED|ETIMEDOUT|USER#|USERNAME#/],
  ['a bcrypt hash', /\$2[aby]\$\d\d\$/],
];

/**
 * Every way a response breaks API.md for hostile input: a 5xx, an error body not exactly
 * `{error, error_description}` in JSON, a 401 without its WWW-Authenticate, or internals in the
 * body or headers. Empty when the response is fine. `request` is everything the client sent.
 */
export function problemsWith(response: APIGatewayProxyResult, request: string, secrets: readonly string[] = []): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  if (!Number.isInteger(status) || status < 200 || status >= 500) problems.push(`status ${status}`);
  const headers = response.headers ?? {};
  if (status >= 400) {
    if (headers['Content-Type'] !== 'application/json; charset=utf-8') problems.push(`Content-Type ${String(headers['Content-Type'])}`);
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      problems.push('the error body is not JSON');
    }
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (Object.keys(fields).sort().join(',') !== 'error,error_description') problems.push(`error body keys ${JSON.stringify(Object.keys(fields))}`);
    const code = fields['error'];
    if (typeof code !== 'string' || !API_ERROR_CODES.includes(code)) problems.push(`error code ${JSON.stringify(code)}`);
    if (typeof fields['error_description'] !== 'string' || fields['error_description'] === '') problems.push('no error_description');
    if (status === 401) {
      const challenge = String(headers['WWW-Authenticate']);
      if (!new RegExp(`^Bearer error="${String(code)}", error_description="[^"\\\\\\r\\n]*"$`).test(challenge)) {
        problems.push(`WWW-Authenticate ${challenge}`);
      }
    }
  }
  const shown = `${response.body}\n${Object.values(headers).join('\n')}`;
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(shown) && !pattern.test(request)) problems.push(`shows ${what}: ${pattern.exec(shown)?.[0] ?? ''}`);
  }
  for (const secret of secrets) if (secret !== '' && shown.includes(secret)) problems.push('shows a secret');
  return problems;
}
