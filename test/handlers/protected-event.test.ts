/*
 * test/support/protected-event.ts promises the event API Gateway hands a protected handler after the
 * real authorizer allowed a real token. This holds it to that: same context, same route, same caller.
 */
import { randomUUID } from 'node:crypto';
import { handler as me } from '../../handlers/me';
import { accountService } from '../../lib/dependencies/accounts';
import { callerOf } from '../../lib/http/caller';
import { permissionsForRoles, ROLES, ROUTES, type Role } from '../../lib/routes';
import { authorizedEvent, bodyOf, lambdaContext, uniqueUsername } from '../support/events';
import { protectedEvent, scopeOf } from '../support/protected-event';
import { PASSWORD, tokenFor } from './helpers';

describe('protectedEvent (test/support/protected-event.ts)', () => {
  it.each<[string, Role[]]>([
    ['user', ['user']],
    ['admin', ['admin']],
    ['user + admin', ['user', 'admin']],
  ])('gives a handler the context the real authorizer gives it for a real %s token', async (_label, roles) => {
    const username = uniqueUsername();
    const account = await accountService().createAccount({ username, password: PASSWORD, roles });
    const real = await authorizedEvent(await tokenFor(username), { method: 'GET', resource: '/me' });

    const built = protectedEvent({ method: 'GET', path: '/me', account: { id: account.id, username: account.username, roles } });

    // The same keys with the same values, but for the ids of the token and its session; and the
    // principalId API Gateway adds (authorizedEvent leaves it out).
    const realContext: Record<string, unknown> = { ...real.requestContext.authorizer, principalId: account.id };
    const builtContext: Record<string, unknown> = { ...built.requestContext.authorizer };
    expect(builtContext).toEqual({ ...realContext, jti: expect.any(String), sid: expect.any(String) });
    expect(Object.keys(builtContext).sort()).toEqual(Object.keys(realContext).sort());
    expect(builtContext['scope']).toBe(scopeOf(roles));
    // And what a handler makes of it.
    expect(bodyOf(await me(built, lambdaContext('me')))).toEqual(bodyOf(await me(real, lambdaContext('me'))));
    expect(callerOf(built)).toMatchObject({ id: account.id, username: account.username, roles, permissions: permissionsForRoles(roles) });
  });

  it('finds the route and its path parameters from the concrete path, as API Gateway does', () => {
    const id = randomUUID();
    const event = protectedEvent({ method: 'GET', path: `/admin/users/${id}`, account: { id: randomUUID(), username: 'root', roles: ['admin'] }, sessionId: 'session-1' });

    expect({ resource: event.resource, path: event.path, pathParameters: event.pathParameters, method: event.httpMethod }).toEqual({
      resource: '/admin/users/{id}',
      path: `/admin/users/${id}`,
      pathParameters: { id },
      method: 'GET',
    });
    expect(callerOf(event).sessionId).toBe('session-1');
    expect(protectedEvent({ method: 'GET', path: '/me', account: { id: 'a', username: 'alice', roles: ['user'] } }).pathParameters).toBeNull();
    expect(protectedEvent({ method: 'GET', path: '/admin/users/a%20b', account: { id: 'a', username: 'root', roles: ['admin'] } }).pathParameters).toEqual({ id: 'a b' });
  });

  it('carries a JSON body, a query and headers', () => {
    const event = protectedEvent({
      method: 'POST',
      path: '/admin/users',
      account: { id: 'a', username: 'root', roles: ['admin'] },
      json: { username: 'bob' },
      query: { dry: '1' },
      headers: { 'User-Agent': 'jest' },
    });
    expect({ body: event.body, type: event.headers['Content-Type'], query: event.queryStringParameters, agent: event.headers['User-Agent'] }).toEqual({
      body: '{"username":"bob"}',
      type: 'application/json',
      query: { dry: '1' },
      agent: 'jest',
    });
  });

  it('refuses, as the authorizer would deny, a route the roles do not open, a public or unknown route, and a path template', () => {
    const user = { id: 'a', username: 'alice', roles: ['user'] as Role[] };
    expect(() => protectedEvent({ method: 'GET', path: '/admin/users', account: user })).toThrow(/denies GET \/admin\/users to roles \[user\]: it needs users:read/);
    expect(() => protectedEvent({ method: 'GET', path: '/me', account: { ...user, roles: [] } })).toThrow(/it needs profile:read/);
    expect(() => protectedEvent({ method: 'POST', path: '/auth/login', account: user })).toThrow(/no protected route/);
    expect(() => protectedEvent({ method: 'GET', path: '/nowhere', account: user })).toThrow(/no protected route/);
    expect(() => protectedEvent({ method: 'GET', path: '/admin/users/{id}', account: user })).toThrow(/not the template/);
    // Every protected route of lib/routes.ts is reachable with every role, once its concrete path is given.
    for (const route of ROUTES.filter((r) => r.access !== 'public')) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x');
      expect({ route: route.path, resource: protectedEvent({ method: route.method, path, account: { ...user, roles: ROLES } }).resource }).toEqual({
        route: route.path,
        resource: route.path,
      });
    }
  });
});
