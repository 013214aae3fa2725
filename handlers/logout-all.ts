import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { noContent } from '../lib/http/responses';

/** Ends every session and access token of the caller's account. */
export const handler = httpHandler(async (event) => {
  await sessionService().logoutAll(callerOf(event));
  return noContent();
});
