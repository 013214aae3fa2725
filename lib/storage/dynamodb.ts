import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { StorageUnavailableError } from '../errors';

export interface DynamoDbSettings {
  readonly region: string;
  readonly endpoint: string | undefined;
}

/**
 * Timeouts and retries are set explicitly so that an unreachable, hanging or throttling table
 * turns into a 503 within about three and a half seconds instead of the SDK's open-ended defaults.
 * Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes and
 * waits on a table that accepts connections but never answers until Lambda kills the function.
 */
export function createDocumentClient(settings: DynamoDbSettings): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: settings.region,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true }),
    ...(settings.endpoint === undefined
      ? {}
      : // DynamoDB Local accepts any credentials; these are not secrets.
        { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}

export function isConditionalCheckFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/**
 * The item a failed condition met (asked for with ReturnValuesOnConditionCheckFailure ALL_OLD);
 * undefined when there was none. The document client leaves it in DynamoDB's wire form.
 */
export function itemAtConditionFailure(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Record<string, unknown> } | undefined)?.Item;
  return item === undefined ? undefined : (unmarshall(item as Parameters<typeof unmarshall>[0]) as Record<string, unknown>);
}

/**
 * True when a transaction was cancelled because a condition failed: any of its conditions, or
 * only the one of the item at `index` (in TransactItems order) when given.
 */
export function isTransactionConditionFailure(error: unknown, index?: number): boolean {
  if (errorName(error) !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const failed = (reason: { Code?: string } | undefined) => reason?.Code === 'ConditionalCheckFailed';
  return index === undefined ? reasons.some(failed) : failed(reasons[index]);
}

/** True when a transaction was cancelled because another one was writing the same items. */
export function isTransactionConflict(error: unknown): boolean {
  if (errorName(error) !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'TransactionConflict');
}

// Client faults that mean "too much or too busy, try later" rather than "this request is wrong":
// throttling, and writes that met a transaction in progress on the same item.
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

// Why DynamoDB cancels a transaction when the same request may succeed later. It reports a
// throttled or conflicting TransactWriteItems as TransactionCanceledException, not as throttling.
const RETRYABLE_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

function isRetryableCancellation(error: unknown): boolean {
  if (errorName(error) !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => RETRYABLE_CANCELLATIONS.has(reason.Code ?? ''));
}

/**
 * A store failure the adapter does not translate itself. Unreachable, timing out, throttling,
 * busy with a conflicting transaction or failing on AWS's side is StorageUnavailableError (a 503:
 * try again). A request DynamoDB rejects as malformed is our bug, not an outage: it stays as it
 * is and becomes an opaque 500.
 */
export function toStorageError(error: unknown): Error {
  const fault = typeof error === 'object' && error !== null && '$fault' in error ? error.$fault : undefined;
  const name = errorName(error);
  const retryable = (name !== undefined && RETRYABLE.has(name)) || isRetryableCancellation(error);
  if (fault === 'client' && error instanceof Error && !retryable) return error;
  return new StorageUnavailableError({ cause: error });
}

/** Awaits a store call, translating its failure with toStorageError. */
export async function storageCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toStorageError(error);
  }
}

/** Resolves when the table exists and answers; otherwise throws as the repository would. */
export async function checkTable(db: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await db.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    throw toStorageError(error);
  }
}

/** What an operator must fix when DynamoDB could not be used (see `storeProblem`). */
export type StoreProblem = 'no_credentials' | 'credentials_refused' | 'access_denied' | 'table_missing' | 'unreachable';

// The names AWS gives a request whose credentials it does not accept.
const CREDENTIALS_REFUSED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

/**
 * Names the operator-fixable problem behind an error of this adapter (or of the repository above
 * it): no credentials found, credentials refused, not allowed, no such table, or the store not
 * answering. Undefined for anything else. The admin CLI turns these into its exit codes.
 */
export function storeProblem(error: unknown): StoreProblem | undefined {
  const cause = error instanceof StorageUnavailableError ? error.cause : error;
  const name = errorName(cause);
  if (name === 'CredentialsProviderError') return 'no_credentials';
  if (name !== undefined && CREDENTIALS_REFUSED.has(name)) return 'credentials_refused';
  if (name === 'AccessDeniedException') return 'access_denied';
  if (name === 'ResourceNotFoundException') return 'table_missing';
  if (error instanceof StorageUnavailableError) return 'unreachable';
  return undefined;
}
