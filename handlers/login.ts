import { loginService } from '../lib/dependencies/login';
import { clientOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { tokenResponse } from '../lib/http/responses';
import { CredentialsSchema } from '../lib/http/schemas';

const logins = loginService(); // at INIT: starts the dummy bcrypt hash before the first request

export const handler = httpHandler(async (event) => {
  const { username, password } = parseBody(event, CredentialsSchema, 'json-or-form');
  return tokenResponse(await logins.login(username, password, clientOf(event)));
});
