import { SessionLifetime } from '../auth/session-lifetime';
import { systemClock } from '../clock';
import { TokenResponses } from '../http/refresh-cookie';
import { once } from './config';
import { sessionRepository } from './storage';

/** Token responses in body or cookie mode; cookie mode reads the session's end for the cookie's Max-Age. */
export const tokenResponses = once(() => {
  const lifetime = new SessionLifetime(sessionRepository(), systemClock);
  return new TokenResponses((refreshToken) => lifetime.remainingSeconds(refreshToken));
});
