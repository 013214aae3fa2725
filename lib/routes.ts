/**
 * The single declaration of every HTTP route, the permission each needs, and what each role
 * grants. The authorizer builds its policy from it; test/unit/routes.test.ts checks that
 * serverless.yml declares exactly these routes. `npm run add-endpoint` adds to PERMISSIONS,
 * ROLE_PERMISSIONS and ROUTES in place, so they stay literals (docs/own-endpoint.md).
 */
export const PERMISSIONS = ['profile:read', 'profile:write', 'users:read', 'users:write'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const USER_PERMISSIONS = ['profile:read', 'profile:write'] as const satisfies readonly Permission[];

export const ROLE_PERMISSIONS = {
  user: USER_PERMISSIONS,
  admin: [...USER_PERMISSIONS, 'users:read', 'users:write'],
} as const satisfies Record<string, readonly Permission[]>;

export type Role = keyof typeof ROLE_PERMISSIONS;
export const ROLES = Object.keys(ROLE_PERMISSIONS) as [Role, ...Role[]];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` marks a path parameter. */
  readonly path: string;
  /** The serverless.yml function that serves it. */
  readonly functionName: string;
  /**
   * `public` routes have no authorizer; `session` routes (ending one's own sessions) are open to
   * every valid token; the others need this permission.
   */
  readonly access: 'public' | 'session' | Permission;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/auth/register', functionName: 'register', access: 'public' },
  { method: 'POST', path: '/auth/login', functionName: 'login', access: 'public' },
  { method: 'POST', path: '/oauth/token', functionName: 'oauthToken', access: 'public' },
  { method: 'POST', path: '/auth/refresh', functionName: 'refresh', access: 'public' },
  { method: 'POST', path: '/auth/logout', functionName: 'logout', access: 'session' },
  { method: 'POST', path: '/auth/logout-all', functionName: 'logoutAll', access: 'session' },
  { method: 'GET', path: '/me', functionName: 'me', access: 'profile:read' },
  { method: 'POST', path: '/me/password', functionName: 'changePassword', access: 'profile:write' },
  { method: 'GET', path: '/me/sessions', functionName: 'listSessions', access: 'profile:read' },
  { method: 'DELETE', path: '/me/sessions/{id}', functionName: 'endSession', access: 'session' },
  { method: 'GET', path: '/admin/users', functionName: 'adminListUsers', access: 'users:read' },
  { method: 'POST', path: '/admin/users', functionName: 'adminCreateUser', access: 'users:write' },
  { method: 'GET', path: '/admin/users/{id}', functionName: 'adminGetUser', access: 'users:read' },
  { method: 'PATCH', path: '/admin/users/{id}', functionName: 'adminUpdateUser', access: 'users:write' },
  { method: 'DELETE', path: '/admin/users/{id}', functionName: 'adminDeleteUser', access: 'users:write' },
  { method: 'POST', path: '/admin/unlock', functionName: 'adminUnlock', access: 'users:write' },
  { method: 'GET', path: '/.well-known/jwks.json', functionName: 'jwks', access: 'public' },
  {
    method: 'GET',
    path: '/.well-known/oauth-authorization-server',
    functionName: 'oauthMetadata',
    access: 'public',
  },
  { method: 'GET', path: '/openapi.json', functionName: 'openapi', access: 'public' },
];

/** The union of the permissions of the given roles, in declaration order. */
export function permissionsForRoles(roles: readonly Role[]): Permission[] {
  const granted = new Set<Permission>(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
  return PERMISSIONS.filter((permission) => granted.has(permission));
}

export function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLE_PERMISSIONS, value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** Whether a valid token holding these permissions may call the route. */
export function routeOpenedBy(route: Route, permissions: ReadonlySet<string>): boolean {
  return route.access === 'session' || (route.access !== 'public' && permissions.has(route.access));
}

/** The protected routes that the given permissions open. */
export function routesAllowedBy(permissions: ReadonlySet<string>): Route[] {
  return ROUTES.filter((route) => routeOpenedBy(route, permissions));
}

/** The protected route a concrete method and path (`/admin/users/abc`) falls on, if any. */
export function matchProtectedRoute(method: string, path: string): Route | undefined {
  return ROUTES.find(
    (route) => route.access !== 'public' && route.method === method && routePattern(route).test(path),
  );
}

const patterns = new Map<Route, RegExp>();
function routePattern(route: Route): RegExp {
  let pattern = patterns.get(route);
  if (pattern === undefined) {
    const escaped = route.path
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    pattern = new RegExp(`^${escaped}/?$`);
    patterns.set(route, pattern);
  }
  return pattern;
}
