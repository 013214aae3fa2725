import { UnsupportedGrantTypeError } from '../lib/errors';
import { loginService } from '../lib/dependencies';
import { httpHandler } from '../lib/http/handler';
import { parseBody } from '../lib/http/request';
import { tokenResponse } from '../lib/http/responses';
import { GrantTypeSchema, PasswordGrantSchema } from '../lib/http/schemas';

const logins = loginService(); // at INIT: starts the dummy bcrypt hash before the first request

/** RFC 6749 token endpoint (public clients): errors follow §5.2, all 400. */
export const handler = httpHandler(
  async (event) => {
    const { grant_type } = parseBody(event, GrantTypeSchema, 'form');
    if (grant_type !== 'password') throw new UnsupportedGrantTypeError();
    const { username, password } = parseBody(event, PasswordGrantSchema, 'form');
    return tokenResponse(await logins.login(username, password));
  },
  { flavour: 'oauth' },
);
