import { AccountService } from '../accounts/account-service';
import { DynamoDbAccountRepository } from '../accounts/dynamodb-account-repository';
import { DynamoDbLoginAttemptStore } from '../auth/dynamodb-login-attempt-store';
import { BcryptPasswordHasher } from '../auth/password-hasher';
import { SessionRevocation } from '../auth/revocation';
import { systemClock } from '../clock';
import type { AccountConfig } from '../config';
import { logger } from '../logger';
import { DynamoDbSessionRepository } from '../sessions/dynamodb-session-repository';
import { checkTable, createDocumentClient } from '../storage/dynamodb';
import { accountConfig, once } from './config';
import { sessionRevocation } from './revocation';
import { accountRepository, documentClient } from './storage';

/** bcrypt at the configured cost; login (./login.ts) checks passwords with the same one. */
export const passwordHasher = once(() => new BcryptPasswordHasher(accountConfig().bcryptCost));

export const accountService = once(
  () =>
    new AccountService(
      accountRepository(),
      passwordHasher(),
      systemClock,
      accountConfig().allowSignup,
      sessionRevocation(),
      new DynamoDbLoginAttemptStore(documentClient(), accountConfig().tableName),
      logger,
    ),
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
  const accounts = new AccountService(
    repository,
    new BcryptPasswordHasher(settings.bcryptCost),
    systemClock,
    settings.allowSignup,
    new SessionRevocation(new DynamoDbSessionRepository(client, settings.tableName), repository, logger),
    new DynamoDbLoginAttemptStore(client, settings.tableName),
    logger,
  );
  return { accounts, checkTable: () => checkTable(client, settings.tableName), close: () => client.destroy() };
}
