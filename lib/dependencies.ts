import { DynamoDbAccountRepository } from './accounts/dynamodb-account-repository';
import { AccountService } from './accounts/account-service';
import { AccessTokenService } from './auth/access-tokens';
import { AuthorizerService } from './auth/authorizer-service';
import { DynamoDbLoginAttemptStore } from './auth/dynamodb-login-attempt-store';
import { LoginService } from './auth/login-service';
import { LoginThrottle } from './auth/login-throttle';
import { BcryptPasswordHasher } from './auth/password-hasher';
import { SessionService } from './auth/session-service';
import { signingKeySource } from './auth/signing-keys';
import { systemClock } from './clock';
import { loadConfig, type Config } from './config';
import { logger } from './logger';
import { DynamoDbSessionRepository } from './sessions/dynamodb-session-repository';
import { createDocumentClient } from './storage/dynamodb';

/**
 * The only place that constructs adapters and services. Each is built on first use and kept for
 * the container's life; a function that never logs in never pays for bcrypt's dummy hash.
 */
function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

export const config = once((): Config => loadConfig());

const documentClient = once(() =>
  createDocumentClient({ region: config().region, endpoint: config().dynamodbEndpoint }),
);
const accountRepository = once(() => new DynamoDbAccountRepository(documentClient(), config().tableName));
const sessionRepository = once(() => new DynamoDbSessionRepository(documentClient(), config().tableName));
const passwordHasher = once(() => new BcryptPasswordHasher(config().bcryptCost));
/** The signing and verification keys, and the JWKS; an SSM-held key is fetched on first use. */
export const signingKeys = once(() => signingKeySource(config(), { logger }));

export const accessTokens = once(
  () =>
    new AccessTokenService(
      signingKeys(),
      {
        issuer: config().issuer,
        audience: config().audience,
        ttlSeconds: config().accessTokenTtlSeconds,
      },
      systemClock,
    ),
);

export const sessionService = once(
  () =>
    new SessionService(
      sessionRepository(),
      accountRepository(),
      accessTokens(),
      systemClock,
      { ttlSeconds: config().refreshTokenTtlSeconds },
      logger,
    ),
);

export const accountService = once(
  () => new AccountService(accountRepository(), passwordHasher(), systemClock, config().allowSignup, sessionRepository()),
);

const loginThrottle = once(
  () => new LoginThrottle(new DynamoDbLoginAttemptStore(documentClient(), config().tableName), config().loginThrottle, systemClock),
);

export const loginService = once(
  () => new LoginService(accountRepository(), passwordHasher(), loginThrottle(), sessionService(), sessionRepository(), logger),
);

export const authorizerService = once(
  () => new AuthorizerService(accessTokens(), (token) => sessionService().tokenState(token), logger),
);
