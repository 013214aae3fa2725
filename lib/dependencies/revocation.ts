import { SessionRevocation } from '../auth/revocation';
import { logger } from '../logger';
import { once } from './config';
import { accountRepository, sessionRepository } from './storage';

/** The one place that ends sessions (see lib/auth/revocation.ts); needs no token settings. */
export const sessionRevocation = once(() => new SessionRevocation(sessionRepository(), accountRepository(), logger));
