import { sessionService } from '../lib/dependencies/sessions';
import { callerOf, pathParameter } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

/** Ends one of the caller's own sessions; another account's session id is a 404. */
export const handler = httpHandler(async (event) => {
  await sessionService().end(callerOf(event), pathParameter(event, 'id'));
  return noContent();
});
