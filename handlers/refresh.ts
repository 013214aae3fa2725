import { sessionService } from '../lib/dependencies/sessions';
import { tokenResponses } from '../lib/dependencies/token-responses';
import { httpHandler } from '../lib/http/handler';
import { presentedRefreshToken, refreshTransportOf } from '../lib/http/refresh-cookie';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable
const responses = tokenResponses();

/**
 * Rotates a refresh token (from the body, or the cookie in cookie mode): a new access token and
 * refresh token. A refusal never touches the cookie, which another tab may have just rotated.
 */
export const handler = httpHandler(async (event) => {
  const transport = refreshTransportOf(event);
  return responses.of(transport, await sessions.refresh(presentedRefreshToken(event, transport)));
});
