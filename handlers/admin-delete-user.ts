import { accountService } from '../lib/dependencies/accounts';
import { callerOf, pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  await accounts.deleteAccount(callerOf(event).id, pathParameter(event, 'id'));
  return noContent();
});
