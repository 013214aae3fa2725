/**
 * The REQUEST authorizer as API Gateway (here serverless-offline) applies it: which requests
 * reach a protected handler and which are stopped with 401 or 403. The 401/403 bodies come from
 * the gateway, not from us (docs/api.md, Errors), so these tests check status and that nothing
 * of the presented token is echoed back.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  bodyOf,
  decodeJwt,
  encodeJwtPart,
  expectApiError,
  expectGatewayRefusal,
  expectStatus,
  jwtSecret,
  newUser,
  request,
  USER_PERMISSIONS,
  type ApiResponse,
} from './support';

type User = Awaited<ReturnType<typeof newUser>>;

let user: User;
let issuer: string;
/** The kid our login writes into its tokens' headers. */
let kid: string;
beforeAll(async () => {
  user = await newUser('authz');
  const metadata = await request('GET', '/.well-known/oauth-authorization-server');
  expectStatus(metadata, 200);
  issuer = bodyOf<{ issuer: string }>(metadata).issuer;
  kid = String(decodeJwt(user.token).header['kid']);
});

/** Claims as our login writes them, for `user`, valid now; `changes` overrides or (undefined) removes. */
function claims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const base: Record<string, unknown> = {
    iss: issuer,
    aud: 'serverless-auth',
    sub: user.id,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    username: user.username,
    roles: ['user'],
    scope: USER_PERMISSIONS.join(' '),
    // The session and token version of the user's real login: a minted token must name a live session.
    sid: (jwt.decode(user.token) as { sid: string }).sid,
    ver: 0,
  };
  const merged = { ...base, ...changes };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** jsonwebtoken keeps the iat given in the payload (its noTimestamp option would delete it). */
function mint(payload: Record<string, unknown>, secret: string = jwtSecret(), header: Record<string, unknown> = {}): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', kid, ...header } });
}

function expectRefused(response: ApiResponse, status: 401 | 403, token?: string): void {
  expectGatewayRefusal(response, status);
  if (token !== undefined && token !== '') {
    expect(response.text).not.toContain(token);
    const signature = token.split('.')[2] ?? '';
    if (signature !== '') expect(response.text).not.toContain(signature);
  }
}

describe('a request that reaches the handler', () => {
  test('a token minted exactly as login mints it is accepted (the control for every refusal below)', async () => {
    const response = await request('GET', '/me', { token: mint(claims()) });

    expectStatus(response, 200);
    expect(response.body).toMatchObject({ id: user.id, username: user.username, logged_in_as: user.username });
  });

  test.each(['Bearer', 'bearer', 'BEARER'])('the scheme %s is accepted (any case, RFC 6750)', async (scheme) => {
    const response = await request('GET', '/me', { headers: { authorization: `${scheme} ${user.token}` } });

    expectStatus(response, 200);
  });
});

describe('401: no valid token', () => {
  test('no Authorization header', async () => {
    expectRefused(await request('GET', '/me'), 401);
  });

  test.each([
    ['an empty bearer', 'Bearer '],
    ['garbage', 'Bearer not-a-jwt'],
    ['three garbage segments', 'Bearer aaa.bbb.ccc'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no scheme', 'TOKEN'],
  ])('%s', async (_name, authorization) => {
    const value = authorization === 'TOKEN' ? user.token : authorization;

    const response = await request('GET', '/me', { headers: { authorization: value } });

    expectRefused(response, 401, user.token);
  });

  test('a token in the query string instead of the header', async () => {
    const response = await request('GET', `/me?access_token=${encodeURIComponent(user.token)}`);

    expectRefused(response, 401, user.token);
  });

  test('a payload edited to claim the admin role, signature kept', async () => {
    const [header, , signature] = user.token.split('.');
    const payload = { ...decodeJwt(user.token).payload, roles: ['admin'], scope: 'profile:read profile:write users:read users:write' };
    const tampered = `${header}.${encodeJwtPart(payload)}.${signature}`;

    expectRefused(await request('GET', '/admin/users', { token: tampered }), 401, tampered);
    expectRefused(await request('GET', '/me', { token: tampered }), 401, tampered);
  });

  test('a token signed with another secret', async () => {
    const token = mint(claims(), randomBytes(32).toString('base64url'));

    expectRefused(await request('GET', '/me', { token }), 401, token);
  });

  test('an unsigned token (alg none)', async () => {
    const token = `${encodeJwtPart({ alg: 'none', typ: 'at+jwt' })}.${encodeJwtPart(claims())}.`;

    expectRefused(await request('GET', '/me', { token }), 401, token);
  });

  test.each([
    ['expired a minute ago', { exp: Math.floor(Date.now() / 1000) - 60, iat: Math.floor(Date.now() / 1000) - 960 }],
    ['with no exp', { exp: undefined }],
    ['for another audience', { aud: 'another-service' }],
    ['from another issuer', { iss: 'https://issuer.invalid' }],
    ['with no subject', { sub: undefined }],
    ['with no jti', { jti: undefined }],
    ['with no session id', { sid: undefined }],
    ['naming a session that does not exist', { sid: randomUUID() }],
    ['naming an old token version', { ver: -1 }],
    ['naming a newer token version than the account has', { ver: 1 }],
  ])('a correctly signed token %s', async (_name, changes) => {
    const token = mint(claims(changes));

    expectRefused(await request('GET', '/me', { token }), 401, token);
  });

  test('a correctly signed token without typ at+jwt (an ID token or another JWT)', async () => {
    const token = jwt.sign(claims(), jwtSecret(), { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT', kid } });

    expectRefused(await request('GET', '/me', { token }), 401, token);
  });

  test.each([
    ['a kid the service does not hold', { kid: 'some-other-key' }],
    ['no kid', { kid: undefined }],
    ['a jwk carrying its own key', { jwk: { kty: 'oct', k: Buffer.from(jwtSecret()).toString('base64url') } }],
    ['a jku pointing elsewhere', { jku: 'https://keys.invalid/jwks.json' }],
  ])('a correctly signed token with %s in its header', async (_name, header) => {
    const token = mint(claims(), jwtSecret(), header);

    expectRefused(await request('GET', '/me', { token }), 401, token);
  });

  test('the application rejects a token on a public route no differently: login ignores it', async () => {
    const response = await request('POST', '/auth/login', {
      token: 'not-a-jwt',
      json: { username: user.username, password: `${user.password}x` },
    });

    expectApiError(response, 401, 'invalid_grant');
  });
});

describe('403: a valid token whose permissions do not cover the route', () => {
  test.each([
    ['GET', '/admin/users'],
    ['POST', '/admin/users'],
    ['GET', `/admin/users/${randomUUID()}`],
    ['PATCH', `/admin/users/${randomUUID()}`],
    ['DELETE', `/admin/users/${randomUUID()}`],
  ])('a user token on %s %s', async (method, path) => {
    const response = await request(method, path, {
      token: user.token,
      json: method === 'POST' || method === 'PATCH' ? { roles: ['admin'] } : undefined,
    });

    expectRefused(response, 403, user.token);
  });

  test('the same user token still works on its own routes afterwards', async () => {
    expectStatus(await request('GET', '/me', { token: user.token }), 200);
  });
});
