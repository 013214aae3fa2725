import {
  baseUrl,
  bodyOf,
  decodeJwt,
  expectApiError,
  expectStatus,
  newUser,
  request,
  uniqueUsername,
  USER_PERMISSIONS,
  type ApiResponse,
  type TokenResponse,
} from './support';

type User = Awaited<ReturnType<typeof newUser>>;

/** A successful token response (RFC 6749 §5.1) for an account with the user role. */
function expectTokenResponse(response: ApiResponse): TokenResponse {
  expectStatus(response, 200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  const body = bodyOf<TokenResponse>(response);
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: USER_PERMISSIONS.join(' ') });
  expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return body;
}

async function expectTokenWorksFor(token: string, user: User): Promise<void> {
  const response = await request('GET', '/me', { token });
  expectStatus(response, 200);
  expect(response.body).toMatchObject({ id: user.id, username: user.username });
}

function basic(clientId: string, secret = ''): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

let user: User;
beforeAll(async () => {
  user = await newUser('tokens');
});

describe('POST /auth/login', () => {
  test('a JSON login returns a no-store Bearer token response', async () => {
    const response = await request('POST', '/auth/login', { json: { username: user.username, password: user.password } });

    const body = expectTokenResponse(response);
    await expectTokenWorksFor(body.access_token, user);
  });

  test('a form login (application/x-www-form-urlencoded) works too', async () => {
    const response = await request('POST', '/auth/login', { form: { username: user.username, password: user.password } });

    const body = expectTokenResponse(response);
    await expectTokenWorksFor(body.access_token, user);
  });

  test('the access token is an at+jwt with the RFC 9068 claims', async () => {
    const metadata = await request('GET', '/.well-known/oauth-authorization-server');
    const before = Math.floor(Date.now() / 1000);

    const response = await request('POST', '/auth/login', { json: { username: user.username, password: user.password } });

    const { header, payload } = decodeJwt(expectTokenResponse(response).access_token);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'at+jwt', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(payload).toMatchObject({
      iss: bodyOf<{ issuer: string }>(metadata).issuer,
      aud: 'serverless-auth',
      sub: user.id,
      username: user.username,
      roles: ['user'],
      scope: USER_PERMISSIONS.join(' '),
      jti: expect.any(String),
    });
    const iat = payload['iat'] as number;
    expect(iat).toBeGreaterThanOrEqual(before - 5);
    expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 5);
    expect(payload['exp']).toBe(iat + 900);
  });

  test('every login issues a new token (fresh jti)', async () => {
    const credentials = { username: user.username, password: user.password };

    const [a, b] = await Promise.all([1, 2].map(() => request('POST', '/auth/login', { json: credentials })));

    const first = decodeJwt(expectTokenResponse(a!).access_token).payload;
    const second = decodeJwt(expectTokenResponse(b!).access_token).payload;
    expect(first['jti']).not.toBe(second['jti']);
  });

  test('a wrong password and an unknown username get one identical 401 invalid_grant', async () => {
    const wrongPassword = await request('POST', '/auth/login', {
      json: { username: user.username, password: `${user.password}x` },
    });
    const unknownUser = await request('POST', '/auth/login', {
      json: { username: uniqueUsername('nobody'), password: user.password },
    });

    expectApiError(wrongPassword, 401, 'invalid_grant');
    expectApiError(unknownUser, 401, 'invalid_grant');
    expect(unknownUser.text).toBe(wrongPassword.text);
    expect(unknownUser.headers.get('www-authenticate')).toBe(wrongPassword.headers.get('www-authenticate'));
  });
});

describe('POST /oauth/token (RFC 6749 §4.3 password grant)', () => {
  const grant = () => ({ grant_type: 'password', username: user.username, password: user.password });

  test('a form password grant returns a no-store token response', async () => {
    const response = await request('POST', '/oauth/token', { form: grant() });

    await expectTokenWorksFor(expectTokenResponse(response).access_token, user);
  });

  test('a public client may send client_id in the body', async () => {
    const response = await request('POST', '/oauth/token', { form: { ...grant(), client_id: 'e2e-cli' } });

    await expectTokenWorksFor(expectTokenResponse(response).access_token, user);
  });

  test('a public client may send HTTP Basic client credentials', async () => {
    const response = await request('POST', '/oauth/token', {
      form: grant(),
      headers: { authorization: basic('e2e-cli') },
    });

    await expectTokenWorksFor(expectTokenResponse(response).access_token, user);
  });

  test('an unsupported grant_type is 400 unsupported_grant_type', async () => {
    const response = await request('POST', '/oauth/token', { form: { ...grant(), grant_type: 'client_credentials' } });

    expectApiError(response, 400, 'unsupported_grant_type');
  });

  test('a missing grant_type is 400 invalid_request', async () => {
    const response = await request('POST', '/oauth/token', { form: { username: user.username, password: user.password } });

    expectApiError(response, 400, 'invalid_request');
  });

  test('bad credentials are 400 invalid_grant, alike for a wrong password and an unknown user', async () => {
    const wrongPassword = await request('POST', '/oauth/token', { form: { ...grant(), password: `${user.password}x` } });
    const unknownUser = await request('POST', '/oauth/token', { form: { ...grant(), username: uniqueUsername('nobody') } });

    expectApiError(wrongPassword, 400, 'invalid_grant');
    expectApiError(unknownUser, 400, 'invalid_grant');
    expect(unknownUser.text).toBe(wrongPassword.text);
  });
});

describe('discovery', () => {
  test('GET /.well-known/jwks.json lists no keys under HS256', async () => {
    const response = await request('GET', '/.well-known/jwks.json');

    expectStatus(response, 200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(response.body).toEqual({ keys: [] });
  });

  test('GET /.well-known/oauth-authorization-server describes this service (RFC 8414)', async () => {
    const response = await request('GET', '/.well-known/oauth-authorization-server');

    expectStatus(response, 200);
    const metadata = bodyOf<Record<string, unknown>>(response);
    expect(metadata).toMatchObject({
      issuer: baseUrl(),
      token_endpoint: `${baseUrl()}/oauth/token`,
      jwks_uri: `${baseUrl()}/.well-known/jwks.json`,
    });
    expect(metadata['grant_types_supported']).toContain('password');
    const jwks = await fetch(metadata['jwks_uri'] as string);
    expect(jwks.status).toBe(200);
  });
});
