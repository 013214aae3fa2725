import { loginService } from '../lib/dependencies/login';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { noContent } from '../lib/http/responses';
import { PasswordChangeSchema } from '../lib/http/schemas';

const logins = loginService();

/** Changes the caller's password; every other session of the account ends. */
export const handler = httpHandler(async (event) => {
  const { current_password, new_password } = parseBody(event, PasswordChangeSchema, 'json');
  await logins.changePassword(callerOf(event), current_password, new_password);
  return noContent();
});
