import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { refreshTransportOf, sessionEndedResponse } from '../lib/http/refresh-cookie';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Ends every session and access token of the caller's account; cookie mode clears the cookie too. */
export const handler = httpHandler(async (event) => {
  const transport = refreshTransportOf(event);
  await sessions.logoutAll(callerOf(event));
  return sessionEndedResponse(transport);
});
