import { DynamoDbAccountRepository } from '../accounts/dynamodb-account-repository';
import { DynamoDbSessionRepository } from '../sessions/dynamodb-session-repository';
import { createDocumentClient } from '../storage/dynamodb';
import { accountConfig, once } from './config';

/** The DynamoDB adapters every account and session reader shares, on one client. */
export const documentClient = once(() =>
  createDocumentClient({ region: accountConfig().region, endpoint: accountConfig().dynamodbEndpoint }),
);
export const accountRepository = once(() => new DynamoDbAccountRepository(documentClient(), accountConfig().tableName));
export const sessionRepository = once(() => new DynamoDbSessionRepository(documentClient(), accountConfig().tableName));
