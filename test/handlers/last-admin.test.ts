// A table of this file's own (imported first): "the last account holding users:write" is a fact
// about the whole table, which other files fill with administrators of their own.
import { createOwnTable, deleteOwnTable } from '../support/own-table';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { handler as adminDeleteUser } from '../../handlers/admin-delete-user';
import { handler as adminUnlock } from '../../handlers/admin-unlock';
import { handler as adminUpdateUser } from '../../handlers/admin-update-user';
import { accountService } from '../../lib/dependencies/accounts';
import { config } from '../../lib/dependencies/config';
import { authorizedEvent, lambdaContext, uniqueUsername } from '../support/events';
import { createAdmin, expectApiError, loginResponse, PASSWORD, registerUser } from './helpers';

beforeAll(createOwnTable);
afterAll(deleteOwnTable);

const patch = async (token: string, id: string, json: Record<string, unknown>): Promise<APIGatewayProxyResult> =>
  adminUpdateUser(await authorizedEvent(token, { method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id }, json }), lambdaContext());
const remove = async (token: string, id: string): Promise<APIGatewayProxyResult> =>
  adminDeleteUser(await authorizedEvent(token, { method: 'DELETE', resource: '/admin/users/{id}', pathParameters: { id } }), lambdaContext());

/** Enabled accounts holding users:write, read straight from the service. */
async function writers(): Promise<string[]> {
  const page = await accountService().listAccounts(100, undefined);
  return page.items.filter((account) => !account.disabled && account.roles.includes('admin')).map((account) => account.id);
}

describe('the last account holding users:write', () => {
  it('survives two administrators demoting, disabling or deleting each other at the same moment', async () => {
    const moves = [
      (token: string, id: string) => patch(token, id, { roles: ['user'] }),
      (token: string, id: string) => patch(token, id, { disabled: true }),
      (token: string, id: string) => remove(token, id),
    ];
    for (const [round, move] of moves.entries()) {
      const [a, b] = [await createAdmin(), await createAdmin()];
      for (const id of await writers()) if (id !== a.id && id !== b.id) await accountService().deleteAccount('operator', id);

      const answers = await Promise.all([move(a.token, b.id), move(b.token, a.id)]);

      const statuses = answers.map((answer) => answer.statusCode).sort();
      expect({ round, writers: (await writers()).length }).toEqual({ round, writers: 1 });
      expect(statuses.filter((status) => status < 300)).toHaveLength(1);
      const refused = answers.find((answer) => answer.statusCode >= 300);
      // The loser is refused as the last writer, or as no longer allowed (its own token just ended).
      expect([401, 403, 409]).toContain(refused?.statusCode);
    }
  });

  it('cannot be demoted, disabled or deleted by the admin CLI either', async () => {
    const only = await accountService().createAccount({ username: uniqueUsername('only'), password: PASSWORD, roles: ['admin'] });
    for (const id of await writers()) if (id !== only.id) await accountService().deleteAccount('operator', id);

    await expect(accountService().updateAccount('operator', only.id, { roles: ['user'] })).rejects.toMatchObject({ code: 'last_admin' });
    await expect(accountService().updateAccount('operator', only.id, { disabled: true })).rejects.toMatchObject({ code: 'last_admin' });
    await expect(accountService().deleteAccount('operator', only.id)).rejects.toMatchObject({ code: 'last_admin' });

    expect(await writers()).toEqual([only.id]);
  });
});

describe('POST /admin/unlock', () => {
  it('lets a locked-out username log in again at once, and answers 404 for a name no account holds', async () => {
    const admin = await createAdmin();
    const user = await registerUser();
    for (let i = 0; i < config().loginThrottle.maxAttempts; i += 1) await loginResponse(user.username, 'not the password');
    expectApiError(await loginResponse(user.username), 429, 'too_many_requests');
    const unlock = async (username: string) =>
      adminUnlock(await authorizedEvent(admin.token, { method: 'POST', resource: '/admin/unlock', json: { username } }), lambdaContext());

    expect((await unlock(user.username.toUpperCase())).statusCode).toBe(204);

    expect((await loginResponse(user.username)).statusCode).toBe(200);
    expectApiError(await unlock(uniqueUsername('nobody')), 404, 'not_found');
    expectApiError(await unlock(''), 400, 'invalid_request');
  });
});
