import { accountService } from '../lib/dependencies/accounts';
import { httpHandler } from '../lib/http/handler';
import { parseQuery } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { ListUsersQuerySchema } from '../lib/http/schemas';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  const { limit, cursor } = parseQuery(event, ListUsersQuerySchema);
  return json(200, await accounts.listAccounts(limit, cursor));
});
