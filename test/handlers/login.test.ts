import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { handler as login } from '../../handlers/login';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { handler as adminUpdateUser } from '../../handlers/admin-update-user';
import { authorizedEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { scopeOf } from '../support/protected-event';
import { createAdmin, expectApiError, loginResponse, PASSWORD, registerUser } from './helpers';

const loginWith = (input: Partial<Parameters<typeof httpEvent>[0]>) =>
  login(httpEvent({ method: 'POST', resource: '/auth/login', ...input }), lambdaContext());
const tokenEndpoint = (input: Partial<Parameters<typeof httpEvent>[0]>) =>
  oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', ...input }), lambdaContext());

describe('POST /auth/login', () => {
  it('answers a JSON login with an RFC 6749 token response that must not be cached', async () => {
    const user = await registerUser();
    const response = await loginResponse(user.username);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const body = bodyOf(response);
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{107}$/),
      scope: scopeOf(['user']),
    });
    const decoded = jwt.decode(String(body['access_token']), { complete: true });
    expect(decoded?.header).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    expect(decoded?.payload).toMatchObject({
      sub: user.id,
      username: user.username,
      roles: ['user'],
      iss: 'https://auth.test/dev',
      aud: 'serverless-auth',
      sid: expect.any(String),
      ver: 0,
    });
  });

  it('accepts a form-encoded login and any case or width of the username', async () => {
    const user = await registerUser();
    const response = await loginWith({ form: { username: user.username.toUpperCase(), password: PASSWORD } });
    expect(response.statusCode).toBe(200);
  });

  it('matches a password typed with a no-break space against one registered with a plain space (OpaqueString)', async () => {
    const user = await registerUser(uniqueUsername(), 'correct horse\u00a0battery');
    expect((await loginResponse(user.username, 'correct horse battery')).statusCode).toBe(200);
    expect((await loginResponse(user.username, 'correct horse\u3000battery')).statusCode).toBe(200);
    expect((await loginResponse(user.username, 'correct horsebattery')).statusCode).toBe(401);
  });

  it('matches a password typed in decomposed form against one registered composed (NFC)', async () => {
    const user = await registerUser(uniqueUsername(), 'caf\u00e9-au-lait');
    expect((await loginResponse(user.username, 'cafe\u0301-au-lait')).statusCode).toBe(200);
  });

  it('answers a wrong password, an unknown username and a disabled account with one 401 body', async () => {
    const admin = await createAdmin();
    const user = await registerUser();
    const disabled = await registerUser();
    const patch = await adminUpdateUser(
      await authorizedEvent(admin.token, { method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id: disabled.id }, json: { disabled: true } }),
      lambdaContext(),
    );
    expect(patch.statusCode).toBe(200);

    const responses = [
      await loginResponse(user.username, 'wrong password!'),
      await loginResponse(uniqueUsername('nobody')),
      await loginResponse(disabled.username),
      await loginResponse('\u0430dmin-mixed'),
    ];
    for (const response of responses) expectApiError(response, 401, 'invalid_grant');
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(new Set(responses.map((r) => r.headers?.['WWW-Authenticate'])).size).toBe(1);
  });

  it('spends one bcrypt compare against a real hash at the configured cost on every failure', async () => {
    const admin = await createAdmin();
    const user = await registerUser();
    const disabled = await registerUser();
    await adminUpdateUser(
      await authorizedEvent(admin.token, { method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id: disabled.id }, json: { disabled: true } }),
      lambdaContext(),
    );
    const compare = jest.spyOn(bcrypt, 'compare');
    // bcryptjs answers at once against a malformed hash, so the dummy must be a real one.
    const realHashAtCost = new RegExp(`^\\$2[aby]\\$${process.env['BCRYPT_COST']?.padStart(2, '0')}\\$[./A-Za-z0-9]{53}$`);
    try {
      for (const [username, password] of [
        [user.username, 'wrong password!'],
        [uniqueUsername('nobody'), PASSWORD],
        [disabled.username, PASSWORD],
        ['\u0430dmin-mixed', PASSWORD],
      ] as const) {
        compare.mockClear();
        expectApiError(await loginResponse(username, password), 401, 'invalid_grant');
        expect(compare).toHaveBeenCalledTimes(1);
        expect(compare.mock.calls[0]?.[1]).toMatch(realHashAtCost);
      }
    } finally {
      compare.mockRestore();
    }
  });

  it('refuses a password over 72 bytes with 400 instead of truncating it', async () => {
    const user = await registerUser(uniqueUsername(), '😀'.repeat(18));
    expect((await loginResponse(user.username, '😀'.repeat(18))).statusCode).toBe(200);
    expectApiError(await loginResponse(user.username, `${'😀'.repeat(18)}x`), 400, 'invalid_request');
  });

  it.each([
    ['a missing password', { json: { username: 'someone' } }, 400, 'invalid_request'],
    ['a non-string password', { json: { username: 'someone', password: 12345678 } }, 400, 'invalid_request'],
    ['malformed JSON', { body: '{', headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_request'],
    ['a repeated form field', { body: 'username=a&username=b&password=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 400, 'invalid_request'],
    ['text/plain', { body: 'username=a', headers: { 'Content-Type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ['a body over 16 KiB', { json: { username: 'x'.repeat(17_000), password: PASSWORD } }, 413, 'payload_too_large'],
  ] as const)('answers %s with an API error', async (_name, input, status, error) => {
    expectApiError(await loginWith(input as Partial<Parameters<typeof httpEvent>[0]>), status, error);
  });
});

describe('POST /oauth/token (RFC 6749 §4.3, public clients)', () => {
  it('grants a token for grant_type=password, with or without client_id or HTTP Basic client credentials', async () => {
    const user = await registerUser();
    const form = { grant_type: 'password', username: user.username, password: PASSWORD };
    const plain = await tokenEndpoint({ form });
    const withClientId = await tokenEndpoint({ form: { ...form, client_id: 'my-spa' } });
    const withBasic = await tokenEndpoint({ form, headers: { Authorization: `Basic ${Buffer.from('my-spa:').toString('base64')}` } });
    for (const response of [plain, withClientId, withBasic]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      expect(bodyOf(response)).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    }
  });

  it('answers bad credentials with 400 invalid_grant, as RFC 6749 §5.2 says', async () => {
    const user = await registerUser();
    expectApiError(await tokenEndpoint({ form: { grant_type: 'password', username: user.username, password: 'wrong-password' } }), 400, 'invalid_grant');
  });

  it('answers other grant types with unsupported_grant_type and a missing one with invalid_request', async () => {
    expectApiError(await tokenEndpoint({ form: { grant_type: 'client_credentials' } }), 400, 'unsupported_grant_type');
    expectApiError(await tokenEndpoint({ form: { username: 'a', password: 'b' } }), 400, 'invalid_request');
    expectApiError(await tokenEndpoint({ form: { grant_type: 'password', username: 'abc' } }), 400, 'invalid_request');
  });

  it('takes only the form encoding RFC 6749 specifies', async () => {
    expectApiError(await tokenEndpoint({ json: { grant_type: 'password', username: 'abc', password: PASSWORD } }), 415, 'unsupported_media_type');
  });
});
