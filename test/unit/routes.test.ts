import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { matchProtectedRoute, PERMISSIONS, permissionsForRoles, ROLE_PERMISSIONS, ROLES, ROUTES, routesAllowedBy, type Route } from '../../lib/routes';

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
  const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

  // API.md: user holds at least the profile permissions, admin everything user has plus user
  // administration. Permissions added for an endpoint of your own (npm run add-endpoint) come on top.
  it('give user profile access and admin everything user has plus user administration', () => {
    const user = permissionsForRoles(['user']);
    const admin = permissionsForRoles(['admin']);
    expect(user).toEqual(expect.arrayContaining(['profile:read', 'profile:write']));
    expect(user.filter((permission) => permission.startsWith('users:'))).toEqual([]);
    expect(admin).toEqual(expect.arrayContaining([...user, 'users:read', 'users:write']));
    for (const permission of ROLE_PERMISSIONS.user) expect(ROLE_PERMISSIONS.admin).toContain(permission);
  });

  it('list a role\'s permissions once each, in the order PERMISSIONS declares them', () => {
    for (const role of ROLES) {
      expect({ role, permissions: permissionsForRoles([role]) }).toEqual({
        role,
        permissions: PERMISSIONS.filter((permission) => (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission)),
      });
    }
  });

  it('combine the permissions of several roles without repeats', () => {
    expect(permissionsForRoles(['user', 'admin', 'user'])).toEqual(permissionsForRoles(['admin']));
    expect(permissionsForRoles([])).toEqual([]);
  });

  // Ending one's own sessions needs only a valid token: every token may log itself out.
  const SESSION_ROUTES = ['POST /auth/logout', 'POST /auth/logout-all', 'DELETE /me/sessions/{id}'];
  // The service's own protected routes and the permission each needs (API.md).
  const SERVICE_ROUTES: Record<string, string> = {
    'GET /me': 'profile:read',
    'POST /me/password': 'profile:write',
    'GET /me/sessions': 'profile:read',
    'GET /admin/users': 'users:read',
    'POST /admin/users': 'users:write',
    'GET /admin/users/{id}': 'users:read',
    'PATCH /admin/users/{id}': 'users:write',
    'DELETE /admin/users/{id}': 'users:write',
  };

  it('gate the admin routes by users:read and users:write, and open the session routes to every token', () => {
    const routes = (permissions: string[]) => routesAllowedBy(new Set(permissions)).map(routeKey);
    expect(routes([])).toEqual(SESSION_ROUTES);
    for (const [route, needed] of Object.entries(SERVICE_ROUTES)) {
      const openedBy = PERMISSIONS.filter((permission) => routes([permission]).includes(route));
      expect({ route, openedBy }).toEqual({ route, openedBy: [needed] });
    }
    // Each permission opens the session routes and exactly the routes that name it, in declaration order.
    for (const permission of PERMISSIONS) {
      expect({ permission, routes: routes([permission]) }).toEqual({
        permission,
        routes: ROUTES.filter((route) => route.access === 'session' || route.access === permission).map(routeKey),
      });
    }
  });

  it('match concrete paths to their route templates, and nothing else', () => {
    expect(matchProtectedRoute('GET', '/admin/users/abc-123')?.path).toBe('/admin/users/{id}');
    expect(matchProtectedRoute('GET', '/admin/users')?.path).toBe('/admin/users');
    expect(matchProtectedRoute('GET', '/admin/users/a/b')).toBeUndefined();
    expect(matchProtectedRoute('POST', '/me')).toBeUndefined();
    expect(matchProtectedRoute('POST', '/auth/login')).toBeUndefined();
  });
});
