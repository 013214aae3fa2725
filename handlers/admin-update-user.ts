import { accountService } from '../lib/dependencies/accounts';
import { callerOf, pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { UserChangesSchema } from '../lib/http/schemas';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  const changes = parseBody(event, UserChangesSchema, 'json');
  const updated = await accounts.updateAccount(callerOf(event).id, pathParameter(event, 'id'), changes);
  return json(200, updated);
});
