import { accountService } from '../lib/dependencies/accounts';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { json } from '../lib/http/responses';
import { NewUserSchema } from '../lib/http/schemas';

const accounts = accountService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => {
  const input = parseBody(event, NewUserSchema, 'json');
  return json(201, await accounts.createAccount(input));
});
