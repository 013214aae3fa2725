/* eslint-disable @typescript-eslint/no-explicit-any -- walks the untyped OpenAPI document */
/**
 * docs/openapi.yaml for the tests: loading, local $ref resolution, and finding the operation a
 * concrete request falls on. (swagger-parser's own dereference is ESM inside, which jest 29 cannot
 * load; test/support/validate-openapi.js runs it in plain Node for the validity check.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const OPENAPI_PATH = join(__dirname, '..', '..', 'docs', 'openapi.yaml');

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type OpenApiDocument = Record<string, any>;

export function loadOpenApi(): OpenApiDocument {
  return load(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument;
}

/** A copy with every local `$ref` (`#/…`) replaced by what it points at. */
export function dereference(document: OpenApiDocument): OpenApiDocument {
  const resolve = (node: unknown, trail: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, trail));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
      if (trail.includes(ref)) throw new Error(`Circular $ref: ${[...trail, ref].join(' → ')}`);
      const target = ref
        .slice(2)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<any>((at, part) => (at === undefined ? undefined : at[part]), document);
      if (target === undefined) throw new Error(`$ref points at nothing: ${ref}`);
      return resolve(target, [...trail, ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([name, value]) => [name, resolve(value, trail)]));
  };
  return resolve(document, []) as OpenApiDocument;
}

export interface Operation {
  /** `GET /admin/users/{id}` */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly operation: Record<string, any>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document['paths'] as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => (HTTP_METHODS as readonly string[]).includes(method))
      .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation })),
  );
}

/** The operation a concrete method and path (`/admin/users/abc`, no query) falls on. */
export function findOperation(document: OpenApiDocument, method: string, concretePath: string): Operation | undefined {
  const segments = concretePath.split('/');
  return operationsOf(document).find((candidate) => {
    if (candidate.method !== method.toUpperCase()) return false;
    const template = candidate.path.split('/');
    return (
      template.length === segments.length &&
      template.every((part, index) => (/^\{[^}]+\}$/.test(part) ? (segments[index] ?? '') !== '' : part === segments[index]))
    );
  });
}
