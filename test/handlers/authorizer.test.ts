import { randomUUID } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as me } from '../../handlers/me';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { accountService } from '../../lib/dependencies/accounts';
import { type GuardedRoute, permissionsForRoles, ROLE_PERMISSIONS, ROUTES, routesAllowedBy, SERVICE_ROUTES, type Role } from '../../lib/routes';
import { API_ARN_PREFIX, authorizedEvent, authorizerEvent, bodyOf, lambdaContext, uniqueUsername } from '../support/events';
import { scopeOf } from '../support/protected-event';
import { createAdmin, expectUnauthorized, PASSWORD, registerUser, tokenFor } from './helpers';

const authorize = (token: string, method: string, path: string, headers?: Record<string, string>) =>
  authorizer(authorizerEvent({ method, path, headers: headers ?? { Authorization: `Bearer ${token}` } }), lambdaContext('authorizer'));

/** The policy resources of these routes, sorted as resourcesOf sorts them. */
const arnsOf = (routes: readonly GuardedRoute[]) => routes.map((route) => `${API_ARN_PREFIX}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`).sort();
/** The protected routes lib/routes.ts opens to these roles, as policy resources. */
const arnsOpenedBy = (roles: Role[]) => arnsOf(routesAllowedBy(new Set(permissionsForRoles(roles))));

const effectOf = (result: APIGatewayAuthorizerResult) => (result.policyDocument.Statement[0] as { Effect: string }).Effect;
/** The routes the policy allows (its Allow statement; a Deny adds one statement before it). */
const resourcesOf = (result: APIGatewayAuthorizerResult) =>
  [...((result.policyDocument.Statement.find((statement) => statement.Effect === 'Allow') as { Resource: string[] } | undefined)?.Resource ?? [])].sort();
const deniedOf = (result: APIGatewayAuthorizerResult) =>
  result.policyDocument.Statement.filter((statement) => statement.Effect === 'Deny').flatMap((statement) => (statement as { Resource: string[] }).Resource);

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
    // Exactly what lib/routes.ts opens to the role, the service's own session and profile routes among them.
    expect(resourcesOf(result)).toEqual(arnsOpenedBy(['user']));
    expect(resourcesOf(result)).toEqual(
      expect.arrayContaining(
        ['POST/auth/logout', 'POST/auth/logout-all', 'GET/me', 'POST/me/password', 'GET/me/sessions', 'DELETE/me/sessions/*'].map((suffix) => `${API_ARN_PREFIX}/${suffix}`),
      ),
    );
    expect(result.context).toEqual({
      sub: user.id,
      username: user.username,
      roles: 'user',
      scope: scopeOf(['user']),
      jti: expect.any(String),
      sid: expect.any(String),
    });
    for (const value of Object.values(result.context ?? {})) expect(typeof value).toBe('string');
  });

  it('gives an admin one policy that covers every protected route, so a cached answer is right everywhere', async () => {
    const result = await authorize(adminToken, 'GET', '/admin/users/some-id');
    expect(effectOf(result)).toBe('Allow');
    expect(resourcesOf(result)).toEqual(arnsOpenedBy(['admin']));
    expect(resourcesOf(result)).toEqual(arnsOf(ROUTES.filter((route) => route.access !== 'public')));
    expect(resourcesOf(result)).toEqual(
      expect.arrayContaining([
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
        'POST/admin/unlock',
      ].map((suffix) => `${API_ARN_PREFIX}/${suffix}`)),
    );
  });

  it('denies (403) a valid token on a route its permissions do not open', async () => {
    const result = await authorize(userToken, 'GET', '/admin/users');
    expect(effectOf(result)).toBe('Deny');
    expect(deniedOf(result)).toEqual([`${API_ARN_PREFIX}/GET/admin/users`]);
    expect(resourcesOf(result)).toEqual(resourcesOf(await authorize(userToken, 'GET', '/me')));
    expect(effectOf(await authorize(userToken, 'DELETE', `/admin/users/${user.id}`))).toBe('Deny');
  });

  it.each([
    ['no Authorization header', {}],
    ['a garbage token', { Authorization: 'Bearer not.a.token' }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('throws exactly Error("Unauthorized") for %s', async (_name, headers) => {
    await expectUnauthorized(authorizer(authorizerEvent({ method: 'GET', path: '/me', headers }), lambdaContext()));
  });

  it('throws Unauthorized for an expired token and for a tampered one', async () => {
    const expired = (await tokensAt(Date.now() - 3_600_000).issue({ sub: user.id, username: user.username, roles: ['user'], scope: 'profile:read', sid: randomUUID(), ver: 0 })).token;
    await expectUnauthorized(authorize(expired, 'GET', '/me'));
    const [header, payload, signature] = userToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, scope: 'profile:read users:read users:write', roles: ['admin'] })).toString('base64url');
    await expectUnauthorized(authorize(`${header}.${elevated}.${signature}`, 'GET', '/admin/users'));
  });

  it('throws Unauthorized when the token arrives twice or in the query string', async () => {
    const twice = authorizerEvent({
      method: 'GET',
      path: '/me',
      headers: { Authorization: `Bearer ${userToken}` },
      multiValueHeaders: { Authorization: [`Bearer ${userToken}`, `Bearer ${userToken}`] },
    });
    await expectUnauthorized(authorizer(twice, lambdaContext()));
    const inQuery = authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${userToken}` }, query: { access_token: userToken } });
    await expectUnauthorized(authorizer(inQuery, lambdaContext()));
  });

  it('accepts the scheme and header name in any case', async () => {
    expect(effectOf(await authorize(userToken, 'GET', '/me', { authorization: `bEaReR ${userToken}` }))).toBe('Allow');
  });
});

describe('the authorizer\'s policy, checked against lib/routes.ts', () => {
  const ROLE_SETS: Role[][] = [['user'], ['admin'], ['user', 'admin']];
  const PROTECTED = ROUTES.filter((route) => route.access !== 'public');
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '0b5a3c1e-7f2d-4e8a-9c6b-1d2e3f4a5b6c');
  /** Every protected route whose permission one of the roles grants, as API Gateway method ARNs. */
  const allowedArns = (roles: Role[]) =>
    PROTECTED.filter((route) => route.access === 'session' || roles.some((role) => (ROLE_PERMISSIONS[role] as readonly string[]).includes(route.access)))
      .map((route) => `${API_ARN_PREFIX}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`)
      .sort();
  /** The routes of other services (lib/routes.ts SERVICE_ROUTES) the roles open, under the same prefix. */
  const serviceRouteArns = (roles: Role[]) =>
    SERVICE_ROUTES.filter((route) => route.access === 'session' || roles.some((role) => (ROLE_PERMISSIONS[role] as readonly string[]).includes(route.access))).map(
      (route) => `${API_ARN_PREFIX}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
    );
  const tokens = new Map<string, { id: string; token: string }>();

  beforeAll(async () => {
    for (const roles of ROLE_SETS) {
      const username = uniqueUsername(roles.join('-'));
      const account = await accountService().createAccount({ username, password: PASSWORD, roles });
      tokens.set(roles.join(','), { id: account.id, token: await tokenFor(username) });
    }
  });

  it.each(ROLE_SETS.map((roles) => [roles.join(' + '), roles] as const))('for %s: Allow on every route the roles open, listing exactly those routes; Deny elsewhere', async (_label, roles) => {
    const { id, token } = tokens.get(roles.join(','))!;
    const expected = allowedArns(roles);
    expect(expected.length).toBeGreaterThan(0);
    for (const route of PROTECTED) {
      const methodArn = `${API_ARN_PREFIX}/${route.method}${concrete(route.path)}`;
      const result = await authorize(token, route.method, concrete(route.path));
      const opens = expected.includes(`${API_ARN_PREFIX}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`);
      expect({ route: methodArn, principalId: result.principalId, policy: result.policyDocument }).toEqual({
        route: methodArn,
        principalId: id,
        policy: {
          Version: '2012-10-17',
          // A Deny carries the same allow list: cached for any route, it answers that route rightly.
          Statement: [
            ...(opens ? [] : [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [methodArn] }]),
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: expect.arrayContaining(expected) },
          ],
        },
      });
      expect(resourcesOf(result)).toEqual(expected);
    }
  });

  it.each([
    ['a method no route has', 'PUT', '/admin/users'],
    ['another method on /me', 'POST', '/me'],
    ['a path below a route', 'GET', '/admin/users/a/b'],
    ['an unknown path', 'GET', '/admin'],
    ['a public route', 'POST', '/auth/login'],
    ['the root', 'GET', '/'],
  ])('denies %s to every role, explicitly, beside the routes the token does open', async (_name, method, path) => {
    for (const roles of ROLE_SETS) {
      const result = await authorize(tokens.get(roles.join(','))!.token, method, path);
      // A route nobody declared may be any API's: the allow list holds other services' routes too.
      const everywhere = [...allowedArns(roles), ...serviceRouteArns(roles)].sort();
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${API_ARN_PREFIX}/${method}${path}`] },
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: expect.arrayContaining(everywhere) },
      ]);
      expect(resourcesOf(result)).toEqual(everywhere);
    }
  });

  it('throws exactly Unauthorized, not a Deny, for a method ARN it cannot read', async () => {
    const { token } = tokens.get('admin')!;
    const event = { ...authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${token}` } }), methodArn: 'not-an-arn' };
    await expectUnauthorized(authorizer(event, lambdaContext()));
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
      permissions: permissionsForRoles(['user']),
      logged_in_as: alice.username,
    });
    expect(bobMe).toMatchObject({ id: bob.id, logged_in_as: bob.username });
  });
});
