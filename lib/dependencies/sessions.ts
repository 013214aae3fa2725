import { SessionService } from '../auth/session-service';
import { systemClock } from '../clock';
import { logger } from '../logger';
import { config, once } from './config';
import { accountRepository, sessionRepository } from './storage';
import { sessionRevocation } from './revocation';
import { accessTokens } from './tokens';


export const sessionService = once(
  () =>
    new SessionService(
      sessionRepository(),
      accountRepository(),
      sessionRevocation(),
      accessTokens(),
      systemClock,
      { ttlSeconds: config().refreshTokenTtlSeconds, reuseIntervalSeconds: config().refreshReuseIntervalSeconds },
      logger,
    ),
);
