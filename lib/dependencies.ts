import { DynamoDbAccountRepository } from './accounts/dynamodb-account-repository';
import { AccountService } from './accounts/account-service';
import { AccessTokenService } from './auth/access-tokens';
import { AuthorizerService } from './auth/authorizer-service';
import { LoginService } from './auth/login-service';
import { BcryptPasswordHasher } from './auth/password-hasher';
import { signingKeySource } from './auth/signing-keys';
import { systemClock } from './clock';
import { loadAccountConfig, loadConfig, type AccountConfig, type Config } from './config';
import { logger } from './logger';
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
const passwordHasher = once(() => new BcryptPasswordHasher(accountConfig().bcryptCost));
const keySource = once(() => signingKeySource(config()));

export const accessTokens = once(
  () =>
    new AccessTokenService(
      keySource(),
      {
        issuer: config().issuer,
        audience: config().audience,
        ttlSeconds: config().accessTokenTtlSeconds,
      },
      systemClock,
    ),
);

export const accountService = once(
  () => new AccountService(accountRepository(), passwordHasher(), systemClock, accountConfig().allowSignup),
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
  const repository = new DynamoDbAccountRepository(client, settings.tableName);
  return {
    accounts: new AccountService(repository, new BcryptPasswordHasher(settings.bcryptCost), systemClock, settings.allowSignup),
    checkTable: () => checkTable(client, settings.tableName),
    close: () => client.destroy(),
  };
}

export const loginService = once(() => new LoginService(accountRepository(), passwordHasher(), accessTokens(), logger));

export const authorizerService = once(() => new AuthorizerService(accessTokens(), logger));
