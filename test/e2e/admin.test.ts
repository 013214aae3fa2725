import {
  ADMIN_PERMISSIONS,
  admin,
  adminToken,
  bodyOf,
  createUser,
  decodeJwt,
  expectApiError,
  expectLoginRefused,
  expectStatus,
  expectUsernameFree,
  login,
  newPassword,
  request,
  uniqueUsername,
  USER_PERMISSIONS,
  type UserView,
} from './support';

const USER_FIELDS = ['created_at', 'disabled', 'id', 'roles', 'username'];

interface UserPage {
  readonly items: UserView[];
  readonly next_cursor: string | null;
}

let token: string;
beforeAll(async () => {
  token = await adminToken();
});

async function newAccount(roles: string[] = ['user']): Promise<UserView & { password: string }> {
  const password = newPassword();
  const user = await createUser(token, { username: uniqueUsername('managed'), password, roles });
  return { ...user, password };
}

async function getUser(id: string): Promise<UserView> {
  const response = await request('GET', `/admin/users/${id}`, { token });
  expectStatus(response, 200);
  return bodyOf<UserView>(response);
}

describe('GET /admin/users', () => {
  test('pages through every account exactly once by next_cursor, without password hashes', async () => {
    const created = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newAccount()));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;

    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const response = await request('GET', `/admin/users${query}`, { token });
      expectStatus(response, 200);
      expect(response.text).not.toMatch(/\$2[aby]\$|password|hash/i);
      const page = bodyOf<UserPage>(response);
      expect(Object.keys(page).sort()).toEqual(['items', 'next_cursor']);
      expect(page.items.length).toBeLessThanOrEqual(2);
      page.items.forEach((item) => expect(Object.keys(item).sort()).toEqual(USER_FIELDS));
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 1_000);

    expect(cursor).toBeNull();
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(new Set(seen).size).toBe(seen.length);
    for (const user of created) expect(seen.filter((id) => id === user.id)).toHaveLength(1);
  });

  test('the listing shows each account as GET /admin/users/{id} does', async () => {
    const user = await newAccount(['user', 'admin']);
    const found: UserView[] = [];
    let cursor: string | null = null;

    do {
      const query: string = cursor === null ? '?limit=100' : `?limit=100&cursor=${encodeURIComponent(cursor)}`;
      const response = await request('GET', `/admin/users${query}`, { token });
      expectStatus(response, 200);
      const page = bodyOf<UserPage>(response);
      found.push(...page.items.filter((item) => item.id === user.id));
      cursor = page.next_cursor;
    } while (cursor !== null);

    expect(found).toEqual([await getUser(user.id)]);
  });

  test.each([
    ['limit=0', '?limit=0'],
    ['limit=101', '?limit=101'],
    ['limit=abc', '?limit=abc'],
    ['a garbage cursor', '?cursor=not-a-cursor'],
    ['a well-formed but forged cursor', `?cursor=${Buffer.from('{"pk":"x"}').toString('base64url')}`],
  ])('refuses %s with 400 invalid_request', async (_name, query) => {
    const response = await request('GET', `/admin/users${query}`, { token });

    expectApiError(response, 400, 'invalid_request');
  });

  test('limit=1 and limit=100 are accepted', async () => {
    const [one, hundred] = await Promise.all(
      ['?limit=1', '?limit=100'].map((query) => request('GET', `/admin/users${query}`, { token })),
    );

    expectStatus(one!, 200);
    expect(bodyOf<UserPage>(one!).items).toHaveLength(1);
    expectStatus(hundred!, 200);
  });
});

describe('POST /admin/users', () => {
  test('creates an account holding several roles', async () => {
    const username = uniqueUsername('multi');
    const password = newPassword();

    const response = await request('POST', '/admin/users', {
      token,
      json: { username, password, roles: ['user', 'admin'] },
    });

    expectStatus(response, 201);
    const user = bodyOf<UserView>(response);
    expect(user).toEqual({ id: expect.any(String), username, roles: ['user', 'admin'], disabled: false, created_at: expect.any(String) });
    expect(await getUser(user.id)).toEqual(user);
    const newToken = await login(username, password);
    expect(decodeJwt(newToken).payload['scope']).toBe(ADMIN_PERMISSIONS.join(' '));
    const profile = await request('GET', '/me', { token: newToken });
    expect(profile.body).toMatchObject({ id: user.id, roles: ['user', 'admin'], permissions: ADMIN_PERMISSIONS });
    expectStatus(await request('GET', '/admin/users?limit=1', { token: newToken }), 200);
  });

  test('creates a plain user who gets only the user permissions', async () => {
    const user = await newAccount(['user']);

    const userToken = await login(user.username, user.password);

    expect(decodeJwt(userToken).payload['scope']).toBe(USER_PERMISSIONS.join(' '));
  });

  test.each([
    ['an unknown role', ['superuser']],
    ['no role at all', []],
    ['a role that is not a string', [1]],
  ])('refuses %s with 400 and creates nothing', async (_name, roles) => {
    const username = uniqueUsername('badrole');
    const password = newPassword();

    const response = await request('POST', '/admin/users', { token, json: { username, password, roles } });

    expectApiError(response, 400, 'invalid_request');
    await expectLoginRefused(username, password);
    await expectUsernameFree(username);
  });

  test('a taken username is 409 conflict, whatever its case', async () => {
    const user = await newAccount();

    const response = await request('POST', '/admin/users', {
      token,
      json: { username: user.username.toUpperCase(), password: newPassword(), roles: ['admin'] },
    });

    expectApiError(response, 409, 'conflict');
    expect(await getUser(user.id)).toMatchObject({ roles: ['user'] });
  });
});

describe('GET /admin/users/{id}', () => {
  test('an unknown id is 404 not_found', async () => {
    const response = await request('GET', '/admin/users/00000000-0000-4000-8000-000000000000', { token });

    expectApiError(response, 404, 'not_found');
  });
});

describe('PATCH /admin/users/{id}', () => {
  test('changes roles; the next login carries the new permissions', async () => {
    const user = await newAccount(['user']);

    const response = await request('PATCH', `/admin/users/${user.id}`, { token, json: { roles: ['user', 'admin'] } });

    expectStatus(response, 200);
    expect(response.body).toMatchObject({ id: user.id, roles: ['user', 'admin'], disabled: false });
    expect(await getUser(user.id)).toMatchObject({ roles: ['user', 'admin'] });
    const newToken = await login(user.username, user.password);
    expect(decodeJwt(newToken).payload['scope']).toBe(ADMIN_PERMISSIONS.join(' '));
  });

  test('a disabled account cannot log in, and the refusal matches a wrong password and an unknown user', async () => {
    const user = await newAccount(['user']);
    const wrongPassword = await request('POST', '/auth/login', {
      json: { username: user.username, password: `${user.password}x` },
    });
    const unknownUser = await request('POST', '/auth/login', {
      json: { username: uniqueUsername('nobody'), password: user.password },
    });

    const response = await request('PATCH', `/admin/users/${user.id}`, { token, json: { disabled: true } });

    expectStatus(response, 200);
    expect(response.body).toMatchObject({ id: user.id, disabled: true });
    const refused = await request('POST', '/auth/login', { json: { username: user.username, password: user.password } });
    expectApiError(refused, 401, 'invalid_grant');
    expect(refused.text).toBe(wrongPassword.text);
    expect(refused.text).toBe(unknownUser.text);
    expect(refused.headers.get('www-authenticate')).toBe(wrongPassword.headers.get('www-authenticate'));
    const oauth = await request('POST', '/oauth/token', {
      form: { grant_type: 'password', username: user.username, password: user.password },
    });
    expectApiError(oauth, 400, 'invalid_grant');
  });

  test('re-enabling an account lets it log in again', async () => {
    const user = await newAccount(['user']);
    expectStatus(await request('PATCH', `/admin/users/${user.id}`, { token, json: { disabled: true } }), 200);
    await expectLoginRefused(user.username, user.password);

    const response = await request('PATCH', `/admin/users/${user.id}`, { token, json: { disabled: false } });

    expectStatus(response, 200);
    await login(user.username, user.password);
  });

  test.each([
    ['an empty change', {}],
    ['an unknown role', { roles: ['root'] }],
    ['an empty role list', { roles: [] }],
    ['a non-boolean disabled', { disabled: 'yes' }],
    ['an unknown field', { disabled: true, username: 'someone-else' }],
  ])('refuses %s with 400 and changes nothing', async (_name, changes) => {
    const user = await newAccount(['user']);
    const before = await getUser(user.id);

    const response = await request('PATCH', `/admin/users/${user.id}`, { token, json: changes });

    expectApiError(response, 400, 'invalid_request');
    expect(await getUser(user.id)).toEqual(before);
    expect(before).toMatchObject({ roles: ['user'], disabled: false });
    await login(user.username, user.password);
  });

  test('an unknown id is 404 not_found', async () => {
    const response = await request('PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', {
      token,
      json: { disabled: true },
    });

    expectApiError(response, 404, 'not_found');
  });
});

describe('an administrator and their own account', () => {
  // A second admin, so that a regression here cannot lock e2e-admin out of the other test files.
  let self: UserView & { password: string };
  let selfToken: string;
  beforeAll(async () => {
    self = await newAccount(['user', 'admin']);
    selfToken = await login(self.username, self.password);
  });

  test.each([
    ['change their own roles', 'PATCH', { roles: ['user'] }],
    ['disable themselves', 'PATCH', { disabled: true }],
    ['delete themselves', 'DELETE', undefined],
  ])('cannot %s (403 insufficient_scope)', async (_name, method, json) => {
    const response = await request(method, `/admin/users/${self.id}`, { token: selfToken, json });

    expectApiError(response, 403, 'insufficient_scope');
    expect(await getUser(self.id)).toMatchObject({ roles: ['user', 'admin'], disabled: false });
    await login(self.username, self.password);
  });

  test('can still change another account', async () => {
    const other = await newAccount(['user']);

    const response = await request('PATCH', `/admin/users/${other.id}`, { token: selfToken, json: { disabled: true } });

    expectStatus(response, 200);
    expect(await getUser(other.id)).toMatchObject({ disabled: true });
  });

  test('e2e-admin is listed with the admin role', async () => {
    const response = await request('GET', '/me', { token });

    expectStatus(response, 200);
    expect(response.body).toMatchObject({ username: admin().username, roles: ['admin'], permissions: ADMIN_PERMISSIONS });
  });
});

describe('DELETE /admin/users/{id}', () => {
  test('removes the account and frees its username', async () => {
    const user = await newAccount(['user']);

    const response = await request('DELETE', `/admin/users/${user.id}`, { token });

    expectStatus(response, 204);
    expect(response.text).toBe('');
    expectApiError(await request('GET', `/admin/users/${user.id}`, { token }), 404, 'not_found');
    expectApiError(await request('DELETE', `/admin/users/${user.id}`, { token }), 404, 'not_found');
    await expectLoginRefused(user.username, user.password);
    const password = newPassword();
    const again = await request('POST', '/auth/register', { json: { username: user.username, password } });
    expectStatus(again, 201);
    expect(bodyOf<UserView>(again).id).not.toBe(user.id);
    await login(user.username, password);
  });
});
