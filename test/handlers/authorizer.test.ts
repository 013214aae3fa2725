import { randomUUID } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as me } from '../../handlers/me';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { API_ARN_PREFIX, authorizedEvent, authorizerEvent, bodyOf, lambdaContext } from '../support/events';
import { createAdmin, registerUser, tokenFor } from './helpers';

const authorize = (token: string, method: string, path: string, headers?: Record<string, string>) =>
  authorizer(authorizerEvent({ method, path, headers: headers ?? { Authorization: `Bearer ${token}` } }), lambdaContext('authorizer'));

const effectOf = (result: APIGatewayAuthorizerResult) => (result.policyDocument.Statement[0] as { Effect: string }).Effect;
const resourcesOf = (result: APIGatewayAuthorizerResult) =>
  [...((result.policyDocument.Statement[0] as { Resource: string[] }).Resource)].sort();

/** Same secret, issuer and audience as the service, but a clock of our choosing. */
function tokensAt(ms: number): AccessTokenService {
  const config = loadConfig();
  return new AccessTokenService(signingKeySource(config), { issuer: config.issuer, audience: config.audience, ttlSeconds: 900 }, () => ms);
}

describe('REQUEST authorizer', () => {
  let userToken: string;
  let user: { id: string; username: string };
  let adminToken: string;

  beforeAll(async () => {
    user = await registerUser();
    userToken = await tokenFor(user.username);
    adminToken = (await createAdmin()).token;
  });

  it('allows a user on /me with a policy listing exactly the routes the user role opens', async () => {
    const result = await authorize(userToken, 'GET', '/me');
    expect(effectOf(result)).toBe('Allow');
    expect(result.principalId).toBe(user.id);
    expect(resourcesOf(result)).toEqual(
      ['POST/auth/logout', 'POST/auth/logout-all', 'GET/me', 'POST/me/password', 'GET/me/sessions', 'DELETE/me/sessions/*']
        .map((suffix) => `${API_ARN_PREFIX}/${suffix}`)
        .sort(),
    );
    expect(result.context).toEqual({
      sub: user.id,
      username: user.username,
      roles: 'user',
      scope: 'profile:read profile:write',
      jti: expect.any(String),
      sid: expect.any(String),
    });
    for (const value of Object.values(result.context ?? {})) expect(typeof value).toBe('string');
  });

  it('gives an admin one policy that covers every protected route, so a cached answer is right everywhere', async () => {
    const result = await authorize(adminToken, 'GET', '/admin/users/some-id');
    expect(effectOf(result)).toBe('Allow');
    expect(resourcesOf(result)).toEqual(
      [
        'POST/auth/logout',
        'POST/auth/logout-all',
        'GET/me',
        'POST/me/password',
        'GET/me/sessions',
        'DELETE/me/sessions/*',
        'GET/admin/users',
        'POST/admin/users',
        'GET/admin/users/*',
        'PATCH/admin/users/*',
        'DELETE/admin/users/*',
      ]
        .map((suffix) => `${API_ARN_PREFIX}/${suffix}`)
        .sort(),
    );
  });

  it('denies (403) a valid token on a route its permissions do not open', async () => {
    const result = await authorize(userToken, 'GET', '/admin/users');
    expect(effectOf(result)).toBe('Deny');
    expect(resourcesOf(result)).toEqual([`${API_ARN_PREFIX}/GET/admin/users`]);
    expect(effectOf(await authorize(userToken, 'DELETE', `/admin/users/${user.id}`))).toBe('Deny');
  });

  it.each([
    ['no Authorization header', {}],
    ['a garbage token', { Authorization: 'Bearer not.a.token' }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('throws exactly Error("Unauthorized") for %s', async (_name, headers) => {
    await expect(authorizer(authorizerEvent({ method: 'GET', path: '/me', headers }), lambdaContext())).rejects.toEqual(new Error('Unauthorized'));
  });

  it('throws Unauthorized for an expired token and for a tampered one', async () => {
    const expired = (await tokensAt(Date.now() - 3_600_000).issue({ sub: user.id, username: user.username, roles: ['user'], scope: 'profile:read', sid: randomUUID(), ver: 0 })).token;
    await expect(authorize(expired, 'GET', '/me')).rejects.toEqual(new Error('Unauthorized'));
    const [header, payload, signature] = userToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, scope: 'profile:read users:read users:write', roles: ['admin'] })).toString('base64url');
    await expect(authorize(`${header}.${elevated}.${signature}`, 'GET', '/admin/users')).rejects.toEqual(new Error('Unauthorized'));
  });

  it('throws Unauthorized when the token arrives twice or in the query string', async () => {
    const twice = authorizerEvent({
      method: 'GET',
      path: '/me',
      headers: { Authorization: `Bearer ${userToken}` },
      multiValueHeaders: { Authorization: [`Bearer ${userToken}`, `Bearer ${userToken}`] },
    });
    await expect(authorizer(twice, lambdaContext())).rejects.toEqual(new Error('Unauthorized'));
    const inQuery = authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${userToken}` }, query: { access_token: userToken } });
    await expect(authorizer(inQuery, lambdaContext())).rejects.toEqual(new Error('Unauthorized'));
  });

  it('accepts the scheme and header name in any case', async () => {
    expect(effectOf(await authorize(userToken, 'GET', '/me', { authorization: `bEaReR ${userToken}` }))).toBe('Allow');
  });
});

describe('GET /me', () => {
  it('answers from the authorizer context, with logged_in_as, for two accounts logged in at once', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const [aliceToken, bobToken] = await Promise.all([tokenFor(alice.username), tokenFor(bob.username)]);
    expect(aliceToken).not.toBe(bobToken);
    const aliceMe = bodyOf(await me(await authorizedEvent(aliceToken, { method: 'GET', resource: '/me' }), lambdaContext()));
    const bobMe = bodyOf(await me(await authorizedEvent(bobToken, { method: 'GET', resource: '/me' }), lambdaContext()));
    expect(aliceMe).toEqual({
      id: alice.id,
      username: alice.username,
      roles: ['user'],
      permissions: ['profile:read', 'profile:write'],
      logged_in_as: alice.username,
    });
    expect(bobMe).toMatchObject({ id: bob.id, logged_in_as: bob.username });
  });
});
