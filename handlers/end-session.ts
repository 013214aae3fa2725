import { sessionService } from '../lib/dependencies/sessions';
import { callerOf, pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Ends one of the caller's own sessions; another account's session id is a 404. */
export const handler = httpHandler(async (event) => {
  await sessions.end(callerOf(event), pathParameter(event, 'id'));
  return noContent();
});
