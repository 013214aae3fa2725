/* eslint-disable @typescript-eslint/no-explicit-any -- walks the untyped OpenAPI document */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';
import { PERMISSIONS, ROLES, ROUTES } from '../../lib/routes';
import { dereference, loadOpenApi, OPENAPI_PATH, operationsOf } from '../support/openapi';

const ROOT = join(__dirname, '..', '..');

interface ServerlessYml {
  functions: Record<string, { events?: { http?: { method: string; path: string } }[] }>;
}
const yml = load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessYml;

const key = (method: string, path: string) => `${method.toUpperCase()} ${path.startsWith('/') ? path : `/${path}`}`;

const document = loadOpenApi();
const operations = operationsOf(dereference(document));
const inDocument = new Set(operations.map((operation) => operation.route));
const inServerless = new Set(
  Object.values(yml.functions).flatMap((fn) => (fn.events ?? []).flatMap((event) => (event.http ? [key(event.http.method, event.http.path)] : []))),
);
const inRoutes = new Set(ROUTES.map((route) => key(route.method, route.path)));

/** Runs swagger-parser in plain Node on a document file; its output is "valid" or the errors. */
function validate(path: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'support', 'validate-openapi.js'), path], { encoding: 'utf8', cwd: ROOT });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document (swagger-parser)', () => {
    expect(validate(OPENAPI_PATH)).toEqual({ status: 0, output: 'valid' });
    expect(document['openapi']).toMatch(/^3\.1\.\d+$/);
  });

  it('would be refused by the same check if it were broken (the control)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'broken.yaml');
    writeFileSync(broken, readFileSync(OPENAPI_PATH, 'utf8').replace("$ref: '#/components/schemas/Me'", "$ref: '#/components/schemas/NoSuchSchema'"));

    expect(validate(broken)).toEqual({ status: 1, output: expect.stringContaining('NoSuchSchema') });
  });

  // One case per route of any of the three, so a route missing from one of them is named.
  test.each([...new Set([...inDocument, ...inServerless, ...inRoutes])].sort())(
    '%s is in docs/openapi.yaml, serverless.yml and lib/routes.ts',
    (route) => {
      expect({ route, openapi: inDocument.has(route), serverless: inServerless.has(route), routes: inRoutes.has(route) }).toEqual({
        route,
        openapi: true,
        serverless: true,
        routes: true,
      });
    },
  );

  it('gives every route of lib/routes.ts the permission lib/routes.ts gives it', () => {
    const byRoute = new Map(operations.map((operation) => [operation.route, operation.operation]));
    for (const route of ROUTES) {
      const operation = byRoute.get(key(route.method, route.path));
      if (operation === undefined) continue; // named by the test above
      const declared = {
        route: key(route.method, route.path),
        permission: operation['x-required-permission'] ?? (operation['security'] === undefined ? 'public' : 'session'),
        security: operation['security'],
        described:
          route.access === 'public'
            ? /^Public\b/.test(operation['description'])
            : route.access === 'session'
              ? String(operation['description']).startsWith('Requires a valid access token (any permission')
              : String(operation['description']).includes(`Requires permission \`${route.access}\``),
      };
      expect(declared).toEqual({
        route: key(route.method, route.path),
        permission: route.access,
        security: route.access === 'public' ? undefined : [{ bearerAuth: route.access === 'session' ? [] : [route.access] }],
        described: true,
      });
    }
  });

  // Responses carrying permissions or roles (GET /me, the admin user views) are validated against these
  // enums in the e2e suite; npm run add-endpoint adds a new permission to both places.
  it('lists exactly the permissions and roles of lib/routes.ts in its Permission and Role schemas', () => {
    const schemas = document['components'].schemas;
    expect({ permissions: schemas.Permission.enum, roles: schemas.Role.enum }).toEqual({ permissions: [...PERMISSIONS], roles: [...ROLES] });
  });

  it('declares the errors each kind of operation can meet, in the one error shape', () => {
    for (const { route, operation } of operations) {
      const statuses = Object.keys(operation['responses'] as object);
      const expected = ['500'];
      if (operation['security'] !== undefined) expected.push('401', '403');
      if (operation['requestBody'] !== undefined) expected.push('400', '413', '415');
      expect({ route, missing: expected.filter((status) => !statuses.includes(status)) }).toEqual({ route, missing: [] });

      for (const [status, response] of Object.entries(operation['responses'] as Record<string, any>)) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        const shape = schema?.allOf?.[0] ?? schema;
        expect({ route, status, required: shape?.required }).toEqual({ route, status, required: ['error', 'error_description'] });
        if (status === '401') expect({ route, header: response.headers?.['WWW-Authenticate']?.required }).toEqual({ route, header: true });
        if (status === '429') expect({ route, header: response.headers?.['Retry-After']?.required }).toEqual({ route, header: true });
      }
    }
  });

  it('holds only schemas a strict JSON Schema 2020-12 validator accepts: no unknown or misspelt keyword', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false });
    addFormats(ajv);
    const dereferenced = dereference(document);
    const schemas: [string, object][] = Object.entries(dereferenced['components'].schemas as Record<string, object>);
    for (const { route, operation } of operations) {
      for (const [status, response] of Object.entries(operation['responses'] as Record<string, any>)) {
        for (const [media, content] of Object.entries((response.content ?? {}) as Record<string, any>)) schemas.push([`${route} ${status} ${media}`, content.schema]);
        for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, any>)) schemas.push([`${route} ${status} ${name}`, header.schema]);
      }
      for (const [media, content] of Object.entries((operation['requestBody']?.content ?? {}) as Record<string, any>)) schemas.push([`${route} body ${media}`, content.schema]);
    }

    const compiles = (schema: object): true | string => {
      try {
        ajv.compile(schema);
        return true;
      } catch (error) {
        return String(error);
      }
    };
    for (const [where, schema] of schemas) expect({ where, compiles: compiles(schema) }).toEqual({ where, compiles: true });
  });

  it('is public by default, and a Bearer JWT scheme guards the protected operations', () => {
    expect(document['security']).toEqual([]);
    expect(document['components'].securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });
});
