import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { refreshTokenToEnd, refreshTransportOf, sessionEndedResponse } from '../lib/http/refresh-cookie';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Ends this session: its refresh token and every access token issued in it stop working; cookie mode clears the cookie. */
export const handler = httpHandler(async (event) => {
  const transport = refreshTransportOf(event);
  await sessions.logout(callerOf(event), refreshTokenToEnd(event, transport));
  return sessionEndedResponse(transport);
});
