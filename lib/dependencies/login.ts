import { DynamoDbLoginAttemptStore } from '../auth/dynamodb-login-attempt-store';
import { LoginService } from '../auth/login-service';
import { LoginThrottle } from '../auth/login-throttle';
import { systemClock } from '../clock';
import { logger } from '../logger';
import { passwordHasher } from './accounts';
import { config, once } from './config';
import { sessionRevocation } from './revocation';
import { sessionService } from './sessions';
import { accountRepository, documentClient } from './storage';

/** Password checks per username, in the table, and the lock they lead to (also the admin unlock's). */
export const loginThrottle = once(
  () => new LoginThrottle(new DynamoDbLoginAttemptStore(documentClient(), config().tableName), config().loginThrottle, systemClock),
);

/** Everything that checks a password behind the lockout: login and password change. */
export const loginService = once(
  () => new LoginService(accountRepository(), passwordHasher(), loginThrottle(), sessionService(), sessionRevocation(), logger),
);
