import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { matchProtectedRoute, permissionsForRoles, ROLE_PERMISSIONS, ROUTES, routesAllowedBy } from '../../lib/routes';

interface HttpEvent {
  http?: { method: string; path: string; authorizer?: unknown };
}
interface ServerlessYml {
  functions: Record<string, { handler: string; events?: HttpEvent[] }>;
  custom: { authorizer: { name: string; type: string; identitySource: string } };
}

const yml = load(readFileSync(join(__dirname, '../../serverless.yml'), 'utf8')) as ServerlessYml;

describe('routes module and serverless.yml', () => {
  const declared = Object.entries(yml.functions).flatMap(([functionName, fn]) =>
    (fn.events ?? []).flatMap((event) =>
      event.http
        ? [
            {
              functionName,
              method: event.http.method.toUpperCase(),
              path: event.http.path.startsWith('/') ? event.http.path : `/${event.http.path}`,
              protected: event.http.authorizer !== undefined,
            },
          ]
        : [],
    ),
  );

  it('declare exactly the same routes, served by the same functions', () => {
    const fromModule = ROUTES.map((r) => `${r.method} ${r.path} -> ${r.functionName}`).sort();
    const fromYml = declared.map((r) => `${r.method} ${r.path} -> ${r.functionName}`).sort();
    expect(fromYml).toEqual(fromModule);
  });

  it('put the authorizer in front of every route that needs a permission, and only those', () => {
    for (const route of ROUTES) {
      const entry = declared.find((d) => d.method === route.method && d.path === route.path);
      expect({ route: route.path, protected: entry?.protected }).toEqual({
        route: route.path,
        protected: route.access !== 'public',
      });
    }
  });

  it('use a REQUEST authorizer on the Authorization header, served by the authorizer function', () => {
    expect(yml.custom.authorizer).toMatchObject({
      name: 'authorizer',
      type: 'request',
      identitySource: 'method.request.header.Authorization',
    });
    expect(yml.functions['authorizer']?.handler).toBe('handlers/authorizer.handler');
  });

  it('name a handler file that exists for every function', () => {
    for (const fn of Object.values(yml.functions)) {
      const file = fn.handler.replace(/\.handler$/, '.ts');
      expect(() => readFileSync(join(__dirname, '../..', file))).not.toThrow();
    }
  });
});

describe('roles and permissions', () => {
  it('give user profile access and admin everything user has plus user administration', () => {
    expect(permissionsForRoles(['user'])).toEqual(['profile:read', 'profile:write']);
    expect(permissionsForRoles(['admin'])).toEqual(['profile:read', 'profile:write', 'users:read', 'users:write']);
    for (const permission of ROLE_PERMISSIONS.user) expect(ROLE_PERMISSIONS.admin).toContain(permission);
  });

  it('combine the permissions of several roles without repeats', () => {
    expect(permissionsForRoles(['user', 'admin', 'user'])).toEqual(permissionsForRoles(['admin']));
    expect(permissionsForRoles([])).toEqual([]);
  });

  // Ending one's own sessions needs only a valid token: every token may log itself out.
  const SESSION_ROUTES = ['POST /auth/logout', 'POST /auth/logout-all', 'DELETE /me/sessions/{id}'];

  it('gate the admin routes by users:read and users:write, and open the session routes to every token', () => {
    const routes = (permissions: string[]) => routesAllowedBy(new Set(permissions)).map((r) => `${r.method} ${r.path}`);
    expect(routes([])).toEqual(SESSION_ROUTES);
    expect(routes(['profile:read'])).toEqual([...SESSION_ROUTES.slice(0, 2), 'GET /me', 'GET /me/sessions', SESSION_ROUTES[2]]);
    expect(routes(['profile:write'])).toEqual([...SESSION_ROUTES.slice(0, 2), 'POST /me/password', SESSION_ROUTES[2]]);
    expect(routes(['users:read']).filter((r) => !SESSION_ROUTES.includes(r))).toEqual(['GET /admin/users', 'GET /admin/users/{id}']);
  });

  it('match concrete paths to their route templates, and nothing else', () => {
    expect(matchProtectedRoute('GET', '/admin/users/abc-123')?.path).toBe('/admin/users/{id}');
    expect(matchProtectedRoute('GET', '/admin/users')?.path).toBe('/admin/users');
    expect(matchProtectedRoute('GET', '/admin/users/a/b')).toBeUndefined();
    expect(matchProtectedRoute('POST', '/me')).toBeUndefined();
    expect(matchProtectedRoute('POST', '/auth/login')).toBeUndefined();
  });
});
