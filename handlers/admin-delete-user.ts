import { accountService } from '../lib/dependencies/accounts';
import { callerOf, pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

export const handler = httpHandler(async (event) => {
  await accountService().deleteAccount(callerOf(event).id, pathParameter(event, 'id'));
  return noContent();
});
