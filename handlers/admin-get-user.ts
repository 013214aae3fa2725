import { accountService } from '../lib/dependencies/accounts';
import { pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

export const handler = httpHandler(async (event) => {
  return json(200, await accountService().getAccount(pathParameter(event, 'id')));
});
