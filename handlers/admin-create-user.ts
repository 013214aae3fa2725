import { accountService } from '../lib/dependencies/accounts';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { NewUserSchema } from '../lib/http/schemas';

export const handler = httpHandler(async (event) => {
  const input = parseBody(event, NewUserSchema, 'json');
  return json(201, await accountService().createAccount(input));
});
