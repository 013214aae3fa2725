/**
 * What `npm run add-endpoint` does, as a function of the project's files: check the request against
 * lib/routes.ts, serverless.yml and docs/openapi.yaml, work out every file's new text, and check that
 * each edit did exactly what was meant — all before anything is written.
 *
 * Edits are insertions of text at places found by parsing (the TypeScript syntax tree for
 * lib/routes.ts, the YAML files' own keys), so comments and layout survive; re-emitting the YAML with
 * js-yaml would drop every comment. Each edited file is then parsed again and compared with the old
 * one plus the intended change: anything else differing is a refusal, not a write.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import { load } from 'js-yaml';
import ts from 'typescript';

/** A request the scaffold turns down; its message is one sentence for the user. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export const USAGE = 'Usage: npm run add-endpoint -- <METHOD> <path> --permission <resource:action> [--role <role>]... [--name <functionName>]';

export interface EndpointRequest {
  readonly method: Method;
  /** API Gateway resource path, `{name}` for a path parameter. */
  readonly path: string;
  readonly permission: string;
  /** Roles to grant the permission to (a role that already holds it is left as it is). */
  readonly roles: readonly string[];
  /** The serverless.yml function; derived from method and path unless given. */
  readonly functionName: string;
}

export interface FileChange {
  /** Relative to the project root. */
  readonly path: string;
  /** undefined for a new file. */
  readonly before: string | undefined;
  readonly after: string;
}

export interface Plan {
  readonly request: EndpointRequest;
  readonly newPermission: boolean;
  /** The roles whose permission list gained the permission (others may inherit it through them). */
  readonly grantedTo: readonly string[];
  readonly changes: readonly FileChange[];
}

export const FILES = {
  routes: 'lib/routes.ts',
  serverless: 'serverless.yml',
  openapi: 'docs/openapi.yaml',
} as const;

/** The role every scaffolded function runs under: CloudWatch Logs only, nothing of the table. */
const LEAST_PRIVILEGE_ROLE = 'NoDataRole';

const SEGMENT = /^(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/;
const PERMISSION = /^[a-z][a-z0-9_-]*(?::[a-z][a-z0-9_-]*)+$/;
const FUNCTION_NAME = /^[a-z][A-Za-z0-9]{0,63}$/;
/** Keys of the scaffolded handler's answer; a path parameter may not take one of these names. */
const ANSWER_KEYS = ['account_id', 'username'];

// ---------------------------------------------------------------------------------------------
// Arguments

/** The request the command line asks for, checked for form (not yet against the project). */
export function parseArguments(argv: readonly string[]): EndpointRequest {
  const positional: string[] = [];
  const roles: string[] = [];
  let permission: string | undefined;
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const option = /^--(permission|role|name)(?:=(.*))?$/.exec(arg);
    if (option !== null) {
      const value = option[2] ?? argv[++i];
      if (value === undefined || value === '') throw new Refusal(`--${option[1]} needs a value. ${USAGE}`);
      if (option[1] === 'permission') permission = value;
      else if (option[1] === 'role') roles.push(value);
      else name = value;
    } else if (arg.startsWith('-')) {
      throw new Refusal(`Unknown option ${arg}. ${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2 || permission === undefined) throw new Refusal(USAGE);
  const [rawMethod = '', path = ''] = positional;
  const method = rawMethod.toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new Refusal(`"${rawMethod}" is not a method the scaffold knows: use one of ${METHODS.join(', ')}.`);
  }
  checkPath(path);
  if (!PERMISSION.test(permission)) {
    throw new Refusal(`"${permission}" is not a permission name: use resource:action in lower case, like orders:read.`);
  }
  const functionName = name ?? functionNameFor(method as Method, path);
  if (!FUNCTION_NAME.test(functionName)) {
    throw new Refusal(`"${functionName}" is not a function name the scaffold accepts: a camelCase identifier of letters and digits, like getOrders.`);
  }
  return { method: method as Method, path, permission, roles: [...new Set(roles)], functionName };
}

function checkPath(path: string): void {
  const segments = path.split('/').slice(1);
  const parameters = segments.filter((segment) => segment.startsWith('{')).map(parameterName);
  if (!path.startsWith('/') || segments.some((segment) => !SEGMENT.test(segment)) || path === '/') {
    throw new Refusal(
      `"${path}" is not a path the scaffold accepts: it starts with /, has no trailing slash, and each segment is letters, digits and ._~- or one {parameter}.`,
    );
  }
  if (new Set(parameters).size !== parameters.length) throw new Refusal(`"${path}" names a path parameter twice.`);
  const clash = parameters.find((parameter) => ANSWER_KEYS.includes(parameter));
  if (clash !== undefined) throw new Refusal(`"${path}" has a parameter named ${clash}, which the scaffolded handler's answer already uses: pick another name.`);
}

const parameterName = (segment: string): string => segment.slice(1, -1);
const isParameter = (segment: string): boolean => segment.startsWith('{');

/** `GET /orders/{id}` → `getOrdersById`. */
export function functionNameFor(method: Method, path: string): string {
  const words = path
    .split('/')
    .slice(1)
    .flatMap((segment) => (isParameter(segment) ? ['by', parameterName(segment)] : segment.split(/[._~-]+/)))
    .flatMap((word) => word.split('_'))
    .filter((word) => word !== '');
  return method.toLowerCase() + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** `getOrdersById` → `get-orders-by-id`, the file name of its handler and test. */
export function kebab(functionName: string): string {
  return functionName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

// ---------------------------------------------------------------------------------------------
// The routes module, as the service sees it

export interface RouteEntry {
  readonly method: string;
  readonly path: string;
  readonly functionName: string;
  readonly access: string;
}

/** What lib/routes.ts exports that the scaffold reads. */
export interface RoutesModule {
  readonly PERMISSIONS: readonly string[];
  readonly ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>>;
  readonly ROUTES: readonly RouteEntry[];
  /** Other services' routes the authorizer also guards (absent from a routes module older than them). */
  readonly SERVICE_ROUTES?: readonly (Omit<RouteEntry, 'functionName'> & { readonly service: string })[];
  readonly permissionsForRoles: (roles: readonly string[]) => string[];
}

/**
 * Runs a text of lib/routes.ts as a module (transpiled, in this process), so the scaffold checks
 * the edited text by what it exports, not by how it looks. Relative imports resolve beside the file.
 */
export function evaluateRoutesModule(text: string, file: string): RoutesModule {
  const { outputText, diagnostics } = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  if (diagnostics !== undefined && diagnostics.length > 0) {
    throw new Error(`${file} does not parse: ${ts.flattenDiagnosticMessageText(diagnostics[0]?.messageText ?? '', ' ')}`);
  }
  const module = { exports: {} as Record<string, unknown> };
  // The running loader's own require (tsx's, or jest's under test): both load TypeScript imports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireBeside = (id: string): unknown => require(id.startsWith('.') ? resolve(dirname(file), id) : id);
  const run = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${outputText}\n})`, { filename: file }) as (
    ...args: unknown[]
  ) => void;
  run(module.exports, requireBeside, module, file, dirname(file));
  const exported = module.exports as Partial<RoutesModule>;
  if (!Array.isArray(exported.PERMISSIONS) || !Array.isArray(exported.ROUTES) || typeof exported.ROLE_PERMISSIONS !== 'object' || typeof exported.permissionsForRoles !== 'function') {
    throw new Error(`${file} no longer exports PERMISSIONS, ROLE_PERMISSIONS, ROUTES and permissionsForRoles.`);
  }
  return exported as RoutesModule;
}

// ---------------------------------------------------------------------------------------------
// The plan

/** Checks the request against the project at `root` and works out every file's new text. */
export function planEndpoint(root: string, request: EndpointRequest): Plan {
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const routesText = read(FILES.routes);
  const serverlessText = read(FILES.serverless);
  const openapiText = read(FILES.openapi);
  const routes = evaluateRoutesModule(routesText, join(root, FILES.routes));
  const serverless = load(serverlessText) as ServerlessYml;
  const openapi = load(openapiText) as OpenApiYml;
  const { method, path, permission, functionName } = request;
  const route = `${method} ${path}`;

  // Refusals, most specific first; nothing has been written.
  const unknownRole = request.roles.find((role) => !Object.prototype.hasOwnProperty.call(routes.ROLE_PERMISSIONS, role));
  if (unknownRole !== undefined) {
    throw new Refusal(`Unknown role "${unknownRole}": lib/routes.ts declares ${Object.keys(routes.ROLE_PERMISSIONS).join(', ')}.`);
  }
  const where = [
    routes.ROUTES.some((r) => r.method === method && r.path === path) ? FILES.routes : undefined,
    httpEventsOf(serverless).some((e) => e.method === method && e.path === path) ? FILES.serverless : undefined,
    openapi.paths?.[path]?.[method.toLowerCase()] !== undefined ? FILES.openapi : undefined,
  ].filter((file) => file !== undefined);
  if (where.length > 0) throw new Refusal(`${route} already exists (${where.join(', ')}): choose another method or path.`);
  const otherService = (routes.SERVICE_ROUTES ?? []).find((r) => r.method === method && templatesOverlap(r.path, path));
  if (otherService !== undefined) {
    throw new Refusal(
      `${route} would match the same requests as ${otherService.service}'s ${otherService.method} ${otherService.path} (SERVICE_ROUTES in lib/routes.ts), and the authorizer tells routes apart by method and path alone: choose another path.`,
    );
  }
  const overlap = routes.ROUTES.find((r) => r.method === method && templatesOverlap(r.path, path));
  if (overlap !== undefined) {
    throw new Refusal(
      `${route} would match the same requests as ${overlap.method} ${overlap.path}, and the authorizer takes the first route of lib/routes.ts that matches: choose a path that cannot be confused with it.`,
    );
  }
  const sibling = siblingParameterClash(
    [...routes.ROUTES.map((r) => r.path), ...httpEventsOf(serverless).map((e) => e.path)],
    path,
  );
  if (sibling !== undefined) {
    throw new Refusal(`API Gateway allows one parameter name per position: ${sibling} already uses another name there, so use the same one.`);
  }
  if (serverless.functions?.[functionName] !== undefined) {
    throw new Refusal(`serverless.yml already has a function named ${functionName}: give another with --name.`);
  }
  const operationIds = Object.values(openapi.paths ?? {}).flatMap((item) => Object.values(item ?? {}).map((operation) => (operation as { operationId?: unknown })?.operationId));
  if (operationIds.includes(functionName)) {
    throw new Refusal(`docs/openapi.yaml already has an operation named ${functionName}: give another function name with --name.`);
  }
  const handlerFile = `handlers/${kebab(functionName)}.ts`;
  const testFile = `test/handlers/${kebab(functionName)}.test.ts`;
  const present = [handlerFile, testFile].find((file) => existsSync(join(root, file)));
  if (present !== undefined) throw new Refusal(`${present} already exists: give another function name with --name.`);
  if (serverless.resources?.Resources?.[LEAST_PRIVILEGE_ROLE] === undefined) {
    throw new Refusal(`serverless.yml has no ${LEAST_PRIVILEGE_ROLE} resource to give the new function least privilege: add the function by hand (docs/own-endpoint.md).`);
  }

  const newPermission = !routes.PERMISSIONS.includes(permission);
  const holders = Object.keys(routes.ROLE_PERMISSIONS).filter((role) => routes.permissionsForRoles([role]).includes(permission));
  const toGrant = request.roles.filter((role) => !holders.includes(role));
  if (newPermission && request.roles.length === 0) {
    throw new Refusal(`${permission} is a new permission: name the roles that get it with --role (lib/routes.ts declares ${Object.keys(routes.ROLE_PERMISSIONS).join(', ')}).`);
  }
  if (holders.length === 0 && toGrant.length === 0) {
    throw new Refusal(`No role holds ${permission}, so nobody could call ${route}: name one with --role.`);
  }
  // The role the scaffolded test logs in with: one that will hold the permission.
  const testRole = request.roles[0] ?? holders[0] ?? '';

  const routesEdit = editRoutes(routesText, request, newPermission, toGrant);
  const after = evaluateRoutesModule(routesEdit.text, join(root, FILES.routes));
  verifyRoutes(routes, after, request, newPermission);

  const protectedEvent = httpEventsOf(serverless).find((event) => event.authorizer !== undefined);
  const serverlessAfter = editServerless(serverlessText, serverless, request, protectedEvent);
  const openapiAfter = editOpenApi(openapiText, openapi, request, newPermission);

  return {
    request,
    newPermission,
    grantedTo: routesEdit.grantedTo,
    changes: [
      { path: FILES.routes, before: routesText, after: routesEdit.text },
      { path: FILES.serverless, before: serverlessText, after: serverlessAfter },
      { path: FILES.openapi, before: openapiText, after: openapiAfter },
      { path: handlerFile, before: undefined, after: handlerSource(request) },
      { path: testFile, before: undefined, after: handlerTestSource(request, testRole) },
    ],
  };
}

/** Whether one concrete request path could match both templates (same length, each segment equal or a parameter). */
function templatesOverlap(a: string, b: string): boolean {
  const left = a.split('/');
  const right = b.split('/');
  return left.length === right.length && left.every((segment, i) => segment === right[i] || isParameter(segment) || isParameter(right[i] ?? ''));
}

/** An existing path whose parameter at a position the new path shares differs in name, if any. */
function siblingParameterClash(existing: readonly string[], path: string): string | undefined {
  const segments = path.split('/');
  for (const other of existing) {
    const theirs = other.split('/');
    for (let i = 1; i < Math.min(segments.length, theirs.length); i++) {
      const mine = segments[i] ?? '';
      const their = theirs[i] ?? '';
      if (isParameter(mine) && isParameter(their) && mine !== their) return other;
      if (mine !== their) break;
    }
  }
  return undefined;
}

function verifyRoutes(before: RoutesModule, after: RoutesModule, request: EndpointRequest, newPermission: boolean): void {
  const fail = (what: string): never => {
    throw new Refusal(`The edit of lib/routes.ts did not come out as intended (${what}): add the endpoint by hand (docs/own-endpoint.md).`);
  };
  const key = (r: RouteEntry) => JSON.stringify([r.method, r.path, r.functionName, r.access]);
  const expectedRoutes = [...before.ROUTES.map(key), key({ method: request.method, path: request.path, functionName: request.functionName, access: request.permission })];
  if (!sameData(after.ROUTES.map(key), expectedRoutes)) fail('routes');
  if (!sameData([...after.PERMISSIONS], [...before.PERMISSIONS, ...(newPermission ? [request.permission] : [])])) fail('permissions');
  for (const role of Object.keys(before.ROLE_PERMISSIONS)) {
    const had = before.permissionsForRoles([role]);
    const has = after.permissionsForRoles([role]);
    const gained = has.filter((permission) => !had.includes(permission));
    const lost = had.filter((permission) => !has.includes(permission));
    const ok = lost.length === 0 && gained.every((permission) => permission === request.permission) && (!request.roles.includes(role) || has.includes(request.permission));
    if (!ok) fail(`role ${role}`);
  }
}

// ---------------------------------------------------------------------------------------------
// lib/routes.ts: insertions at nodes of its syntax tree

interface Insertion {
  readonly at: number;
  readonly text: string;
}

function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  // From the end, so earlier positions stay valid; equal positions keep their order.
  return [...insertions]
    .map((insertion, order) => ({ ...insertion, order }))
    .sort((a, b) => b.at - a.at || b.order - a.order)
    .reduce((acc, { at, text: inserted }) => acc.slice(0, at) + inserted + acc.slice(at), text);
}

function unwrap(expression: ts.Expression | undefined): ts.Expression | undefined {
  let node = expression;
  while (node !== undefined && (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) || ts.isTypeAssertionExpression(node))) {
    node = node.expression;
  }
  return node;
}

/** `const NAME = …` at the top level of the file, by name, their initializers unwrapped. */
function topLevelConstants(source: ts.SourceFile): Map<string, ts.Expression> {
  const constants = new Map<string, ts.Expression>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const initializer = unwrap(declaration.initializer);
      if (ts.isIdentifier(declaration.name) && initializer !== undefined) constants.set(declaration.name.text, initializer);
    }
  }
  return constants;
}

/** The insertion that adds an item at the end of an array literal, in the array's own layout. */
function appendToArray(text: string, source: ts.SourceFile, array: ts.ArrayLiteralExpression, item: string): Insertion {
  const last = array.elements[array.elements.length - 1];
  if (last === undefined) return { at: array.getStart(source) + 1, text: item };
  const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const multiline = line(array.getStart(source)) !== line(array.elements[0]!.getStart(source));
  if (!multiline) return { at: last.end, text: `, ${item}` };
  const lineStart = text.lastIndexOf('\n', last.getStart(source)) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart))?.[0] ?? '';
  if (array.elements.hasTrailingComma) {
    const comma = text.indexOf(',', last.end);
    return { at: comma + 1, text: `\n${indent}${item},` };
  }
  return { at: last.end, text: `,\n${indent}${item}` };
}

function editRoutes(text: string, request: EndpointRequest, newPermission: boolean, toGrant: readonly string[]): { text: string; grantedTo: string[] } {
  const source = ts.createSourceFile(FILES.routes, text, ts.ScriptTarget.Latest, true);
  const constants = topLevelConstants(source);
  const cannot = (what: string): never => {
    throw new Refusal(`Cannot find ${what} in lib/routes.ts as an array or object literal: add the endpoint by hand (docs/own-endpoint.md).`);
  };
  const arrayNamed = (name: string): ts.ArrayLiteralExpression => {
    const node = constants.get(name);
    return node !== undefined && ts.isArrayLiteralExpression(node) ? node : cannot(name);
  };
  const insertions: Insertion[] = [];
  const quote = (value: string) => `'${value}'`;

  if (newPermission) insertions.push(appendToArray(text, source, arrayNamed('PERMISSIONS'), quote(request.permission)));

  // A role's list is an array literal or the name of one (`user: USER_PERMISSIONS`); a role whose
  // list spreads another's (`admin: [...USER_PERMISSIONS, …]`) inherits what that one gains.
  const rolesObject = constants.get('ROLE_PERMISSIONS');
  if (rolesObject === undefined || !ts.isObjectLiteralExpression(rolesObject)) return cannot('ROLE_PERMISSIONS');
  const listOf = (role: string): ts.ArrayLiteralExpression => {
    const property = rolesObject.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === role,
    );
    const value = unwrap(property?.initializer);
    if (value !== undefined && ts.isArrayLiteralExpression(value)) return value;
    if (value !== undefined && ts.isIdentifier(value)) return arrayNamed(value.text);
    return cannot(`the permission list of role ${role}`);
  };
  const spreadsOf = (list: ts.ArrayLiteralExpression): ts.ArrayLiteralExpression[] =>
    list.elements.flatMap((element) => {
      const spread = ts.isSpreadElement(element) ? unwrap(element.expression) : undefined;
      const target = spread !== undefined && ts.isIdentifier(spread) ? constants.get(spread.text) : undefined;
      return target !== undefined && ts.isArrayLiteralExpression(target) ? [target, ...spreadsOf(target)] : [];
    });
  const targets = new Map(toGrant.map((role) => [role, listOf(role)] as const));
  const grantedTo: string[] = [];
  for (const [role, list] of targets) {
    const inherits = spreadsOf(list).some((inner) => [...targets.values()].includes(inner));
    const shared = grantedTo.some((other) => targets.get(other) === list);
    if (inherits || shared) continue;
    insertions.push(appendToArray(text, source, list, quote(request.permission)));
    grantedTo.push(role);
  }

  const route = `{ method: '${request.method}', path: '${request.path}', functionName: '${request.functionName}', access: '${request.permission}' }`;
  insertions.push(appendToArray(text, source, arrayNamed('ROUTES'), route));

  // A method the HttpMethod union does not name yet (PUT, today) joins it.
  const methodType = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'HttpMethod');
  if (methodType !== undefined) {
    const members = ts.isUnionTypeNode(methodType.type) ? methodType.type.types : [methodType.type];
    const named = members.flatMap((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? [member.literal.text] : []));
    if (!named.includes(request.method)) insertions.push({ at: methodType.type.end, text: ` | '${request.method}'` });
  }
  return { text: applyInsertions(text, insertions), grantedTo };
}

// ---------------------------------------------------------------------------------------------
// The YAML files: insertions at the end of blocks found by their keys

interface HttpEventYml {
  readonly method: string;
  readonly path: string;
  readonly authorizer?: unknown;
  readonly cors?: unknown;
}
interface ServerlessYml {
  readonly functions?: Record<string, { readonly events?: readonly { readonly http?: HttpEventYml }[] } | undefined>;
  readonly resources?: { readonly Resources?: Record<string, unknown> };
}
interface IamRoleYml {
  readonly Properties?: { readonly Policies?: readonly { readonly PolicyDocument?: { readonly Statement?: readonly { readonly Action?: unknown; readonly Resource?: unknown[] }[] } }[] };
}
interface OpenApiYml {
  readonly paths?: Record<string, Record<string, unknown> | undefined>;
  readonly components?: { readonly schemas?: Record<string, { readonly enum?: unknown[] } | undefined> };
}

function httpEventsOf(serverless: ServerlessYml): HttpEventYml[] {
  return Object.values(serverless.functions ?? {}).flatMap((fn) =>
    (fn?.events ?? []).flatMap((event) =>
      event.http === undefined ? [] : [{ ...event.http, method: event.http.method.toUpperCase(), path: event.http.path.startsWith('/') ? event.http.path : `/${event.http.path}` }],
    ),
  );
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const blank = (line: string): boolean => line.trim() === '';
const spaces = (n: number): string => ' '.repeat(n);

/** The index of the first line from `from` (to `to`) that matches. */
function findLine(lines: readonly string[], pattern: RegExp, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (pattern.test(lines[i] ?? '')) return i;
  return -1;
}

/**
 * The last line of the block a `key:` line opens: the lines after it that are blank or indented
 * deeper (a comment at the key's own indent or less begins what follows, as YAML reads it too).
 * A block sequence may sit at the key's own indent (`key:` then `- item`).
 */
function blockEnd(lines: readonly string[], keyLine: number): number {
  const keyIndent = indentOf(lines[keyLine] ?? '');
  const firstItem = lines.slice(keyLine + 1).find((line) => !blank(line)) ?? '';
  const sequenceAtKeyIndent = indentOf(firstItem) === keyIndent && firstItem.trimStart().startsWith('- ');
  let last = keyLine;
  for (let i = keyLine + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (blank(line)) continue;
    const inside = indentOf(line) > keyIndent || (sequenceAtKeyIndent && indentOf(line) === keyIndent && line.trimStart().startsWith('- '));
    if (!inside) break;
    last = i;
  }
  return last;
}

/** The indent of the first entry under a key (how deep its children sit). */
function childIndent(lines: readonly string[], keyLine: number): number {
  const first = lines.slice(keyLine + 1).find((line) => !blank(line) && !line.trimStart().startsWith('#'));
  return first === undefined ? indentOf(lines[keyLine] ?? '') + 2 : indentOf(first);
}

function insertLines(lines: readonly string[], afterLine: number, added: readonly string[]): string[] {
  return [...lines.slice(0, afterLine + 1), ...added, ...lines.slice(afterLine + 1)];
}

const yamlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
/** A scalar or small object in flow style (JSON is valid YAML flow). */
const flow = (value: unknown): string => (typeof value === 'string' ? yamlString(value) : JSON.stringify(value));

function logGroupArn(functionName: string): unknown {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/lambda/\${self:service}-\${sls:stage}-${functionName}:*`]],
  };
}

function editServerless(text: string, before: ServerlessYml, request: EndpointRequest, protectedEvent: HttpEventYml | undefined): string {
  const cannot = (what: string): never => {
    throw new Refusal(`Cannot find ${what} in serverless.yml: add the function by hand (docs/own-endpoint.md).`);
  };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let lines = text.split(/\r?\n/);
  const { functionName, method, path } = request;
  // The authorizer and CORS settings exactly as the existing protected routes give them.
  const authorizer = protectedEvent?.authorizer ?? '${self:custom.authorizer}';
  const cors = protectedEvent?.cors ?? '${self:custom.cors}';

  // 1. NoDataRole's log statement gains the new function's log group (done first: it lies below `functions`).
  const resources = findLine(lines, /^resources:\s*(#.*)?$/);
  const role = resources < 0 ? -1 : findLine(lines, new RegExp(`^\\s+${LEAST_PRIVILEGE_ROLE}:\\s*(#.*)?$`), resources + 1);
  if (role < 0) return cannot(`resources.Resources.${LEAST_PRIVILEGE_ROLE}`);
  const roleEnd = blockEnd(lines, role);
  const logs = findLine(lines, /logs:PutLogEvents|logs:CreateLogStream/, role, roleEnd + 1);
  const resourceKey = logs < 0 ? -1 : findLine(lines, /^\s*-?\s*Resource:\s*(#.*)?$/, logs, roleEnd + 1);
  if (resourceKey < 0) return cannot(`the log statement of ${LEAST_PRIVILEGE_ROLE}`);
  const item = spaces(childIndent(lines, resourceKey));
  const arnParts = (logGroupArn(functionName) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  lines = insertLines(lines, blockEnd(lines, resourceKey), [
    `${item}- Fn::Join:`,
    `${item}    - ''`,
    `${item}    - - ${flow(arnParts[0])}`,
    ...arnParts.slice(1).map((part) => `${item}      - ${typeof part === 'string' ? flow(part) : `{ Ref: ${(part as { Ref: string }).Ref} }`}`),
  ]);

  // 2. The function, at the end of `functions`.
  const functions = findLine(lines, /^functions:\s*(#.*)?$/);
  if (functions < 0) return cannot('functions');
  const step = childIndent(lines, functions);
  const at = (depth: number) => spaces(step * depth);
  lines = insertLines(lines, blockEnd(lines, functions), [
    `${at(1)}${functionName}:`,
    `${at(2)}# Least privilege: logs only. Give it a role of its own when it needs the table (docs/own-endpoint.md).`,
    `${at(2)}role: ${LEAST_PRIVILEGE_ROLE}`,
    `${at(2)}handler: handlers/${kebab(functionName)}.handler`,
    `${at(2)}events:`,
    `${at(3)}- http: { method: ${method}, path: ${yamlString(path)}, authorizer: ${flow(authorizer)}, cors: ${flow(cors)} }`,
  ]);
  const after = lines.join(eol);

  // The parsed result must be the old document plus exactly these two things.
  const expected = structuredClone(before);
  (expected.functions as Record<string, unknown>)[functionName] = { role: LEAST_PRIVILEGE_ROLE, handler: `handlers/${kebab(functionName)}.handler`, events: [{ http: { method, path, authorizer, cors } }] };
  const roleResource = expected.resources?.Resources?.[LEAST_PRIVILEGE_ROLE] as IamRoleYml | undefined;
  const logStatement = (roleResource?.Properties?.Policies ?? [])
    .flatMap((policy) => policy.PolicyDocument?.Statement ?? [])
    .find((statement) => JSON.stringify(statement.Action).includes('logs:'));
  if (logStatement === undefined || !Array.isArray(logStatement.Resource)) return cannot(`the log statement of ${LEAST_PRIVILEGE_ROLE}`);
  logStatement.Resource.push(logGroupArn(functionName));
  checkYamlEdit('serverless.yml', after, expected);
  return after;
}

function openApiOperation(request: EndpointRequest): Record<string, unknown> {
  const parameters = request.path.split('/').filter(isParameter).map(parameterName);
  const hasBody = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
  const ref = (to: string) => ({ $ref: to });
  const responses: Record<string, unknown> = {
    '200': {
      description: 'OK (scaffolded: describe the real answer)',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['account_id', 'username', ...parameters],
            additionalProperties: false,
            properties: {
              account_id: ref('#/components/schemas/AccountId'),
              username: ref('#/components/schemas/Username'),
              ...Object.fromEntries(parameters.map((name) => [name, { type: 'string', minLength: 1 }])),
            },
          },
        },
      },
    },
    ...(hasBody ? { '400': ref('#/components/responses/BadRequest') } : {}),
    '401': ref('#/components/responses/Unauthorized'),
    '403': ref('#/components/responses/Forbidden'),
    ...(hasBody ? { '413': ref('#/components/responses/PayloadTooLarge'), '415': ref('#/components/responses/UnsupportedMediaType') } : {}),
    '500': ref('#/components/responses/ServerError'),
  };
  return {
    operationId: request.functionName,
    summary: `${request.method} ${request.path} (scaffolded by npm run add-endpoint)`,
    description: `Requires permission \`${request.permission}\`.`,
    security: [{ bearerAuth: [request.permission] }],
    'x-required-permission': request.permission,
    ...(parameters.length > 0
      ? { parameters: parameters.map((name) => ({ name, in: 'path', required: true, description: `The ${name} path parameter`, schema: { type: 'string', minLength: 1 } })) }
      : {}),
    ...(hasBody
      ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: {} } } } } }
      : {}),
    responses,
  };
}

/** The operation as the hand-written style of docs/openapi.yaml lays it out, `depth` steps in. */
function openApiOperationLines(request: EndpointRequest, step: number, depth: number): string[] {
  const at = (n: number) => spaces(step * (depth + n));
  const parameters = request.path.split('/').filter(isParameter).map(parameterName);
  const hasBody = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
  const ref = (status: string, name: string) => `${at(2)}'${status}': { $ref: '#/components/responses/${name}' }`;
  return [
    `${at(0)}${request.method.toLowerCase()}:`,
    `${at(1)}operationId: ${request.functionName}`,
    `${at(1)}summary: ${request.method} ${request.path} (scaffolded by npm run add-endpoint)`,
    `${at(1)}description: Requires permission \`${request.permission}\`.`,
    `${at(1)}security:`,
    `${at(2)}- bearerAuth: ['${request.permission}']`,
    `${at(1)}x-required-permission: ${request.permission}`,
    ...(parameters.length > 0
      ? [
          `${at(1)}parameters:`,
          ...parameters.flatMap((name) => [
            `${at(2)}- name: ${name}`,
            `${at(2)}  in: path`,
            `${at(2)}  required: true`,
            `${at(2)}  description: The ${name} path parameter`,
            `${at(2)}  schema: { type: string, minLength: 1 }`,
          ]),
        ]
      : []),
    ...(hasBody
      ? [
          `${at(1)}requestBody:`,
          `${at(2)}required: true`,
          `${at(2)}content:`,
          `${at(3)}application/json:`,
          `${at(4)}schema: { type: object, additionalProperties: false, properties: {} }`,
        ]
      : []),
    `${at(1)}responses:`,
    `${at(2)}'200':`,
    `${at(3)}description: 'OK (scaffolded: describe the real answer)'`,
    `${at(3)}content:`,
    `${at(4)}application/json:`,
    `${at(5)}schema:`,
    `${at(6)}type: object`,
    `${at(6)}required: [${['account_id', 'username', ...parameters].join(', ')}]`,
    `${at(6)}additionalProperties: false`,
    `${at(6)}properties:`,
    `${at(7)}account_id: { $ref: '#/components/schemas/AccountId' }`,
    `${at(7)}username: { $ref: '#/components/schemas/Username' }`,
    ...parameters.map((name) => `${at(7)}${name}: { type: string, minLength: 1 }`),
    ...(hasBody ? [ref('400', 'BadRequest')] : []),
    ref('401', 'Unauthorized'),
    ref('403', 'Forbidden'),
    ...(hasBody ? [ref('413', 'PayloadTooLarge'), ref('415', 'UnsupportedMediaType')] : []),
    ref('500', 'ServerError'),
  ];
}

function editOpenApi(text: string, before: OpenApiYml, request: EndpointRequest, newPermission: boolean): string {
  const cannot = (what: string): never => {
    throw new Refusal(`Cannot find ${what} in docs/openapi.yaml: add the operation by hand (docs/own-endpoint.md).`);
  };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let lines = text.split(/\r?\n/);
  const escaped = request.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  // 1. The Permission schema's enum gains a new permission (done first: it lies below `paths`).
  const expected = structuredClone(before) as OpenApiYml & { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { enum: unknown[] }> } };
  if (newPermission) {
    const components = findLine(lines, /^components:\s*(#.*)?$/);
    const schemas = components < 0 ? -1 : findLine(lines, /^\s+schemas:\s*(#.*)?$/, components + 1);
    const schemasEnd = schemas < 0 ? -1 : blockEnd(lines, schemas);
    const permission = schemas < 0 ? -1 : findLine(lines, new RegExp(`^${spaces(childIndent(lines, schemas))}Permission:\\s*(#.*)?$`), schemas + 1, schemasEnd + 1);
    const enumLine = permission < 0 ? -1 : findLine(lines, /^\s+enum:/, permission + 1, blockEnd(lines, permission) + 1);
    const values = expected.components?.schemas?.['Permission']?.enum;
    if (enumLine < 0 || !Array.isArray(values)) return cannot('components.schemas.Permission.enum');
    values.push(request.permission);
    const line = lines[enumLine] ?? '';
    if (/^\s+enum:\s*\[/.test(line)) {
      lines[enumLine] = `${spaces(indentOf(line))}enum: [${values.map((value) => yamlString(String(value))).join(', ')}]`;
    } else {
      lines = insertLines(lines, blockEnd(lines, enumLine), [`${spaces(childIndent(lines, enumLine))}- ${yamlString(request.permission)}`]);
    }
  }

  // 2. The operation: under its path if the path is there (another method), else a new path at the end of `paths`.
  const paths = findLine(lines, /^paths:\s*(#.*)?$/);
  if (paths < 0) return cannot('paths');
  const step = childIndent(lines, paths);
  const existing = findLine(lines, new RegExp(`^${spaces(step)}(?:'${escaped}'|"${escaped}"|${escaped}):\\s*(#.*)?$`), paths + 1, blockEnd(lines, paths) + 1);
  if (existing >= 0) {
    lines = insertLines(lines, blockEnd(lines, existing), openApiOperationLines(request, step, 2));
  } else {
    lines = insertLines(lines, blockEnd(lines, paths), ['', `${spaces(step)}${request.path}:`, ...openApiOperationLines(request, step, 2)]);
  }
  const after = lines.join(eol);

  const operation = openApiOperation(request);
  expected.paths[request.path] = { ...(expected.paths[request.path] ?? {}), [request.method.toLowerCase()]: operation };
  // Path parameters declared on an existing path item already cover the new operation.
  const pathLevel = (before.paths?.[request.path] as { parameters?: unknown } | undefined)?.parameters;
  if (pathLevel !== undefined && Array.isArray(operation['parameters'])) {
    throw new Refusal(`${request.path} declares its parameters for every operation in docs/openapi.yaml: add the operation there by hand (docs/own-endpoint.md).`);
  }
  checkYamlEdit('docs/openapi.yaml', after, expected);
  return after;
}

/**
 * Deep equality by value. Not util.isDeepStrictEqual: under jest the evaluated routes module and
 * the test live in different realms, whose arrays have different prototypes.
 */
function sameData(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function checkYamlEdit(file: string, text: string, expected: unknown): void {
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    throw new Refusal(`The edit of ${file} would not parse (${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'}): add the endpoint by hand (docs/own-endpoint.md).`);
  }
  if (!sameData(parsed, expected)) {
    throw new Refusal(`The edit of ${file} did not come out as intended: add the endpoint by hand (docs/own-endpoint.md).`);
  }
}

// ---------------------------------------------------------------------------------------------
// The new files

function handlerSource(request: EndpointRequest): string {
  const parameters = request.path.split('/').filter(isParameter).map(parameterName);
  const hasBody = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
  const imports = [
    ...(hasBody ? [`import { z } from 'zod';`] : []),
    `import { callerOf${parameters.length > 0 ? ', pathParameter' : ''} } from '../lib/http/caller';`,
    `import { httpHandler } from '../lib/http/handler';`,
    ...(hasBody ? [`import { parseBody } from '../lib/http/request';`] : []),
    `import { json } from '../lib/http/responses';`,
  ];
  const answer = ['account_id: caller.id', 'username: caller.username', ...parameters];
  return [
    ...imports,
    '',
    ...(hasBody
      ? [
          `/** The body ${request.method} ${request.path} accepts: add its fields here and in docs/openapi.yaml (unknown fields are a 400). */`,
          `const Body = z.strictObject({});`,
          '',
        ]
      : []),
    '/**',
    ` * ${request.method} ${request.path}. API Gateway calls it only after the authorizer has allowed the token`,
    ` * for this route, i.e. its scope holds \`${request.permission}\` (lib/routes.ts): the handler need not check.`,
    ' * Made by `npm run add-endpoint` (docs/own-endpoint.md). Keep it thin: parse, one call into lib/, respond.',
    ' */',
    'export const handler = httpHandler(async (event) => {',
    '  // Who is calling, as the authorizer verified it: id, username, roles, permissions.',
    '  const caller = callerOf(event);',
    ...parameters.map((name) => `  const ${name} = pathParameter(event, '${name}');`),
    ...(hasBody ? ['  parseBody(event, Body);'] : []),
    `  return json(200, { ${answer.join(', ')} });`,
    '});',
    '',
  ].join('\n');
}

function handlerTestSource(request: EndpointRequest, role: string): string {
  const parameters = request.path.split('/').filter(isParameter).map(parameterName);
  const concrete = request.path.replace(/\{([^}]+)\}/g, (_match, name: string) => `example-${name}`);
  const hasBody = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
  const event = (account: string) => `protectedEvent({ method: '${request.method}', path: '${concrete}', ${account}${hasBody ? ', json: {}' : ''} })`;
  const body = ['account_id: account.id', 'username: account.username', ...parameters.map((name) => `${name}: 'example-${name}'`)];
  return [
    `import { randomUUID } from 'node:crypto';`,
    `import { handler } from '../../handlers/${kebab(request.functionName)}';`,
    `import { bodyOf, lambdaContext } from '../support/events';`,
    `import { protectedEvent } from '../support/protected-event';`,
    '',
    `// Made by \`npm run add-endpoint\`: grow it with the handler (docs/own-endpoint.md).`,
    `const account = { id: randomUUID(), username: 'alice', roles: ['${role}'] } as const;`,
    '',
    `describe('${request.method} ${request.path}', () => {`,
    `  it('answers for the account the authorizer let through', async () => {`,
    `    const response = await handler(${event('account')}, lambdaContext('${request.functionName}'));`,
    '',
    `    expect({ status: response.statusCode, body: bodyOf(response) }).toEqual({ status: 200, body: { ${body.join(', ')} } });`,
    '  });',
    '',
    `  it('is not reached without ${request.permission}: the authorizer turns such a token away first', () => {`,
    `    expect(() => ${event('account: { ...account, roles: [] }')}).toThrow('${request.permission}');`,
    '  });',
    '});',
    '',
  ].join('\n');
}
