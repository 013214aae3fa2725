import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

/** Answers from the authorizer's context alone: no database read. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  return json(200, {
    id: caller.id,
    username: caller.username,
    roles: caller.roles,
    permissions: caller.permissions,
    logged_in_as: caller.username,
  });
});
