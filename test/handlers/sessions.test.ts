import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import jwt from 'jsonwebtoken';
import { handler as adminDeleteUser } from '../../handlers/admin-delete-user';
import { handler as adminUpdateUser } from '../../handlers/admin-update-user';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as changePassword } from '../../handlers/change-password';
import { handler as endSession } from '../../handlers/end-session';
import { handler as listSessions } from '../../handlers/list-sessions';
import { handler as logout } from '../../handlers/logout';
import { handler as logoutAll } from '../../handlers/logout-all';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { handler as refresh } from '../../handlers/refresh';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { StorageUnavailableError } from '../../lib/errors';
import { config } from '../../lib/dependencies/config';
import { accessTokens } from '../../lib/dependencies/tokens';
import { DynamoDbSessionRepository } from '../../lib/sessions/dynamodb-session-repository';
import { countingClient, tableName } from '../support/dynamodb';
import { loginServiceOn, sessionServiceOn } from '../support/services';
import { authorizedEvent, authorizerEvent, bodyOf, httpEvent, lambdaContext, type HttpEventInput } from '../support/events';
import { scopeOf } from '../support/protected-event';
import { createAdmin, expectApiError, PASSWORD, registerUser } from './helpers';
import { handler as login } from '../../handlers/login';

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

async function logIn(username: string, userAgent = 'jest', password = PASSWORD): Promise<Tokens> {
  const response = await login(
    httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password }, headers: { 'User-Agent': userAgent } }),
    lambdaContext(),
  );
  expect(response.statusCode).toBe(200);
  return bodyOf<Tokens>(response) as unknown as Tokens;
}

const refreshWith = (refreshToken: string) =>
  refresh(httpEvent({ method: 'POST', resource: '/auth/refresh', json: { refresh_token: refreshToken } }), lambdaContext());

/** What the real authorizer answers for a token on a route: Allow, Deny, or Unauthorized (401). */
async function decide(token: string, method = 'GET', path = '/me'): Promise<string> {
  try {
    const result = await authorizer(
      authorizerEvent({ method, path, headers: { Authorization: `Bearer ${token}` } }),
      lambdaContext('authorizer'),
    );
    return (result.policyDocument.Statement[0] as { Effect: string }).Effect;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Calls a protected handler as API Gateway would: through the real authorizer first. */
async function call(
  handler: (event: ReturnType<typeof httpEvent>, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResult>,
  token: string,
  input: HttpEventInput,
): Promise<APIGatewayProxyResult> {
  return handler(await authorizedEvent(token, input), lambdaContext());
}

const sidOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;

describe('refresh tokens', () => {
  it('rotate on every use: a new pair, and the old refresh token is dead', async () => {
    const user = await registerUser();
    const first = await logIn(user.username);

    const rotated = await refreshWith(first.refresh_token);

    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const second = bodyOf<Tokens>(rotated) as unknown as Tokens;
    expect(second).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: scopeOf(['user']),
    });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(sidOf(second.access_token)).toBe(sidOf(first.access_token));
    expect(await decide(second.access_token)).toBe('Allow');
    expect((await refreshWith(second.refresh_token)).statusCode).toBe(200);
  });

  it('treat a rotated-out token presented again after the reuse interval as theft: the whole session ends (RFC 9700 §4.14.2)', async () => {
    const user = await registerUser();
    const stolen = await logIn(user.username);
    const current = bodyOf<Tokens>(await refreshWith(stolen.refresh_token)) as unknown as Tokens;
    const later = sessionServiceOn(countingClient().client, { clock: () => Date.now() + (config().refreshReuseIntervalSeconds + 1) * 1000 });

    const replay = await later.refresh(stolen.refresh_token).then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );

    expect(replay).toBe('invalid_refresh_token');    expectApiError(await refreshWith(current.refresh_token), 401, 'invalid_grant');
    expect(await decide(current.access_token)).toBe('Unauthorized');
    expect(await decide(stolen.access_token)).toBe('Unauthorized');
  });

  it('with REFRESH_REUSE_INTERVAL=0 (strict), let exactly one of two concurrent refreshes win, every time, and then end the session they raced for', async () => {
    const user = await registerUser();
    const strict = sessionServiceOn(countingClient().client, { reuseIntervalSeconds: 0 });
    const strictRefresh = (token: string) =>
      strict.refresh(token).then(
        (body) => ({ statusCode: 200, headers: {}, body: JSON.stringify(body) }) as APIGatewayProxyResult,
        () => ({ statusCode: 401, headers: {}, body: '' }) as APIGatewayProxyResult,
      );
    for (let round = 0; round < 15; round += 1) {
      const tokens = await logIn(user.username);

      const answers = await Promise.all([strictRefresh(tokens.refresh_token), strictRefresh(tokens.refresh_token)]);

      const winners = answers.filter((answer) => answer.statusCode === 200);
      expect(winners).toHaveLength(1);
      expect(answers.filter((answer) => answer.statusCode === 401)).toHaveLength(1);
      // The losing request is a second use of one refresh token: the session it raced for ends.
      const won = bodyOf<Tokens>(winners[0] as APIGatewayProxyResult) as unknown as Tokens;
      expectApiError(await refreshWith(won.refresh_token), 401, 'invalid_grant');
      expect(await decide(won.access_token)).toBe('Unauthorized');
    }
  });

  it('end the session when a token rotated out several times ago comes back', async () => {
    const user = await registerUser();
    const oldest = await logIn(user.username);
    let current = oldest;
    for (let i = 0; i < 3; i += 1) current = bodyOf<Tokens>(await refreshWith(current.refresh_token)) as unknown as Tokens;

    expectApiError(await refreshWith(oldest.refresh_token), 401, 'invalid_grant');

    expectApiError(await refreshWith(current.refresh_token), 401, 'invalid_grant');
    expect(await decide(current.access_token)).toBe('Unauthorized');
  });

  it('are refused when malformed or an access token, and that changes nothing', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);

    for (const bad of ['x', tokens.access_token, `${tokens.refresh_token}A`, tokens.refresh_token.slice(0, -1)]) {
      expectApiError(await refreshWith(bad), 401, 'invalid_grant');
    }

    expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
  });

  it('treat a token of the session with one bit of its secret changed as never issued: refused, and the session lives', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const forged = Buffer.from(tokens.refresh_token, 'base64url');
    const inSecret = 40; // after the two 16-byte ids
    forged[inSecret] = (forged[inSecret] ?? 0) ^ 1;

    expectApiError(await refreshWith(forged.toString('base64url')), 401, 'invalid_grant');

    expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
  });

  it('are never accepted as bearer tokens', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    expect(await decide(tokens.refresh_token)).toBe('Unauthorized');
  });

  it('also rotate through the OAuth token endpoint (grant_type=refresh_token), with its 400 errors', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const grant = (refreshToken: string) =>
      oauthToken(
        httpEvent({
          method: 'POST',
          resource: '/oauth/token',
          form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'cli' },
        }),
        lambdaContext(),
      );

    const rotated = await grant(tokens.refresh_token);

    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const next = String(bodyOf(rotated)['refresh_token']);
    expect(next).not.toBe(tokens.refresh_token);
    expect((await grant(next)).statusCode).toBe(200);
    // Two generations old: reuse, whatever the interval.
    expectApiError(await grant(tokens.refresh_token), 400, 'invalid_grant');
  });

  it('stop at the session’s absolute lifetime, and the session item carries a TTL so DynamoDB drops it', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const { client } = countingClient();
    const item = await client.send(
      new GetCommand({ TableName: tableName(), Key: { pk: `USER#${user.id}`, sk: `SESSION#${sidOf(tokens.access_token)}` } }),
    );
    const now = Math.floor(Date.now() / 1000);
    expect(Number(item.Item?.['ttl'])).toBeGreaterThanOrEqual(now + config().refreshTokenTtlSeconds - 60);
    expect(Number(item.Item?.['ttl'])).toBeLessThanOrEqual(now + config().refreshTokenTtlSeconds + 1);
    expect(JSON.stringify(item.Item)).not.toContain(tokens.refresh_token);

    const later = sessionServiceOn(client, { clock: () => (now + config().refreshTokenTtlSeconds + 1) * 1000, ttlSeconds: config().refreshTokenTtlSeconds });
    await expect(later.refresh(tokens.refresh_token)).rejects.toMatchObject({ code: 'invalid_refresh_token' });
  });
});

describe('logout', () => {
  it('ends this session: its access token and refresh token stop working; other sessions and accounts do not', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const aliceHere = await logIn(alice.username);
    const aliceThere = await logIn(alice.username);
    const bobTokens = await logIn(bob.username);

    const response = await call(logout, aliceHere.access_token, { method: 'POST', resource: '/auth/logout' });

    expect(response.statusCode).toBe(204);
    expect(await decide(aliceHere.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(aliceHere.refresh_token), 401, 'invalid_grant');
    expect(await decide(aliceThere.access_token)).toBe('Allow');
    expect(await decide(bobTokens.access_token)).toBe('Allow');
    expect((await refreshWith(bobTokens.refresh_token)).statusCode).toBe(200);
  });

  it('also ends another session of the same account whose refresh token the client hands in', async () => {
    const user = await registerUser();
    const here = await logIn(user.username);
    const there = await logIn(user.username);
    const stranger = await logIn((await registerUser()).username);

    const response = await call(logout, here.access_token, {
      method: 'POST',
      resource: '/auth/logout',
      json: { refresh_token: there.refresh_token },
    });
    await call(logout, (await logIn(user.username)).access_token, {
      method: 'POST',
      resource: '/auth/logout',
      json: { refresh_token: stranger.refresh_token },
    });

    expect(response.statusCode).toBe(204);
    expect(await decide(there.access_token)).toBe('Unauthorized');
    expect(await decide(stranger.access_token)).toBe('Allow'); // another account's token is not ours to end
  });

  it('refuses a malformed body with 400 and ends nothing', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const response = await call(logout, tokens.access_token, { method: 'POST', resource: '/auth/logout', json: { refresh_token: 42 } });
    expectApiError(response, 400, 'invalid_request');
    expect(await decide(tokens.access_token)).toBe('Allow');
  });

  it('logout-all kills an access token issued a second earlier, and every session', async () => {
    const user = await registerUser();
    const older = await logIn(user.username);
    const recent = await logIn(user.username);

    const response = await call(logoutAll, recent.access_token, { method: 'POST', resource: '/auth/logout-all' });

    expect(response.statusCode).toBe(204);
    for (const tokens of [older, recent]) {
      expect(await decide(tokens.access_token)).toBe('Unauthorized');
      expectApiError(await refreshWith(tokens.refresh_token), 401, 'invalid_grant');
    }
    expect(await decide((await logIn(user.username)).access_token)).toBe('Allow');
  });
});

describe('password change', () => {
  it('needs the current password, then ends every other session and keeps this one', async () => {
    const user = await registerUser();
    const here = await logIn(user.username);
    const there = await logIn(user.username);
    const change = (body: unknown) => call(changePassword, here.access_token, { method: 'POST', resource: '/me/password', json: body });

    expectApiError(await change({ current_password: 'not the password', new_password: 'a brand new password' }), 401, 'invalid_grant');
    expectApiError(await change({ current_password: PASSWORD, new_password: 'short' }), 400, 'invalid_request');
    expectApiError(await change({ current_password: PASSWORD, new_password: 'é'.repeat(37) }), 400, 'invalid_request');
    expect(await decide(there.access_token)).toBe('Allow'); // refusals changed nothing

    const response = await change({ current_password: PASSWORD, new_password: 'a brand new password' });

    expect(response.statusCode).toBe(204);
    expect(await decide(there.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(there.refresh_token), 401, 'invalid_grant');
    expect(await decide(here.access_token)).toBe('Allow');
    expect((await refreshWith(here.refresh_token)).statusCode).toBe(200);
    const oldLogin = await login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username: user.username, password: PASSWORD } }), lambdaContext());
    expectApiError(oldLogin, 401, 'invalid_grant');
    await logIn(user.username, 'jest', 'a brand new password');
  });
});

/** The real session store, except that its n-th deleteAll meets an outage (as a stopped DynamoDB would). */
class FailingSweeps extends DynamoDbSessionRepository {
  private calls = 0;
  constructor(private readonly failingCall: number) {
    super(countingClient().client, tableName());
  }
  override async deleteAll(accountId: string, exceptSessionId?: string): Promise<void> {
    this.calls += 1;
    if (this.calls === this.failingCall) throw new StorageUnavailableError();
    return super.deleteAll(accountId, exceptSessionId);
  }
}

describe('password change when DynamoDB fails part-way', () => {
  const serviceWith = (sessions: DynamoDbSessionRepository) => {
    return loginServiceOn(countingClient().client, { sessions });
  };

  it('never leaves the new password in place with the sessions from before it still open', async () => {
    const NEW = 'a brand new password';
    const user = await registerUser();
    const here = await logIn(user.username);
    const there = await logIn(user.username);
    const caller = { accountId: user.id, sessionId: sidOf(here.access_token) };

    // The password and the version bump are one transaction; only the tidying sweep after it fails.
    await expect(serviceWith(new FailingSweeps(1)).changePassword(caller, PASSWORD, NEW)).rejects.toBeInstanceOf(StorageUnavailableError);

    expect(await decide(there.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(there.refresh_token), 401, 'invalid_grant');
    expect(await decide(here.access_token)).toBe('Allow');
    await logIn(user.username, 'jest', NEW);
  });
});

describe('GET /me/sessions and DELETE /me/sessions/{id}', () => {
  it('list the caller’s live sessions with the current one marked, and nothing secret', async () => {
    const user = await registerUser();
    const laptop = await logIn(user.username, 'Laptop/1.0');
    const phone = await logIn(user.username, 'Phone/2.0');
    await logIn((await registerUser()).username, 'Someone else');

    const response = await call(listSessions, phone.access_token, { method: 'GET', resource: '/me/sessions' });

    expect(response.statusCode).toBe(200);
    const items = (bodyOf(response)['items'] as Record<string, unknown>[]).sort((a, b) => String(a['user_agent']).localeCompare(String(b['user_agent'])));
    expect(items).toEqual([
      { id: sidOf(laptop.access_token), created_at: expect.any(String), last_used_at: expect.any(String), user_agent: 'Laptop/1.0', current: false },
      { id: sidOf(phone.access_token), created_at: expect.any(String), last_used_at: expect.any(String), user_agent: 'Phone/2.0', current: true },
    ]);
    expect(response.body).not.toMatch(/hash|\$2[aby]\$/);
  });

  it('end one of the caller’s sessions, and answer 404 for anyone else’s or a made-up id', async () => {
    const user = await registerUser();
    const mine = await logIn(user.username);
    const myOther = await logIn(user.username);
    const theirs = await logIn((await registerUser()).username);
    const end = (id: string) =>
      call(endSession, mine.access_token, { method: 'DELETE', resource: '/me/sessions/{id}', pathParameters: { id } });

    expectApiError(await end(sidOf(theirs.access_token)), 404, 'not_found');
    expectApiError(await end('not-a-session'), 404, 'not_found');
    expect(await decide(theirs.access_token)).toBe('Allow');

    expect((await end(sidOf(myOther.access_token))).statusCode).toBe(204);
    expect(await decide(myOther.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(myOther.refresh_token), 401, 'invalid_grant');
    expectApiError(await end(sidOf(myOther.access_token)), 404, 'not_found');
    expect(await decide(mine.access_token)).toBe('Allow');
  });
});

describe('administrators ending access', () => {
  let admin: Awaited<ReturnType<typeof createAdmin>>;
  beforeAll(async () => {
    admin = await createAdmin();
  });
  const patch = (id: string, json: unknown) =>
    call(adminUpdateUser, admin.token, { method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id }, json });

  it('disabling an account refuses its live token on the next request, and its refresh token', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    expect(await decide(tokens.access_token)).toBe('Allow');

    expect((await patch(user.id, { disabled: true })).statusCode).toBe(200);

    expect(await decide(tokens.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(tokens.refresh_token), 401, 'invalid_grant');
  });

  it('a role change ends the account’s tokens, so the new roles hold from the next login', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);

    expect((await patch(user.id, { roles: ['user', 'admin'] })).statusCode).toBe(200);

    expect(await decide(tokens.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(tokens.refresh_token), 401, 'invalid_grant');
    expect(await decide((await logIn(user.username)).access_token, 'GET', '/admin/users')).toBe('Allow');
  });

  it('deleting an account ends its tokens and removes its sessions', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);

    const response = await call(adminDeleteUser, admin.token, { method: 'DELETE', resource: '/admin/users/{id}', pathParameters: { id: user.id } });

    expect(response.statusCode).toBe(204);
    expect(await decide(tokens.access_token)).toBe('Unauthorized');
    expectApiError(await refreshWith(tokens.refresh_token), 401, 'invalid_grant');
    const sessions = await new DynamoDbSessionRepository(countingClient().client, tableName()).list(user.id);
    expect(sessions).toEqual([]);
  });
});

describe('the authorizer’s revocation check', () => {
  it('costs exactly one DynamoDB request per authorization (one BatchGetItem)', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const { client, operations, reset } = countingClient();
    const service = sessionServiceOn(client);
    const verified = await accessTokens().verify(tokens.access_token);
    reset();

    expect(await service.tokenState(verified)).toBe('live');

    expect(operations()).toEqual(['BatchGetItemCommand']);
  });
});

describe('revocation that does not depend on deleting sessions', () => {
  const sessionServiceWith = (sessions: DynamoDbSessionRepository, clock: () => number = Date.now, ttlSeconds = 3600) =>
    sessionServiceOn(countingClient().client, { sessions, clock, ttlSeconds });

  it('logout-all is one atomic write: with the session sweep failing, every token of the account is still refused', async () => {
    const user = await registerUser();
    const first = await logIn(user.username);
    const second = await logIn(user.username);

    await expect(sessionServiceWith(new FailingSweeps(1)).logoutAll({ accountId: user.id, sessionId: sidOf(first.access_token) })).rejects.toBeInstanceOf(StorageUnavailableError);

    // The sessions from before the bump are still stored, yet the list shows only a new one.
    const fresh = await logIn(user.username);
    const listed = await sessionServiceWith(new DynamoDbSessionRepository(countingClient().client, tableName())).list({
      accountId: user.id,
      sessionId: sidOf(fresh.access_token),
    });
    expect(listed.map((session) => session.id)).toEqual([sidOf(fresh.access_token)]);
    for (const tokens of [first, second]) {
      expect(await decide(tokens.access_token)).toBe('Unauthorized');
      expectApiError(await refreshWith(tokens.refresh_token), 401, 'invalid_grant');
    }
  });

  it('a session past its absolute lifetime ends its access tokens and leaves the list, before DynamoDB\'s TTL removes it', async () => {
    const user = await registerUser();
    const start = Date.now();
    const clock = { now: start };
    const service = sessionServiceWith(new DynamoDbSessionRepository(countingClient().client, tableName()), () => clock.now, 60);
    const account = await new DynamoDbAccountRepository(countingClient().client, tableName()).findById(user.id);
    if (account === undefined) throw new Error('the account was not stored');
    const short = await service.open(account, { userAgent: 'short' });
    const long = await sessionServiceWith(new DynamoDbSessionRepository(countingClient().client, tableName()), () => clock.now, 3600).open(account, {
      userAgent: 'long',
    });
    const verified = await accessTokens().verify(short.access_token);
    expect(await service.tokenState(verified)).toBe('live');

    clock.now = start + 61_000;

    expect(await service.tokenState(verified)).toBe('session_ended');
    const listed = await service.list({ accountId: user.id, sessionId: sidOf(long.access_token) });
    expect(listed.map((session) => session.id)).toEqual([sidOf(long.access_token)]);
  });
});
