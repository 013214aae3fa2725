import type { APIGatewayProxyResult } from 'aws-lambda';
import { handler as adminCreateUser } from '../../handlers/admin-create-user';
import { handler as login } from '../../handlers/login';
import { handler as register } from '../../handlers/register';
import { accountService } from '../../lib/dependencies/accounts';
import { bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';

export const PASSWORD = 'correct horse battery';

export async function registerUser(username = uniqueUsername(), password = PASSWORD): Promise<{ id: string; username: string }> {
  const response = await register(httpEvent({ method: 'POST', resource: '/auth/register', json: { username, password } }), lambdaContext());
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return bodyOf(response);
}

/** An admin made through the same service the admin seed of `npm start` uses. */
export async function createAdmin(): Promise<{ id: string; username: string; token: string }> {
  const username = uniqueUsername('admin');
  const account = await accountService().createAccount({ username, password: PASSWORD, roles: ['admin'] });
  return { id: account.id, username, token: await tokenFor(username) };
}

export async function loginResponse(username: string, password = PASSWORD): Promise<APIGatewayProxyResult> {
  return login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password } }), lambdaContext());
}

export async function tokenFor(username: string, password = PASSWORD): Promise<string> {
  const response = await loginResponse(username, password);
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return bodyOf<{ access_token: string }>(response).access_token;
}

export { adminCreateUser };

/** Every application error: API.md's shape, JSON, and nothing else in the body. */
export function expectApiError(response: APIGatewayProxyResult, status: number, error: string): void {
  expect({ status: response.statusCode, body: bodyOf(response) }).toEqual({
    status,
    body: { error, error_description: expect.any(String) },
  });
  expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  if (status === 401) expect(String(response.headers?.['WWW-Authenticate'])).toMatch(new RegExp(`^Bearer error="${error}"`));
}

/**
 * API Gateway's authorizer contract: a 401 only for exactly Error('Unauthorized') — a plain Error
 * with that message and nothing attached (anything else thrown is a 500). `toEqual` on errors
 * compares messages only, so a TypeError('Unauthorized') would pass it; this does not.
 */
export async function expectUnauthorized(outcome: Promise<unknown>): Promise<void> {
  const settled = await outcome.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  const thrown = 'rejected' in settled ? settled.rejected : undefined;
  const shape = (error: unknown) =>
    error instanceof Error
      ? {
          prototype: Object.getPrototypeOf(error) === Error.prototype ? 'Error.prototype' : String(error.constructor?.name),
          message: error.message,
          enumerable: Object.keys(error),
          cause: error.cause,
        }
      : { notAnError: 'resolved' in settled ? { resolved: settled.resolved } : thrown };
  expect(shape(thrown)).toEqual({ prototype: 'Error.prototype', message: 'Unauthorized', enumerable: [], cause: undefined });
}

/**
 * The authorizer could not decide (the store is down): it throws anything but exactly
 * Error('Unauthorized'), which API Gateway answers as AUTHORIZER_FAILURE (our 503), never a 401.
 */
export async function expectAuthorizerFailure(outcome: Promise<unknown>): Promise<void> {
  const thrown = await outcome.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Error).message).not.toBe('Unauthorized');
}
