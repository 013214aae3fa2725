import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Ends every session and access token of the caller's account. */
export const handler = httpHandler(async (event) => {
  await sessions.logoutAll(callerOf(event));
  return noContent();
});
