import { randomBytes, randomInt } from 'node:crypto';
import {
  bodyOf,
  decodeJwt,
  expectApiError,
  expectLoginRefused,
  expectStatus,
  login,
  newPassword,
  register,
  request,
  uniqueUsername,
  USER_PERMISSIONS,
  type RegisteredUser,
  type TokenResponse,
} from './support';

/** Full-width forms (U+FF01–U+FF5E) of printable ASCII, which NFKC folds back. */
function fullWidth(text: string): string {
  return [...text].map((char) => String.fromCodePoint(char.codePointAt(0)! + 0xfee0)).join('');
}

async function me(token: string): Promise<Record<string, unknown>> {
  const response = await request('GET', '/me', { token });
  expectStatus(response, 200);
  return bodyOf<Record<string, unknown>>(response);
}

describe('POST /auth/register', () => {
  test('creates an account with the user role only', async () => {
    const username = uniqueUsername();

    const response = await request('POST', '/auth/register', { json: { username, password: newPassword() } });

    expectStatus(response, 201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(response.body).toEqual({ id: expect.any(String), username, roles: ['user'] });
  });

  test('the new account can log in with its password and with no other', async () => {
    const username = uniqueUsername();
    const password = newPassword();
    const account = await register(username, password);

    const token = await login(username, password);

    expect(await me(token)).toMatchObject({ id: account.id, username });
    await expectLoginRefused(username, `${password}x`);
  });

  test('Alice, ALICE and full-width Ａｌｉｃｅ are one account', async () => {
    const suffix = randomBytes(4).toString('hex');
    const alice = `Alice-${suffix}`;
    const upper = alice.toUpperCase();
    const wide = fullWidth(alice);
    const password = newPassword();
    const account = await register(alice, password);

    const again = await request('POST', '/auth/register', { json: { username: upper, password: newPassword() } });
    const wideAgain = await request('POST', '/auth/register', { json: { username: wide, password: newPassword() } });

    expectApiError(again, 409, 'conflict');
    expectApiError(wideAgain, 409, 'conflict');
    for (const form of [alice, upper, wide]) {
      const profile = await me(await login(form, password));
      expect(profile).toMatchObject({ id: account.id, username: account.username, logged_in_as: account.username });
    }
  });

  test('of two parallel registrations of one new name, exactly one wins', async () => {
    const username = uniqueUsername('race');
    const passwords = [newPassword(), newPassword()] as const;

    const responses = await Promise.all(
      passwords.map((password) => request('POST', '/auth/register', { json: { username, password } })),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const loser = responses.findIndex((response) => response.status === 409);
    expectApiError(responses[loser]!, 409, 'conflict');
    await login(username, passwords[1 - loser]!);
    await expectLoginRefused(username, passwords[loser]!);
  });

  test('accepts a name in one non-Latin script (홍길동)', async () => {
    const username = `홍길동-${randomInt(1_000_000_000)}`;
    const password = newPassword();

    const account = await register(username, password);

    expect(account.username).toBe(username);
    expect(await me(await login(username, password))).toMatchObject({ id: account.id, username });
  });

  test('composed and decomposed forms of a password are one password (NFC)', async () => {
    const username = uniqueUsername();
    const tail = randomBytes(6).toString('hex');
    await register(username, `Caf\u00e9-${tail}`);

    await login(username, `Cafe\u0301-${tail}`);

    await expectLoginRefused(username, `Cafe-${tail}`);
  });
});

describe('several accounts at once', () => {
  test('two accounts logged in together hold independent tokens', async () => {
    const names = [uniqueUsername('alpha'), uniqueUsername('beta')];
    const password = newPassword();
    const accounts: RegisteredUser[] = await Promise.all(names.map((name) => register(name, password)));

    const tokens = await Promise.all(names.map((name) => login(name, password)));
    const profiles = await Promise.all(tokens.map((token) => me(token)));

    expect(tokens[0]).not.toBe(tokens[1]);
    expect(accounts[0]!.id).not.toBe(accounts[1]!.id);
    accounts.forEach((account, index) => {
      expect(profiles[index]).toEqual({
        id: account.id,
        username: account.username,
        roles: ['user'],
        permissions: USER_PERMISSIONS,
        logged_in_as: account.username,
      });
      const claims = decodeJwt(tokens[index]!).payload;
      expect(claims['sub']).toBe(account.id);
      expect(claims['sub']).not.toBe(account.username);
      expect(claims['username']).toBe(account.username);
    });
  });

  test('a token keeps speaking for its own account while another logs in', async () => {
    const password = newPassword();
    const first = await register(uniqueUsername('first'), password);
    const firstToken = await login(first.username, password);
    const second = await register(uniqueUsername('second'), password);

    const secondLogin = await request('POST', '/auth/login', {
      json: { username: second.username, password },
    });

    expectStatus(secondLogin, 200);
    expect(bodyOf<TokenResponse>(secondLogin).access_token).not.toBe(firstToken);
    expect(await me(firstToken)).toMatchObject({ id: first.id, username: first.username });
    expect(await me(bodyOf<TokenResponse>(secondLogin).access_token)).toMatchObject({ id: second.id });
  });
});
