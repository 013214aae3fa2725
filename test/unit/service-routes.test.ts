import {
  matchProtectedRoute,
  OWN_SERVICE,
  permissionsForRoles,
  routePattern,
  ROUTES,
  routesAllowedBy,
  SERVICE_ROUTES,
  serviceOf,
  type GuardedRoute,
} from '../../lib/routes';

/** A concrete path the template matches: every `{name}` filled in. */
const concrete = (route: GuardedRoute) => route.path.replace(/\{[^}]+\}/g, 'x1');
const label = (route: GuardedRoute) => `${serviceOf(route)} ${route.method} ${route.path}`;

describe("other services' routes in lib/routes.ts", () => {
  // The authorizer tells services apart by method and path alone: an overlap would put one
  // service's route under another's permission.
  it('overlap no route of this service (public ones included) nor of each other', () => {
    const all: GuardedRoute[] = [...ROUTES, ...SERVICE_ROUTES];
    const overlaps = all.flatMap((a, i) =>
      all
        .slice(i + 1)
        .filter((b) => a.method === b.method && (routePattern(a).test(concrete(b)) || routePattern(b).test(concrete(a))))
        .map((b) => `${label(a)} <> ${label(b)}`),
    );
    expect(overlaps).toEqual([]);
  });

  it('each name a service other than this one (a serverless.yml service name), and a path from the root', () => {
    for (const route of SERVICE_ROUTES) {
      expect({ route: label(route), own: route.service === OWN_SERVICE, name: /^[a-zA-Z][a-zA-Z0-9-]*$/.test(route.service), rooted: route.path.startsWith('/') }).toEqual({
        route: label(route),
        own: false,
        name: true,
        rooted: true,
      });
    }
  });

  it("are matched like this service's routes, and each opens to the roles its permission names", () => {
    for (const route of SERVICE_ROUTES) {
      expect(matchProtectedRoute(route.method, concrete(route))).toBe(route);
      const granted = new Set<string>(permissionsForRoles(['admin']));
      if (route.access === 'session' || granted.has(route.access)) expect(routesAllowedBy(granted, route.service)).toContain(route);
      expect(routesAllowedBy(new Set(), route.service)).toEqual(SERVICE_ROUTES.filter((r) => r.service === route.service && r.access === 'session'));
    }
  });

  it("keep each service's routes to its own policy: this service's list holds none of theirs, and theirs none of this service's", () => {
    const everything = new Set<string>(permissionsForRoles(['admin', 'user']));
    expect(routesAllowedBy(everything).every((route) => serviceOf(route) === OWN_SERVICE)).toBe(true);
    for (const service of new Set(SERVICE_ROUTES.map((route) => route.service))) {
      expect(routesAllowedBy(everything, service).every((route) => serviceOf(route) === service)).toBe(true);
    }
  });

  it('the example service (examples/greeter) has GET /hello, open to the user role', () => {
    const hello = matchProtectedRoute('GET', '/hello');
    expect(hello && { service: serviceOf(hello), access: hello.access }).toEqual({ service: 'greeter', access: 'profile:read' });
    expect(routesAllowedBy(new Set(permissionsForRoles(['user'])), 'greeter')).toEqual([hello]);
  });
});
