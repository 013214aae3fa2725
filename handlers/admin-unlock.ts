import { accountService } from '../lib/dependencies/accounts';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { noContent } from '../lib/http/responses';
import { UnlockSchema } from '../lib/http/schemas';

const accounts = accountService();

/** Lets a locked-out username try again at once; an administrator's decision, logged. */
export const handler = httpHandler(async (event) => {
  const { username } = parseBody(event, UnlockSchema, 'json');
  await accounts.unlock(callerOf(event).id, username);
  return noContent();
});
