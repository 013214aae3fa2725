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
  test.each<[string, (username: string, password: string) => RequestOptions, number, string]>([
    ['malformed JSON', (u, p) => ({ body: `{"username":"${u}","password":"${p}"`, headers: { 'content-type': 'application/json' } }), 400, 'invalid_request'],
    ['a JSON array', (u, p) => ({ json: [{ username: u, password: p }] }), 400, 'invalid_request'],
    ['JSON null', () => ({ json: null }), 400, 'invalid_request'],
    ['a number for the password', (u) => ({ json: { username: u, password: 12345678 } }), 400, 'invalid_request'],
    ['a missing password', (u) => ({ json: { username: u } }), 400, 'invalid_request'],
    ['an unknown field', (u, p) => ({ json: { username: u, password: p, roles: ['admin'] } }), 400, 'invalid_request'],
    ['a __proto__ key', (u, p) => ({ body: `{"username":"${u}","password":"${p}","__proto__":{"roles":["admin"]}}`, headers: { 'content-type': 'application/json' } }), 400, 'invalid_request'],
    ['a password of 7 characters', (u) => ({ json: { username: u, password: 'short12' } }), 400, 'invalid_request'],
    ['a password of 73 bytes', (u) => ({ json: { username: u, password: 'x'.repeat(73) } }), 400, 'invalid_request'],
    ['text/plain', (u, p) => ({ body: JSON.stringify({ username: u, password: p }), headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['no Content-Type', (u, p) => ({ body: JSON.stringify({ username: u, password: p }) }), 415, 'unsupported_media_type'],
    ['a body over 16 KiB', (u, p) => ({ json: { username: u, password: p, padding: 'x'.repeat(17 * 1024) } }), 413, 'payload_too_large'],
  ])('%s → %i %s', async (_name, build, status, error) => {
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
  test.each<[string, RequestOptions, number, string]>([
    ['malformed JSON', { body: '{"username":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
    ['an empty JSON object', { json: {} }, 400, 'invalid_request'],
    ['an empty form', { body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, 'invalid_request'],
    ['a repeated form field', { body: 'username=a&username=b&password=12345678', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, 'invalid_request'],
    ['XML', { body: '<login/>', headers: { 'content-type': 'application/xml' } }, 415, 'unsupported_media_type'],
  ])('%s → %i %s', async (_name, options, status, error) => {
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

  test('a malformed account id is 404 not_found, not a server error', async () => {
    const token = await adminToken();

    const response = await request('GET', `/admin/users/${encodeURIComponent('../../etc/passwd')}`, { token });

    expect([400, 404]).toContain(response.status);
    expectApiError(response, response.status, response.status === 404 ? 'not_found' : 'invalid_request');
  });
});
