import { UnsupportedGrantTypeError } from '../lib/errors';
import { loginService } from '../lib/dependencies/login';
import { sessionService } from '../lib/dependencies/sessions';
import { clientOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { tokenResponse } from '../lib/http/responses';
import { GrantTypeSchema, PasswordGrantSchema, RefreshGrantSchema } from '../lib/http/schemas';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

const logins = loginService(); // at INIT: starts the dummy bcrypt hash before the first request

/** RFC 6749 token endpoint (public clients): password (§4.3) and refresh_token (§6) grants; errors per §5.2. */
export const handler = httpHandler(
  async (event) => {
    const { grant_type } = parseBody(event, GrantTypeSchema, 'form');
    if (grant_type === 'password') {
      const { username, password } = parseBody(event, PasswordGrantSchema, 'form');
      return tokenResponse(await logins.login(username, password, clientOf(event)));
    }
    if (grant_type === 'refresh_token') {
      const { refresh_token } = parseBody(event, RefreshGrantSchema, 'form');
      return tokenResponse(await sessions.refresh(refresh_token));
    }
    throw new UnsupportedGrantTypeError();
  },
  { flavour: 'oauth' },
);
