import { sessionService } from '../lib/dependencies/sessions';
import { tokenResponses } from '../lib/dependencies/token-responses';
import { httpHandler } from '../lib/http/handler';
import { presentedRefreshToken, refreshTransportOf } from '../lib/http/refresh-cookie';

/**
 * Rotates a refresh token (from the body, or the cookie in cookie mode): a new access token and
 * refresh token. A refusal never touches the cookie, which another tab may have just rotated.
 */
export const handler = httpHandler(async (event) => {
  const transport = refreshTransportOf(event);
  const tokens = await sessionService().refresh(presentedRefreshToken(event, transport));
  return tokenResponses().of(transport, tokens);
});
