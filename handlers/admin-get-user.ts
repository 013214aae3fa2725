import { accountService } from '../lib/dependencies/accounts';
import { pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  return json(200, await accounts.getAccount(pathParameter(event, 'id')));
});
