/**
 * Sessions over HTTP against `npm start`: refresh rotation and reuse, logout, logout-all, password
 * change, the session list, what administrators end, lockout, and tokens that cannot be confused.
 */
import {
  adminToken,
  bodyOf,
  decodeJwt,
  expectApiError,
  expectGatewayRefusal,
  expectStatus,
  newPassword,
  register,
  request,
  uniqueUsername,
  type TokenResponse,
  USER_PERMISSIONS,
} from './support';

interface Session {
  readonly username: string;
  readonly password: string;
  readonly id: string;
  readonly tokens: TokenResponse;
}

async function logIn(username: string, password: string, userAgent = 'e2e'): Promise<TokenResponse> {
  const response = await request('POST', '/auth/login', { json: { username, password }, headers: { 'user-agent': userAgent } });
  expectStatus(response, 200);
  return bodyOf<TokenResponse>(response);
}

async function newSession(prefix = 'sess'): Promise<Session> {
  const username = uniqueUsername(prefix);
  const password = newPassword();
  const { id } = await register(username, password);
  return { username, password, id, tokens: await logIn(username, password) };
}

const refresh = (refreshToken: string) => request('POST', '/auth/refresh', { json: { refresh_token: refreshToken } });
const me = (accessToken: string) => request('GET', '/me', { token: accessToken });
const sidOf = (accessToken: string) => String(decodeJwt(accessToken).payload['sid']);

describe('refresh', () => {
  test('rotates: a new pair that works, uncacheable, and the old refresh token is dead', async () => {
    const { tokens } = await newSession();

    const response = await refresh(tokens.refresh_token);

    expectStatus(response, 200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const next = bodyOf<TokenResponse>(response);
    expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: USER_PERMISSIONS.join(' ') });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expectStatus(await me(next.access_token), 200);
  });

  test('a reused refresh token revokes its whole session', async () => {
    const { tokens } = await newSession();
    const next = bodyOf<TokenResponse>(await refresh(tokens.refresh_token));

    expectApiError(await refresh(tokens.refresh_token), 401, 'invalid_grant');

    expectApiError(await refresh(next.refresh_token), 401, 'invalid_grant');
    expectGatewayRefusal(await me(next.access_token), 401);
  });

  test('of two concurrent refreshes with one token exactly one wins, every time', async () => {
    const { username, password } = await newSession();
    for (let round = 0; round < 5; round += 1) {
      const tokens = await logIn(username, password);

      const answers = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token)]);

      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    }
  });

  test('works through the OAuth token endpoint too', async () => {
    const { tokens } = await newSession();
    const grant = (token: string) =>
      request('POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: token } });

    expectStatus(await grant(tokens.refresh_token), 200);
    expectApiError(await grant(tokens.refresh_token), 400, 'invalid_grant');
    expectApiError(await request('POST', '/oauth/token', { form: { grant_type: 'client_credentials' } }), 400, 'unsupported_grant_type');
  });

  test('tokens cannot be confused: an access token is no refresh token, a refresh token no bearer token', async () => {
    const { tokens } = await newSession();
    expectApiError(await refresh(tokens.access_token), 401, 'invalid_grant');
    expectGatewayRefusal(await me(tokens.refresh_token), 401);
    expectStatus(await refresh(tokens.refresh_token), 200);
  });

  test('a missing or malformed body is a 400 and changes nothing', async () => {
    const { tokens } = await newSession();
    expectApiError(await request('POST', '/auth/refresh', { json: {} }), 400, 'invalid_request');
    expectApiError(await request('POST', '/auth/refresh', { json: { refresh_token: [tokens.refresh_token] } }), 400, 'invalid_request');
    expectStatus(await refresh(tokens.refresh_token), 200);
  });
});

describe('logout', () => {
  test('ends this session only; two accounts logged in from one client stay independent', async () => {
    const alice = await newSession('alice');
    const bob = await newSession('bob');
    const aliceElsewhere = await logIn(alice.username, alice.password);

    const response = await request('POST', '/auth/logout', { token: alice.tokens.access_token });

    expectStatus(response, 204);
    expectGatewayRefusal(await me(alice.tokens.access_token), 401);
    expectApiError(await refresh(alice.tokens.refresh_token), 401, 'invalid_grant');
    expectStatus(await me(aliceElsewhere.access_token), 200);
    expect(bodyOf<{ username: string }>(await me(bob.tokens.access_token)).username).toBe(bob.username);
    expectStatus(await refresh(bob.tokens.refresh_token), 200);
  });

  test('logout-all kills an access token issued a second earlier, and every refresh token', async () => {
    const user = await newSession();
    const recent = await logIn(user.username, user.password);

    expectStatus(await request('POST', '/auth/logout-all', { token: recent.access_token }), 204);

    for (const tokens of [user.tokens, recent]) {
      expectGatewayRefusal(await me(tokens.access_token), 401);
      expectApiError(await refresh(tokens.refresh_token), 401, 'invalid_grant');
    }
    expectStatus(await me((await logIn(user.username, user.password)).access_token), 200);
  });
});

describe('sessions and password', () => {
  test('a user lists their sessions and ends one; another account’s session id is a 404', async () => {
    const user = await newSession();
    const phone = await logIn(user.username, user.password, 'Phone/1.0');
    const other = await newSession();

    const list = await request('GET', '/me/sessions', { token: phone.access_token });

    expectStatus(list, 200);
    const items = bodyOf<{ items: { id: string; user_agent: string; current: boolean }[] }>(list).items;
    expect(items.map((item) => item.id).sort()).toEqual([sidOf(user.tokens.access_token), sidOf(phone.access_token)].sort());
    expect(items.find((item) => item.current)?.user_agent).toBe('Phone/1.0');
    expectApiError(
      await request('DELETE', `/me/sessions/${sidOf(other.tokens.access_token)}`, { token: phone.access_token }),
      404,
      'not_found',
    );
    expectStatus(await me(other.tokens.access_token), 200);

    expectStatus(await request('DELETE', `/me/sessions/${sidOf(user.tokens.access_token)}`, { token: phone.access_token }), 204);
    expectGatewayRefusal(await me(user.tokens.access_token), 401);
    expectStatus(await me(phone.access_token), 200);
  });

  test('changing the password needs the current one and ends the other sessions', async () => {
    const user = await newSession();
    const here = await logIn(user.username, user.password);
    const next = newPassword();

    expectApiError(
      await request('POST', '/me/password', { token: here.access_token, json: { current_password: 'wrong password!', new_password: next } }),
      401,
      'invalid_grant',
    );
    expectStatus(await request('POST', '/me/password', { token: here.access_token, json: { current_password: user.password, new_password: next } }), 204);

    expectGatewayRefusal(await me(user.tokens.access_token), 401);
    expectStatus(await me(here.access_token), 200);
    expectApiError(await request('POST', '/auth/login', { json: { username: user.username, password: user.password } }), 401, 'invalid_grant');
    await logIn(user.username, next);
  });

  test('an administrator disabling an account refuses its live token on the very next request', async () => {
    const user = await newSession();
    const admin = await adminToken();
    expectStatus(await me(user.tokens.access_token), 200);

    expectStatus(await request('PATCH', `/admin/users/${user.id}`, { token: admin, json: { disabled: true } }), 200);

    expectGatewayRefusal(await me(user.tokens.access_token), 401);
    expectApiError(await refresh(user.tokens.refresh_token), 401, 'invalid_grant');
  });
});

describe('lockout', () => {
  test('five failures lock the name (429 + Retry-After) for the right password too, for unknown names alike', async () => {
    const user = await newSession();
    const ghost = uniqueUsername('ghost');
    const attempt = (username: string, password: string) => request('POST', '/auth/login', { json: { username, password } });

    for (const username of [user.username, ghost]) {
      for (let i = 0; i < 5; i += 1) expectApiError(await attempt(username, 'wrong password!'), 401, 'invalid_grant');
    }
    const locked = await attempt(user.username, user.password);
    const lockedGhost = await attempt(ghost, 'wrong password!');

    expectApiError(locked, 429, 'too_many_requests');
    expectApiError(lockedGhost, 429, 'too_many_requests');
    expect(lockedGhost.body).toEqual(locked.body);
    for (const response of [locked, lockedGhost]) {
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(300);
    }
  });

  test('a successful login resets the count', async () => {
    const user = await newSession();
    const attempt = (password: string) => request('POST', '/auth/login', { json: { username: user.username, password } });

    for (let i = 0; i < 4; i += 1) expectApiError(await attempt('wrong password!'), 401, 'invalid_grant');
    expectStatus(await attempt(user.password), 200);
    for (let i = 0; i < 4; i += 1) expectApiError(await attempt('wrong password!'), 401, 'invalid_grant');

    expectStatus(await attempt(user.password), 200);
  });
});
