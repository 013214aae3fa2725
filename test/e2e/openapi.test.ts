/**
 * GET /openapi.json as the bundled service serves it, and the conformance check every other e2e
 * test applies through expectStatus: shown here to refuse responses that break the document.
 */
import { randomUUID } from 'node:crypto';
import { loadOpenApi } from '../support/openapi';
import { expectConformsToOpenApi, type ExchangedResponse } from './openapi-conformance';
import { bodyOf, expectStatus, newUser, request } from './support';

describe('GET /openapi.json', () => {
  test('serves docs/openapi.yaml, as bundled into the function, without a token', async () => {
    const response = await request('GET', '/openapi.json');

    expectStatus(response, 200);
    expect(bodyOf(response)).toEqual(loadOpenApi());
  });
});

describe('the OpenAPI conformance check', () => {
  const jsonHeaders = (extra: Record<string, string> = {}) => new Headers({ 'content-type': 'application/json; charset=utf-8', ...extra });
  const exchange = (response: Omit<ExchangedResponse, 'text'>): ExchangedResponse => ({
    ...response,
    text: response.body === undefined ? '' : JSON.stringify(response.body),
  });

  test('passes a real /me response (the control for the refusals below)', async () => {
    const user = await newUser('conform');
    const response = await request('GET', '/me', { token: user.token });

    expect(() => expectConformsToOpenApi(response)).not.toThrow();
  });

  test.each<[string, Omit<ExchangedResponse, 'text'>, RegExp]>([
    [
      'a field the schema does not have',
      {
        method: 'GET',
        path: '/me',
        status: 200,
        headers: jsonHeaders(),
        body: { id: randomUUID(), username: 'alice', roles: ['user'], permissions: ['profile:read'], logged_in_as: 'alice', password_hash: 'x' },
      },
      /must NOT have additional properties/,
    ],
    ['a status the operation does not declare', { method: 'GET', path: '/me', status: 418, headers: jsonHeaders(), body: {} }, /allows .* not 418/],
    [
      'a 401 without WWW-Authenticate',
      { method: 'POST', path: '/auth/login', status: 401, headers: jsonHeaders(), body: { error: 'invalid_grant', error_description: 'No.' } },
      /must carry the header WWW-Authenticate/,
    ],
    [
      'an error code that does not belong to the status',
      { method: 'POST', path: '/auth/register', status: 409, headers: jsonHeaders(), body: { error: 'not_found', error_description: 'No.' } },
      /must be equal to constant/,
    ],
    [
      'a token response that may be cached',
      {
        method: 'POST',
        path: '/auth/login',
        status: 200,
        headers: jsonHeaders({ 'cache-control': 'max-age=60', pragma: 'no-cache' }),
        body: { access_token: 'a.b.c', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', scope: 'profile:read' },
      },
      /header Cache-Control/,
    ],
    ['a route the document does not describe', { method: 'GET', path: '/nowhere', status: 200, headers: jsonHeaders(), body: {} }, /describes no operation/],
  ])('refuses %s', (_name, response, message) => {
    expect(() => expectConformsToOpenApi(exchange(response))).toThrow(message);
  });
});
