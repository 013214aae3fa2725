import { accountService } from '../lib/dependencies/accounts';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { CredentialsSchema } from '../lib/http/schemas';

export const handler = httpHandler(async (event) => {
  const { username, password } = parseBody(event, CredentialsSchema, 'json');
  const account = await accountService().register(username, password);
  return json(201, { id: account.id, username: account.username, roles: account.roles });
});
