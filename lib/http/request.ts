import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';

/** Bodies are tiny JSON objects; anything larger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;
const MAX_DESCRIPTION = 200;

export type BodyFormat = 'json' | 'form' | 'json-or-form';

/** A header's values whatever the case of its name, from both header maps API Gateway fills. */
export function headerValues(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  name: string,
): string[] {
  // Plain loops: the authorizer reads Authorization this way on every request. A name that
  // lower-cases to an ASCII one is as long as it (only U+0130 grows, into a non-ASCII pair), so
  // only names of the wanted length are lower-cased and compared.
  const wanted = name.toLowerCase();
  const values: string[] = [];
  const multi = event.multiValueHeaders ?? {};
  for (const key of Object.keys(multi)) {
    if (key.length === wanted.length && key.toLowerCase() === wanted) for (const value of multi[key] ?? []) values.push(value);
  }
  if (values.length > 0) return values;
  const single = event.headers ?? {};
  for (const key of Object.keys(single)) {
    const value = single[key];
    if (value !== undefined && key.length === wanted.length && key.toLowerCase() === wanted) values.push(value);
  }
  return values;
}

export function header(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>, name: string): string | undefined {
  return headerValues(event, name)[0];
}

/** Decodes, size-checks, parses (JSON or form) and validates a request body against a schema. */
export function parseBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S, format: BodyFormat = 'json'): z.infer<S> {
  return validate(schema, readBody(event, format));
}

/** Validates query string parameters; a repeated parameter is refused rather than guessed at. */
export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  const repeated = Object.entries(event.multiValueQueryStringParameters ?? {}).find(([, values]) => (values ?? []).length > 1);
  if (repeated !== undefined) throw new ValidationError(describe(`query parameter ${repeated[0]} is repeated`));
  return validate(schema, { ...(event.queryStringParameters ?? {}) });
}

/** Like parseBody, for a body that may be absent altogether (then the schema sees `{}`). */
export function parseOptionalBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S, format: BodyFormat = 'json'): z.infer<S> {
  const absent = (event.body ?? '').trim() === '';
  return absent ? validate(schema, {}) : parseBody(event, schema, format);
}

function readBody(event: APIGatewayProxyEvent, format: BodyFormat): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const contentTypes = headerValues(event, 'content-type');
  // Two Content-Type headers make the body's meaning ambiguous: refuse rather than pick one.
  if (contentTypes.length > 1) throw new ValidationError('Content-Type is given more than once.');
  const mediaType = (contentTypes[0] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = bytes.toString('utf8');
  if (mediaType === 'application/json' && format !== 'form') return parseJson(text);
  if (mediaType === 'application/x-www-form-urlencoded' && format !== 'json') return parseForm(text);
  const accepted = {
    json: 'application/json',
    form: 'application/x-www-form-urlencoded',
    'json-or-form': 'application/json or application/x-www-form-urlencoded',
  }[format];
  throw new UnsupportedMediaTypeError(`Content-Type must be ${accepted}.`);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new ValidationError('The request body is empty.');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

function parseForm(text: string): Record<string, string> {
  const params = new URLSearchParams(text);
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of params) {
    // RFC 6749 §3.2: parameters must not be included more than once.
    if (Object.prototype.hasOwnProperty.call(fields, key)) throw new ValidationError(describe(`${key} is repeated`));
    fields[key] = value;
  }
  return { ...fields };
}

function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
  throw new ValidationError(describe(`${where}: ${issue?.message ?? 'invalid'}`));
}

function describe(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}
