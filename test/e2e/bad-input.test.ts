/**
 * Bad input over HTTP: each gets API.md's error shape and changes nothing (the username it
 * named stays free, and no account can log in with the password it carried).
 */
import {
  adminToken,
  expectApiError,
  expectLoginRefused,
  expectUsernameFree,
  newPassword,
  request,
  uniqueUsername,
  type RequestOptions,
} from './support';

async function expectNothingCreated(username: string, password: string): Promise<void> {
  await expectLoginRefused(username, password);
  await expectUsernameFree(username);
}

describe('POST /auth/register with a bad body', () => {
  test.each<[string, number, string, (username: string, password: string) => RequestOptions]>([
    ['malformed JSON', 400, 'invalid_request', (u, p) => ({ body: `{"username":"${u}","password":"${p}"`, headers: { 'content-type': 'application/json' } })],
    ['a JSON array', 400, 'invalid_request', (u, p) => ({ json: [{ username: u, password: p }] })],
    ['JSON null', 400, 'invalid_request', () => ({ json: null })],
    ['a number for the password', 400, 'invalid_request', (u) => ({ json: { username: u, password: 12345678 } })],
    ['a missing password', 400, 'invalid_request', (u) => ({ json: { username: u } })],
    ['an unknown field', 400, 'invalid_request', (u, p) => ({ json: { username: u, password: p, roles: ['admin'] } })],
    ['a __proto__ key', 400, 'invalid_request', (u, p) => ({ body: `{"username":"${u}","password":"${p}","__proto__":{"roles":["admin"]}}`, headers: { 'content-type': 'application/json' } })],
    ['a password of 7 characters', 400, 'invalid_request', (u) => ({ json: { username: u, password: 'short12' } })],
    ['a password of 73 bytes', 400, 'invalid_request', (u) => ({ json: { username: u, password: 'x'.repeat(73) } })],
    ['text/plain', 415, 'unsupported_media_type', (u, p) => ({ body: JSON.stringify({ username: u, password: p }), headers: { 'content-type': 'text/plain' } })],
    ['a body over 16 KiB', 413, 'payload_too_large', (u, p) => ({ json: { username: u, password: p, padding: 'x'.repeat(17 * 1024) } })],
  ])('%s → %i %s', async (_name, status, error, build) => {
    const username = uniqueUsername('bad');
    const password = newPassword();

    const response = await request('POST', '/auth/register', build(username, password));

    expectApiError(response, status, error);
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|SyntaxError|ZodError/);
    await expectNothingCreated(username, password);
  });

  test.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(65)],
    ['with a space', 'two words'],
    ['with a slash', 'a/b'],
  ])('a username %s is 400 invalid_request', async (_name, username) => {
    const response = await request('POST', '/auth/register', { json: { username, password: newPassword() } });

    expectApiError(response, 400, 'invalid_request');
  });
});

describe('POST /auth/login with a bad body', () => {
  test.each<[string, number, string, RequestOptions]>([
    ['malformed JSON', 400, 'invalid_request', { body: '{"username":', headers: { 'content-type': 'application/json' } }],
    ['an empty JSON object', 400, 'invalid_request', { json: {} }],
    ['an empty form', 400, 'invalid_request', { body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['a repeated form field', 400, 'invalid_request', { body: 'username=a&username=b&password=12345678', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['XML', 415, 'unsupported_media_type', { body: '<login/>', headers: { 'content-type': 'application/xml' } }],
  ])('%s → %i %s', async (_name, status, error, options) => {
    expectApiError(await request('POST', '/auth/login', options), status, error);
  });
});

describe('admin routes with a bad body', () => {
  test('malformed JSON on POST /admin/users is 400 and creates nothing', async () => {
    const token = await adminToken();
    const username = uniqueUsername('badadmin');
    const password = newPassword();

    const response = await request('POST', '/admin/users', {
      token,
      body: `{"username":"${username}","password":"${password}","roles":["user"]`,
      headers: { 'content-type': 'application/json' },
    });

    expectApiError(response, 400, 'invalid_request');
    await expectNothingCreated(username, password);
  });

  test.each([
    ['a path-like id', encodeURIComponent('../../etc/passwd')],
    ['an id longer than any DynamoDB key', 'a'.repeat(3000)],
  ])('%s is 404 not_found, not a storage or server error', async (_name, id) => {
    const token = await adminToken();

    expectApiError(await request('GET', `/admin/users/${id}`, { token }), 404, 'not_found');
    expectApiError(await request('PATCH', `/admin/users/${id}`, { token, json: { disabled: true } }), 404, 'not_found');
  });
});
