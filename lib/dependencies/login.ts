import { DynamoDbLoginAttemptStore } from '../auth/dynamodb-login-attempt-store';
import { LoginService } from '../auth/login-service';
import { LoginThrottle } from '../auth/login-throttle';
import { systemClock } from '../clock';
import { logger } from '../logger';
import { passwordHasher } from './accounts';
import { config, once } from './config';
import { sessionService } from './sessions';
import { accountRepository, documentClient, sessionRepository } from './storage';

/** Failed logins per username, in the table, and the lock they lead to. */
const loginThrottle = once(
  () => new LoginThrottle(new DynamoDbLoginAttemptStore(documentClient(), config().tableName), config().loginThrottle, systemClock),
);

/** Everything that checks a password behind the lockout: login and password change. */
export const loginService = once(
  () => new LoginService(accountRepository(), passwordHasher(), loginThrottle(), sessionService(), sessionRepository(), logger),
);
