import { accountService } from '../lib/dependencies/accounts';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { CredentialsSchema } from '../lib/http/schemas';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  const { username, password } = parseBody(event, CredentialsSchema, 'json');
  const account = await accounts.register(username, password);
  return json(201, { id: account.id, username: account.username, roles: account.roles });
});
