/**
 * The event your own protected handler receives, for a given account and roles, without a token,
 * a login or a database: `protectedEvent({ method, path, account })`. docs/own-endpoint.md shows it
 * in use; every test `npm run add-endpoint` writes starts from it.
 *
 * It does what API Gateway does in front of a handler: the route must be a protected route of
 * lib/routes.ts that the account's roles open (else it throws, as the authorizer would deny), and
 * `requestContext.authorizer` is the authorizer's own context (lib/http/authorizer-handler.ts) for
 * a token of those roles, plus the `principalId` API Gateway adds. test/handlers/protected-event.test.ts
 * checks it against what the real authorizer answers for a real token.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { authorizerContext } from '../../lib/http/authorizer-handler';
import { matchProtectedRoute, permissionsForRoles, routeOpenedBy, type Role } from '../../lib/routes';
import { httpEvent } from './events';

/** The `scope` a login writes into the token of an account with these roles (space-separated permissions). */
export function scopeOf(roles: readonly Role[]): string {
  return permissionsForRoles(roles).join(' ');
}

export interface ProtectedEventInput {
  readonly method: string;
  /** The concrete path a client calls, e.g. `/orders/42`; the route and path parameters are found from it. */
  readonly path: string;
  readonly account: { readonly id: string; readonly username: string; readonly roles: readonly Role[] };
  /** A JSON body (sets Content-Type unless `headers` give one). */
  readonly json?: unknown;
  /** A raw body; give its Content-Type in `headers`. */
  readonly body?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** The session the token belongs to (callerOf reads it as sessionId); a fresh one by default. */
  readonly sessionId?: string;
}

/** The API Gateway (REST, v1 proxy) event a protected handler receives for this account. Throws where the authorizer would deny. */
export function protectedEvent(input: ProtectedEventInput): APIGatewayProxyEvent {
  const { method, path, account } = input;
  if (path.includes('{')) throw new Error(`protectedEvent: give the path a client calls (e.g. /orders/42), not the template ${path}.`);
  const route = matchProtectedRoute(method, path);
  if (route === undefined) throw new Error(`protectedEvent: ${method} ${path} is no protected route of lib/routes.ts, so the authorizer denies it.`);
  const scope = scopeOf(account.roles);
  if (!routeOpenedBy(route, new Set(scope.split(' ')))) {
    throw new Error(`protectedEvent: the authorizer denies ${route.method} ${route.path} to roles [${account.roles.join(', ')}]: it needs ${route.access}.`);
  }
  const context = authorizerContext({
    sub: account.id,
    username: account.username,
    roles: account.roles,
    scope,
    jti: randomUUID(),
    sid: input.sessionId ?? randomUUID(),
  });
  return httpEvent({
    method: route.method,
    resource: route.path,
    pathParameters: pathParametersOf(route.path, path),
    ...(input.json !== undefined ? { json: input.json } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.query !== undefined ? { query: input.query } : {}),
    ...(input.headers !== undefined ? { headers: input.headers } : {}),
    authorizer: { principalId: account.id, ...context },
  });
}

/** `/orders/{id}` and `/orders/a%20b` → `{ id: 'a b' }`; undefined when the route has none (as API Gateway gives null). */
function pathParametersOf(template: string, path: string): Record<string, string> | undefined {
  const values = path.replace(/\/$/, '').split('/');
  const entries = template
    .split('/')
    .flatMap((segment, i) => (/^\{[^}]+\}$/.test(segment) ? [[segment.slice(1, -1), decodeURIComponent(values[i] ?? '')] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
