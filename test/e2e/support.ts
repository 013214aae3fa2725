/**
 * Helpers for the e2e suite: the service as `npm start` runs it (started by
 * test/support/service-global-setup.ts), reached over real HTTP with Node's fetch.
 */
import { randomBytes } from 'node:crypto';
import { permissionsForRoles } from '../../lib/routes';
import { expectConformsToOpenApi, expectStatusDeclaredInOpenApi, type ExchangedResponse } from './openapi-conformance';

/** A response as the suite sees it: what was asked and what came back (the body parsed when JSON). */
export type ApiResponse = ExchangedResponse;

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Serialised as JSON, with Content-Type application/json. */
  readonly json?: unknown;
  /** Serialised as application/x-www-form-urlencoded. */
  readonly form?: Record<string, string>;
  /** A raw body, sent as is (give its Content-Type in headers). */
  readonly body?: string;
  /** Applied last, so they can override the defaults above. */
  readonly headers?: Record<string, string>;
  /** Another running instance's base URL (default: the suite's service). */
  readonly baseUrl?: string;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly scope: string;
}

export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly roles: string[];
  readonly disabled: boolean;
  readonly created_at: string;
}

export interface RegisteredUser {
  readonly id: string;
  readonly username: string;
  readonly roles: string[];
}

export interface ErrorBody {
  readonly error: string;
  readonly error_description: string;
}

/** What lib/routes.ts grants each role, in the order a token's scope and GET /me list them. */
export const USER_PERMISSIONS = permissionsForRoles(['user']);
export const ADMIN_PERMISSIONS = permissionsForRoles(['admin']);

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the e2e tests with \`npx jest --selectProjects e2e\`.`);
  }
  return value;
}

export const baseUrl = (): string => setting('E2E_BASE_URL');

export const admin = (): { username: string; password: string } => ({
  username: setting('E2E_ADMIN_USERNAME'),
  password: setting('E2E_ADMIN_PASSWORD'),
});

/** The HS256 secret the suite gave the service, for minting tokens it must refuse. */
export const jwtSecret = (): string => setting('E2E_JWT_SECRET');

export async function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const response = await fetch(`${options.baseUrl ?? baseUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  return { method, path, status: response.status, headers: response.headers, text, body: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The body, typed by the caller once the status has been checked. */
export function bodyOf<T>(response: ApiResponse): T {
  return response.body as T;
}

/**
 * Fails with the response body in the message, which `expect(status).toBe()` would not show; then
 * checks the response against docs/openapi.yaml (status declared, body and headers as described).
 */
export function expectStatus(response: ApiResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  expectConformsToOpenApi(response);
}

/**
 * A refusal the gateway writes itself (the authorizer's 401/403): the status, and that
 * docs/openapi.yaml declares it for the operation. serverless-offline writes its own body there.
 */
export function expectGatewayRefusal(response: ApiResponse, status: 401 | 403): void {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  expectStatusDeclaredInOpenApi(response);
}

/**
 * An error the application wrote: the status, exactly `{error, error_description}` (strings) as
 * JSON, and for a 401 a `WWW-Authenticate: Bearer …` challenge.
 */
export function expectApiError(response: ApiResponse, status: number, error: string): ErrorBody {
  expectStatus(response, status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
  const body = bodyOf<Record<string, unknown>>(response);
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body['error']).toBe(error);
  expect(typeof body['error_description']).toBe('string');
  expect(body['error_description']).not.toBe('');
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  return body as unknown as ErrorBody;
}

/** A username no other test uses (lower-case Latin, so it is already in its normalised form). */
export function uniqueUsername(prefix = 'e2e'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function newPassword(): string {
  return `pw-${randomBytes(12).toString('base64url')}`;
}

export async function register(username: string, password: string): Promise<RegisteredUser> {
  const response = await request('POST', '/auth/register', { json: { username, password } });
  expectStatus(response, 201);
  return bodyOf<RegisteredUser>(response);
}

export async function login(username: string, password: string): Promise<string> {
  const response = await request('POST', '/auth/login', { json: { username, password } });
  expectStatus(response, 200);
  return bodyOf<TokenResponse>(response).access_token;
}

/** A registered account with the `user` role and a fresh access token. */
export async function newUser(prefix = 'e2e'): Promise<RegisteredUser & { password: string; token: string }> {
  const username = uniqueUsername(prefix);
  const password = newPassword();
  const account = await register(username, password);
  return { ...account, password, token: await login(username, password) };
}

export async function adminToken(): Promise<string> {
  const { username, password } = admin();
  return login(username, password);
}

export async function createUser(
  token: string,
  input: { username: string; password: string; roles: string[] },
): Promise<UserView> {
  const response = await request('POST', '/admin/users', { token, json: input });
  expectStatus(response, 201);
  return bodyOf<UserView>(response);
}

/** The login attempt is refused as a bad credential (401 invalid_grant). */
export async function expectLoginRefused(username: string, password: string): Promise<ErrorBody> {
  return expectApiError(await request('POST', '/auth/login', { json: { username, password } }), 401, 'invalid_grant');
}

/** Proves a username is free: registering it succeeds (and creates it). */
export async function expectUsernameFree(username: string): Promise<void> {
  await register(username, newPassword());
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signature: string;
}

export function decodeJwt(token: string): DecodedJwt {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload), signature };
}

export function encodeJwtPart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
