import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseOptionalBody } from '../lib/http/request';
import { noContent } from '../lib/http/responses';
import { LogoutSchema } from '../lib/http/schemas';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Ends this session: its refresh token and every access token issued in it stop working. */
export const handler = httpHandler(async (event) => {
  const { refresh_token } = parseOptionalBody(event, LogoutSchema, 'json');
  await sessions.logout(callerOf(event), refresh_token);
  return noContent();
});
