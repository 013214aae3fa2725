import { loginService } from '../lib/dependencies/login';
import { tokenResponses } from '../lib/dependencies/token-responses';
import { clientOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { refreshTransportOf } from '../lib/http/refresh-cookie';
import { parseBody } from '../lib/http/request';
import { CredentialsSchema } from '../lib/http/schemas';

const logins = loginService(); // at INIT: starts the dummy bcrypt hash before the first request
const responses = tokenResponses();

/** Checks the password and opens a session; in cookie mode the refresh token goes into the cookie. */
export const handler = httpHandler(async (event) => {
  const transport = refreshTransportOf(event);
  const { username, password } = parseBody(event, CredentialsSchema, 'json-or-form');
  return responses.of(transport, await logins.login(username, password, clientOf(event)));
});
