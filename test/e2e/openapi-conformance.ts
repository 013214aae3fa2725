/* eslint-disable @typescript-eslint/no-explicit-any -- walks the untyped OpenAPI document */
/**
 * Checks real responses against docs/openapi.yaml: the status is one the operation declares,
 * the body matches that response's schema (JSON Schema 2020-12, with ajv), its media type is a
 * declared one, and every required header is there and matches its schema.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { dereference, findOperation, loadOpenApi, type OpenApiDocument, type Operation } from '../support/openapi';

/** What the helper needs of a response: what was asked, and what came back. */
export interface ExchangedResponse {
  readonly method: string;
  /** The path as requested, relative to the base URL; a query string is ignored. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: unknown;
}

let document: OpenApiDocument | undefined;
const openapi = (): OpenApiDocument => (document ??= dereference(loadOpenApi()));

// strictTypes off: the error responses narrow `error` in an allOf branch that names no type.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
addFormats(ajv);
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function operationOf(response: ExchangedResponse): Operation {
  const path = response.path.split('?')[0] ?? '';
  const found = findOperation(openapi(), response.method, path);
  if (found === undefined) throw new Error(`docs/openapi.yaml describes no operation for ${response.method} ${path}`);
  return found;
}

function declaredResponse(response: ExchangedResponse): { operation: Operation; declared: Record<string, any> } {
  const operation = operationOf(response);
  const responses = operation.operation['responses'] as Record<string, Record<string, any>>;
  const declared = responses[String(response.status)] ?? responses['default'];
  if (declared === undefined) {
    throw new Error(
      `docs/openapi.yaml allows ${Object.keys(responses).join(', ')} for ${operation.route}, not ${response.status}: ${response.text.slice(0, 300)}`,
    );
  }
  return { operation, declared };
}

function check(schema: object, value: unknown, what: string): void {
  const validate = validatorFor(schema);
  if (!validate(value)) throw new Error(`${what} does not match docs/openapi.yaml: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
}

/** The response is one docs/openapi.yaml declares for its operation: status, media type, body and headers. */
export function expectConformsToOpenApi(response: ExchangedResponse): void {
  const { operation, declared } = declaredResponse(response);
  const where = `${operation.route} → ${response.status}`;
  const content = declared['content'] as Record<string, { schema?: object }> | undefined;
  if (content === undefined) {
    if (response.text !== '') throw new Error(`${where} declares no body, but one came: ${response.text.slice(0, 300)}`);
  } else {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const media = content[mediaType];
    if (media === undefined) throw new Error(`${where} declares ${Object.keys(content).join(', ')}, not "${mediaType}"`);
    // A JSON body is checked as parsed; any other (the pages' HTML, CSS and script) as its text.
    const body = mediaType === 'application/json' ? response.body : response.text;
    if (media.schema !== undefined) check(media.schema, body, `The body of ${where}`);
  }
  for (const [name, header] of Object.entries((declared['headers'] ?? {}) as Record<string, Record<string, any>>)) {
    const value = response.headers.get(name);
    if (value === null) {
      if (header['required'] === true) throw new Error(`${where} must carry the header ${name}`);
      continue;
    }
    if (header['schema'] !== undefined) check(header['schema'] as object, value, `The header ${name} of ${where}`);
  }
}

/**
 * For answers the gateway writes itself (the authorizer's 401 and 403): the status must be one
 * the operation declares. The body is not checked here: serverless-offline writes its own, where
 * API Gateway in AWS applies the GatewayResponses of serverless.yml (checked in the template test).
 */
export function expectStatusDeclaredInOpenApi(response: ExchangedResponse): void {
  declaredResponse(response);
}
