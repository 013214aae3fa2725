import { handler as adminCreateUser } from '../../handlers/admin-create-user';
import { handler as adminDeleteUser } from '../../handlers/admin-delete-user';
import { handler as adminGetUser } from '../../handlers/admin-get-user';
import { handler as adminListUsers } from '../../handlers/admin-list-users';
import { handler as adminUpdateUser } from '../../handlers/admin-update-user';
import { authorizedEvent, bodyOf, lambdaContext, uniqueUsername, type HttpEventInput } from '../support/events';
import { scopeOf } from '../support/protected-event';
import { createAdmin, expectApiError, loginResponse, PASSWORD, registerUser } from './helpers';

let admin: { id: string; username: string; token: string };
beforeAll(async () => {
  admin = await createAdmin();
});

const call = async (handler: typeof adminGetUser, input: HttpEventInput) => handler(await authorizedEvent(admin.token, input), lambdaContext());
const userPath = (id: string) => ({ resource: '/admin/users/{id}', pathParameters: { id } });

describe('POST /admin/users', () => {
  it('creates an account holding several roles', async () => {
    const username = uniqueUsername('ops');
    const response = await call(adminCreateUser, { method: 'POST', resource: '/admin/users', json: { username, password: PASSWORD, roles: ['user', 'admin'] } });
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual({ id: expect.any(String), username, roles: ['user', 'admin'], disabled: false, created_at: expect.any(String) });
    expect(bodyOf(await loginResponse(username))).toMatchObject({ scope: scopeOf(['admin']) });
  });

  it('refuses an unknown role, an empty role list and a taken name, creating nothing', async () => {
    const username = uniqueUsername();
    expectApiError(await call(adminCreateUser, { method: 'POST', resource: '/admin/users', json: { username, password: PASSWORD, roles: ['root'] } }), 400, 'invalid_request');
    expectApiError(await call(adminCreateUser, { method: 'POST', resource: '/admin/users', json: { username, password: PASSWORD, roles: [] } }), 400, 'invalid_request');
    expect((await loginResponse(username)).statusCode).toBe(401);
    expectApiError(await call(adminCreateUser, { method: 'POST', resource: '/admin/users', json: { username: admin.username, password: PASSWORD, roles: ['user'] } }), 409, 'conflict');
  });
});

describe('GET /admin/users', () => {
  it('pages through every account with a cursor, once each, without password hashes', async () => {
    const created = await Promise.all(Array.from({ length: 5 }, () => registerUser()));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await call(adminListUsers, { method: 'GET', resource: '/admin/users', query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(response.statusCode).toBe(200);
      const page = bodyOf<{ items: Record<string, unknown>[]; next_cursor: string | null }>(response);
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        expect(Object.keys(item).sort()).toEqual(['created_at', 'disabled', 'id', 'roles', 'username']);
        seen.push(String(item['id']));
      }
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 1000);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    for (const user of created) expect(seen).toContain(user.id);
  });

  it.each([
    ['limit=0', { limit: '0' }],
    ['limit=101', { limit: '101' }],
    ['limit=abc', { limit: 'abc' }],
    ['a garbage cursor', { cursor: 'not-a-cursor' }],
    ['a forged cursor', { cursor: Buffer.from(JSON.stringify({ pk: 'USERNAME#x', sk: 'USERNAME' })).toString('base64url') }],
    ['an unknown parameter', { sort: 'name' }],
  ])('refuses %s with 400', async (_name, query) => {
    expectApiError(await call(adminListUsers, { method: 'GET', resource: '/admin/users', query }), 400, 'invalid_request');
  });
});

describe('GET, PATCH and DELETE /admin/users/{id}', () => {
  it('reads one account, and answers 404 for an unknown id', async () => {
    const user = await registerUser();
    expect(bodyOf(await call(adminGetUser, { method: 'GET', ...userPath(user.id) }))).toMatchObject({ id: user.id, username: user.username, roles: ['user'], disabled: false });
    expectApiError(await call(adminGetUser, { method: 'GET', ...userPath('00000000-0000-0000-0000-000000000000') }), 404, 'not_found');
  });

  it('changes roles and disables; a disabled account cannot log in, an enabled one can again', async () => {
    const user = await registerUser();
    const promoted = await call(adminUpdateUser, { method: 'PATCH', ...userPath(user.id), json: { roles: ['admin'] } });
    expect(bodyOf(promoted)).toMatchObject({ roles: ['admin'] });
    expect(bodyOf(await loginResponse(user.username))).toMatchObject({ scope: scopeOf(['admin']) });

    expect(bodyOf(await call(adminUpdateUser, { method: 'PATCH', ...userPath(user.id), json: { disabled: true } }))).toMatchObject({ disabled: true });
    expectApiError(await loginResponse(user.username), 401, 'invalid_grant');
    await call(adminUpdateUser, { method: 'PATCH', ...userPath(user.id), json: { disabled: false } });
    expect((await loginResponse(user.username)).statusCode).toBe(200);
  });

  it.each([
    ['a 3000-character id (over DynamoDB key limits)', 'a'.repeat(3000)],
    ['a path-like id', '../../etc/passwd'],
    ['an id that is not a UUID', 'USER#x'],
  ])('answers 404 not_found, not a storage error, for %s', async (_name, id) => {
    expectApiError(await call(adminGetUser, { method: 'GET', ...userPath(id) }), 404, 'not_found');
    expectApiError(await call(adminUpdateUser, { method: 'PATCH', ...userPath(id), json: { disabled: true } }), 404, 'not_found');
    expectApiError(await call(adminDeleteUser, { method: 'DELETE', ...userPath(id) }), 404, 'not_found');
  });

  it('refuses bad changes and unknown ids, changing nothing', async () => {
    const user = await registerUser();
    for (const json of [{}, { roles: ['root'] }, { disabled: 'yes' }, { username: 'renamed' }, []]) {
      expectApiError(await call(adminUpdateUser, { method: 'PATCH', ...userPath(user.id), json }), 400, 'invalid_request');
    }
    expect(bodyOf(await call(adminGetUser, { method: 'GET', ...userPath(user.id) }))).toMatchObject({ roles: ['user'], disabled: false, username: user.username });
    expectApiError(await call(adminUpdateUser, { method: 'PATCH', ...userPath('no-such-id'), json: { disabled: true } }), 404, 'not_found');
  });

  it('will not let administrators change their own roles, disable or delete themselves', async () => {
    expectApiError(await call(adminUpdateUser, { method: 'PATCH', ...userPath(admin.id), json: { roles: ['user', 'admin'] } }), 403, 'insufficient_scope');
    expectApiError(await call(adminUpdateUser, { method: 'PATCH', ...userPath(admin.id), json: { disabled: true } }), 403, 'insufficient_scope');
    expectApiError(await call(adminDeleteUser, { method: 'DELETE', ...userPath(admin.id) }), 403, 'insufficient_scope');
    expect(bodyOf(await call(adminGetUser, { method: 'GET', ...userPath(admin.id) }))).toMatchObject({ roles: ['admin'], disabled: false });
  });

  it('deletes an account and frees its username; a second delete is 404', async () => {
    const user = await registerUser();
    const deleted = await call(adminDeleteUser, { method: 'DELETE', ...userPath(user.id) });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectApiError(await call(adminGetUser, { method: 'GET', ...userPath(user.id) }), 404, 'not_found');
    expectApiError(await loginResponse(user.username), 401, 'invalid_grant');
    expectApiError(await call(adminDeleteUser, { method: 'DELETE', ...userPath(user.id) }), 404, 'not_found');
    const again = await registerUser(user.username);
    expect(again.id).not.toBe(user.id);
  });
});
