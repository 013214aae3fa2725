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
import { loadAccountConfig, loadConfig, type AccountConfig, type Config } from './config';
import { logger } from './logger';
import { DynamoDbSessionRepository } from './sessions/dynamodb-session-repository';
import { checkTable, createDocumentClient } from './storage/dynamodb';

/**
 * The only place that constructs adapters and services. Each is built on first use and kept for
 * the container's life; a function that never logs in never pays for bcrypt's dummy hash.
 */
function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

export const config = once((): Config => loadConfig());
/** Account operations need only these: no JWT setting (the admin CLI has none). */
const accountConfig = once((): AccountConfig => loadAccountConfig());

const documentClient = once(() =>
  createDocumentClient({ region: accountConfig().region, endpoint: accountConfig().dynamodbEndpoint }),
);
const accountRepository = once(() => new DynamoDbAccountRepository(documentClient(), accountConfig().tableName));
const sessionRepository = once(() => new DynamoDbSessionRepository(documentClient(), accountConfig().tableName));
const passwordHasher = once(() => new BcryptPasswordHasher(accountConfig().bcryptCost));
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
  () => new AccountService(accountRepository(), passwordHasher(), systemClock, accountConfig().allowSignup, sessionRepository()),
);

/** What the admin CLI works with: the account service on the table it was pointed at. */
export interface AccountAdministration {
  readonly accounts: AccountService;
  /** Resolves when the table exists and answers; throws as the repository would. */
  checkTable(): Promise<void>;
  /** Closes the DynamoDB connections so that the process can exit. */
  close(): void;
}

/**
 * The same adapters and service as `accountService`, built for settings the caller gives (the
 * admin CLI targets DynamoDB Local or a deployed stage by its arguments, not its environment).
 */
export function accountAdministration(settings: AccountConfig): AccountAdministration {
  const client = createDocumentClient({ region: settings.region, endpoint: settings.dynamodbEndpoint });
  const accounts = new AccountService(
    new DynamoDbAccountRepository(client, settings.tableName),
    new BcryptPasswordHasher(settings.bcryptCost),
    systemClock,
    settings.allowSignup,
    new DynamoDbSessionRepository(client, settings.tableName),
  );
  return { accounts, checkTable: () => checkTable(client, settings.tableName), close: () => client.destroy() };
}

const loginThrottle = once(
  () => new LoginThrottle(new DynamoDbLoginAttemptStore(documentClient(), config().tableName), config().loginThrottle, systemClock),
);

export const loginService = once(
  () => new LoginService(accountRepository(), passwordHasher(), loginThrottle(), sessionService(), sessionRepository(), logger),
);

export const authorizerService = once(
  () => new AuthorizerService(accessTokens(), (token) => sessionService().tokenState(token), logger),
);
