/**
 * The single declaration of every HTTP route, the permission each needs, and what each role
 * grants: this service's own (ROUTES) and those of other services' APIs that put this authorizer
 * in front of theirs (SERVICE_ROUTES). The authorizer builds its policy from it;
 * test/unit/routes.test.ts checks that serverless.yml declares exactly ROUTES. `npm run
 * add-endpoint` adds to PERMISSIONS, ROLE_PERMISSIONS and ROUTES in place, so they stay literals
 * (docs/own-endpoint.md).
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
  { method: 'GET', path: '/pages/sign-in', functionName: 'pages', access: 'public' },
  { method: 'GET', path: '/pages/sign-up', functionName: 'pages', access: 'public' },
  { method: 'GET', path: '/pages/account', functionName: 'pages', access: 'public' },
  { method: 'GET', path: '/pages/assets/{file}', functionName: 'pageAssets', access: 'public' },
];

/** The name this service's own ROUTES go by where they sit beside other services' routes. */
export const OWN_SERVICE = 'serverless-auth';

/**
 * A protected route of another service's REST API (its own stack) that uses this service's
 * authorizer by ARN: docs/other-services.md. The authorizer sees only the method and path of a
 * call (the API id in methodArn is assigned at deploy time), so no two routes here or in ROUTES
 * may overlap (test/unit/routes.test.ts checks). A route missing here is denied (403): a service
 * adding a route needs a deploy of this one first.
 */
export interface ServiceRoute {
  /** The other service's `service` name in its serverless.yml. */
  readonly service: string;
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` marks a path parameter. */
  readonly path: string;
  readonly access: 'session' | Permission;
}

export const SERVICE_ROUTES: readonly ServiceRoute[] = [
  // examples/greeter: greets the caller by the name in their profile.
  { service: 'greeter', method: 'GET', path: '/hello', access: 'profile:read' },
];

/** A route the authorizer guards: this service's own, or another service's. */
export type GuardedRoute = Route | ServiceRoute;

/** The service whose API serves the route. */
export function serviceOf(route: GuardedRoute): string {
  return 'service' in route ? route.service : OWN_SERVICE;
}

const GUARDED_ROUTES: readonly GuardedRoute[] = [...ROUTES, ...SERVICE_ROUTES].filter((route) => route.access !== 'public');

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
export function routeOpenedBy(route: GuardedRoute, permissions: ReadonlySet<string>): boolean {
  return route.access === 'session' || (route.access !== 'public' && permissions.has(route.access));
}

/** In routesAllowedBy: the routes of every service (no service name has a `*`). */
export const EVERY_SERVICE = '*';

/**
 * The protected routes of one service (by default this one), or of EVERY_SERVICE, that the given
 * permissions open. A policy lists those of the service the called route belongs to: they are the
 * routes of the API that caches it. For a route nobody declared, the API is unknown, so it lists
 * every service's.
 */
export function routesAllowedBy(permissions: ReadonlySet<string>, service: string = OWN_SERVICE): GuardedRoute[] {
  return GUARDED_ROUTES.filter((route) => (service === EVERY_SERVICE || serviceOf(route) === service) && routeOpenedBy(route, permissions));
}

/** The protected route, of this service or another, a concrete method and path (`/admin/users/abc`) falls on, if any. */
export function matchProtectedRoute(method: string, path: string): GuardedRoute | undefined {
  return GUARDED_ROUTES.find((route) => route.method === method && routePattern(route).test(path));
}

const patterns = new Map<GuardedRoute, RegExp>();
/** The concrete paths a route template matches (`{id}` is one segment). */
export function routePattern(route: GuardedRoute): RegExp {
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
