/*
 * npm run add-endpoint, in process and against this project's own files: what it would write, and
 * what it refuses. Nothing here writes; test/unit/add-endpoint-loop.test.ts runs the real command in
 * a copy of the project and then its type check, lint and tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { PERMISSIONS, ROLES, ROUTES, SERVICE_ROUTES } from '../../lib/routes';
import { evaluateRoutesModule, FILES, functionNameFor, parseArguments, planEndpoint, Refusal, USAGE, type Plan } from '../../scripts/endpoint-scaffold';

const ROOT = join(__dirname, '..', '..');

/**
 * `orders`, or `orders2`, … if an endpoint of that name is there already: the README's example
 * (`npm run add-endpoint -- GET /orders …`) run in this project must leave these tests passing.
 */
function fresh(base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    const taken = ROUTES.some((route) => route.path.split('/')[1] === name) || PERMISSIONS.some((permission) => permission.startsWith(`${name}:`));
    if (!taken && !existsSync(join(ROOT, 'handlers', `get-${name}.ts`))) return name;
  }
}
const ORDERS = fresh('orders');
const REPORTS = fresh('reports');
const Orders = ORDERS.charAt(0).toUpperCase() + ORDERS.slice(1);

const plan = (...argv: string[]): Plan => planEndpoint(ROOT, parseArguments(argv));
const after = (result: Plan, path: string): string => result.changes.find((change) => change.path === path)?.after ?? '';
const refusalOf = (...argv: string[]): string => {
  try {
    plan(...argv);
  } catch (error) {
    if (error instanceof Refusal) return error.message;
    throw error;
  }
  return 'no refusal';
};

describe('npm run add-endpoint, planned against this project', () => {
  it('adds GET /orders for a new permission of role user to the routes module, serverless.yml and the OpenAPI document, with a handler and its test', () => {
    const result = plan('GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'user');

    expect(result.changes.map((change) => [change.path, change.before === undefined ? 'new' : 'edited'])).toEqual([
      [FILES.routes, 'edited'],
      [FILES.serverless, 'edited'],
      [FILES.openapi, 'edited'],
      [`handlers/get-${ORDERS}.ts`, 'new'],
      [`test/handlers/get-${ORDERS}.test.ts`, 'new'],
    ]);
    const routes = evaluateRoutesModule(after(result, FILES.routes), join(ROOT, FILES.routes));
    expect(routes.ROUTES).toContainEqual({ method: 'GET', path: `/${ORDERS}`, functionName: `get${Orders}`, access: `${ORDERS}:read` });
    expect(routes.PERMISSIONS).toContain(`${ORDERS}:read`);
    // admin holds everything user has (API.md), so it inherits the grant.
    expect(ROLES.map((role) => [role, routes.permissionsForRoles([role]).includes(`${ORDERS}:read`)])).toEqual(ROLES.map((role) => [role, true]));

    const serverless = load(after(result, FILES.serverless)) as { functions: Record<string, unknown> };
    expect(serverless.functions[`get${Orders}`]).toEqual({
      role: 'NoDataRole',
      handler: `handlers/get-${ORDERS}.handler`,
      events: [{ http: { method: 'GET', path: `/${ORDERS}`, authorizer: '${self:custom.authorizer}', cors: '${self:custom.cors}' } }],
    });
    const openapi = load(after(result, FILES.openapi)) as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: { Permission: { enum: string[] } } } };
    expect(openapi.paths[`/${ORDERS}`]?.['get']).toMatchObject({ operationId: `get${Orders}`, 'x-required-permission': `${ORDERS}:read`, security: [{ bearerAuth: [`${ORDERS}:read`] }] });
    expect(openapi.components.schemas.Permission.enum).toEqual(routes.PERMISSIONS);
    // The edits insert lines; the only lines that change are the one-line lists that gained an item.
    const changed = Object.fromEntries(result.changes.filter((c) => c.before !== undefined).map((c) => [c.path, linesLost(c.before!, c.after)]));
    expect(changed[FILES.serverless]).toEqual([]);
    expect(changed[FILES.routes]?.filter((line) => !/PERMISSIONS = \[/.test(line))).toEqual([]);
    expect(changed[FILES.openapi]?.filter((line) => !/^ +enum: \[/.test(line))).toEqual([]);
    expect(after(result, `test/handlers/get-${ORDERS}.test.ts`)).toContain(`protectedEvent({ method: 'GET', path: '/${ORDERS}', account })`);
  });

  it('edits only the list of the role named when another role spreads it, and grants an existing permission without declaring it again', () => {
    const both = plan('GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'admin', '--role', 'user');
    expect(both.grantedTo).toEqual(['user']);
    const routesText = after(both, FILES.routes);
    expect(routesText.split(`'${ORDERS}:read'`).length - 1).toBe(3); // PERMISSIONS, user's list, the route

    const reused = plan('GET', `/${REPORTS}`, '--permission', 'users:read', '--role', 'user');
    expect({ newPermission: reused.newPermission, grantedTo: reused.grantedTo }).toEqual({ newPermission: false, grantedTo: ['user'] });
    const routes = evaluateRoutesModule(after(reused, FILES.routes), join(ROOT, FILES.routes));
    expect(routes.PERMISSIONS.filter((permission) => permission === 'users:read')).toHaveLength(1);
    expect(routes.permissionsForRoles(['user'])).toContain('users:read');
    expect(linesLost(readFileSync(join(ROOT, FILES.openapi), 'utf8'), after(reused, FILES.openapi))).toEqual([]); // the enum as it was

    const held = plan('GET', `/${REPORTS}/summary`, '--permission', 'profile:read');
    expect({ newPermission: held.newPermission, grantedTo: held.grantedTo }).toEqual({ newPermission: false, grantedTo: [] });
  });

  it('scaffolds a method with a body and path parameters: the body is validated, the parameters declared and read', () => {
    const result = plan('put', `/${ORDERS}/{orderId}/items/{itemId}`, '--permission', `${ORDERS}:write`, '--role', 'admin');
    expect(result.request.functionName).toBe(`put${Orders}ByOrderIdItemsByItemId`);
    const handler = after(result, `handlers/put-${ORDERS}-by-order-id-items-by-item-id.ts`);
    expect(handler).toContain("parseBody(event, Body)");
    expect(handler).toContain("const itemId = pathParameter(event, 'itemId');");
    // PUT was not an HttpMethod of lib/routes.ts yet.
    expect(after(result, FILES.routes)).toMatch(/export type HttpMethod = [^;]*'PUT';/);
    const openapi = load(after(result, FILES.openapi)) as { paths: Record<string, Record<string, { parameters: { name: string }[]; responses: Record<string, unknown> }>> };
    const operation = openapi.paths[`/${ORDERS}/{orderId}/items/{itemId}`]?.['put'];
    expect(operation?.parameters.map((parameter) => parameter.name)).toEqual(['orderId', 'itemId']);
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '413', '415', '500']);
  });

  it('names the function after the method and path unless told', () => {
    expect(functionNameFor('GET', '/orders')).toBe('getOrders');
    expect(functionNameFor('DELETE', '/orders/{id}')).toBe('deleteOrdersById');
    expect(functionNameFor('GET', '/v1/order-lines.csv')).toBe('getV1OrderLinesCsv');
    expect(plan('GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'user', '--name', `list${Orders}`).changes.map((c) => c.path)).toContain(`handlers/list-${ORDERS}.ts`);
  });

  it.each([
    ['an existing route', ['GET', '/me', '--permission', 'profile:read'], /^GET \/me already exists \(lib\/routes\.ts, serverless\.yml, docs\/openapi\.yaml\)/],
    ['an existing route in another case', ['get', '/admin/users', '--permission', 'users:read'], /^GET \/admin\/users already exists/],
    ['an unknown role', ['GET', '/orders', '--permission', 'orders:read', '--role', 'guest'], new RegExp(`^Unknown role "guest": lib/routes\\.ts declares ${ROLES.join(', ')}\\.$`)],
    ['an unknown method', ['FETCH', '/orders', '--permission', 'orders:read', '--role', 'user'], /^"FETCH" is not a method/],
    ['a path without its slash', ['GET', 'orders', '--permission', 'orders:read', '--role', 'user'], /^"orders" is not a path/],
    ['a trailing slash', ['GET', '/orders/', '--permission', 'orders:read', '--role', 'user'], /^"\/orders\/" is not a path/],
    ['a space in the path', ['GET', '/my orders', '--permission', 'orders:read', '--role', 'user'], /is not a path/],
    ['a greedy parameter', ['GET', '/orders/{proxy+}', '--permission', 'orders:read', '--role', 'user'], /is not a path/],
    ['a parameter named twice', ['GET', '/a/{id}/b/{id}', '--permission', 'orders:read', '--role', 'user'], /names a path parameter twice/],
    ['a bad permission name', ['GET', '/orders', '--permission', 'Orders', '--role', 'user'], /^"Orders" is not a permission name/],
    ['a permission without an action', ['GET', '/orders', '--permission', 'orders', '--role', 'user'], /is not a permission name/],
    ['a bad function name', ['GET', '/orders', '--permission', 'orders:read', '--role', 'user', '--name', 'get-orders'], /is not a function name/],
    ['a taken function name', ['GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'user', '--name', 'me'], /already has a function named me/],
    ['a new permission for no role', ['GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`], new RegExp(`^${ORDERS}:read is a new permission: name the roles`)],
    ...SERVICE_ROUTES.map(
      (r): [string, string[], RegExp] => [
        `${r.service}'s ${r.method} ${r.path}`,
        [r.method, r.path, '--permission', r.access],
        new RegExp(`would match the same requests as ${r.service}'s ${r.method} ${r.path.replace(/[{}]/g, '\\$&')}`),
      ],
    ),
    ['a path a template route also matches', ['GET', '/admin/users/export', '--permission', 'users:read'], /would match the same requests as GET \/admin\/users\/\{id\}/],
    ['another name for a sibling parameter', ['GET', '/me/sessions/{sessionId}', '--permission', 'profile:read'], /one parameter name per position/],
    ['an unknown option', ['GET', '/orders', '--permission', 'orders:read', '--roles', 'user'], /^Unknown option --roles/],
    ['a missing path', ['GET', '--permission', 'orders:read'], /^Usage: npm run add-endpoint/],
    ['a missing permission', ['GET', '/orders'], /^Usage: npm run add-endpoint/],
  ])('refuses %s in one sentence', (_case, argv, message) => {
    const refusal = refusalOf(...argv);
    expect(refusal).toMatch(message);
    // One sentence (the usage line may follow it), on one line.
    expect(refusal.replace(USAGE, '').trim().match(/[.!?](\s|$)/g)?.length ?? 1).toBeLessThanOrEqual(1);
    expect(refusal).not.toContain('\n');
  });
});

/** Lines of `before` missing from `after`, in order (a line-level subsequence check). */
function linesLost(before: string, after: string): string[] {
  const remaining = after.split('\n');
  const lost: string[] = [];
  let at = 0;
  for (const line of before.split('\n')) {
    const found = remaining.indexOf(line, at);
    if (found < 0) lost.push(line);
    else at = found + 1;
  }
  return lost;
}

// The edit of each YAML file was checked by the plan itself (parsed and compared); this keeps the
// check honest: the file the plan read is the one on disk.
it('reads the files it plans from', () => {
  expect(readFileSync(join(ROOT, FILES.routes), 'utf8')).toBe(plan('GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'user').changes[0]?.before);
});
