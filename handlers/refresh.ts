import { sessionService } from '../lib/dependencies/sessions';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { tokenResponse } from '../lib/http/responses';
import { RefreshSchema } from '../lib/http/schemas';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

/** Rotates a refresh token: a new access token and refresh token; the old refresh token is dead. */
export const handler = httpHandler(async (event) => {
  const { refresh_token } = parseBody(event, RefreshSchema, 'json');
  return tokenResponse(await sessions.refresh(refresh_token));
});
