import { StorageUnavailableError } from '../../lib/errors';
import { storeProblem, toStorageError } from '../../lib/storage/dynamodb';

/** An error shaped as the AWS SDK throws them: a name and a $fault of 'client' or 'server'. */
function sdkError(name: string, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: fault });
}

/** A cancelled TransactWriteItems, with one cancellation reason per item as DynamoDB reports them. */
function cancelledTransaction(...codes: string[]): Error {
  return Object.assign(sdkError('TransactionCanceledException', 'client'), { CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe('toStorageError', () => {
  test.each([
    ['a connection refused (no $fault)', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['a server fault', sdkError('InternalServerError', 'server')],
    ['throttling', sdkError('ProvisionedThroughputExceededException', 'client')],
    ['a request-rate limit', sdkError('ThrottlingException', 'client')],
    ['a transaction cancelled because it was throttled', cancelledTransaction('None', 'ThrottlingError')],
    ['a transaction cancelled for throughput', cancelledTransaction('ProvisionedThroughputExceeded', 'None')],
    ['a transaction cancelled by a concurrent one on the same item', cancelledTransaction('TransactionConflict', 'None')],
    ['a write conflicting with a transaction in progress', sdkError('TransactionConflictException', 'client')],
    ['a transaction already in progress with that token', sdkError('TransactionInProgressException', 'client')],
  ])('turns %s into StorageUnavailableError (503), keeping the cause', (_name, error) => {
    const mapped = toStorageError(error);

    expect(mapped).toBeInstanceOf(StorageUnavailableError);
    expect(mapped.cause).toBe(error);
  });

  test.each([
    ['a malformed request', sdkError('ValidationException', 'client')],
    ['a missing table', sdkError('ResourceNotFoundException', 'client')],
    ['a transaction cancelled because an item was invalid', cancelledTransaction('None', 'ValidationError')],
  ])('keeps %s as it is: our bug, an opaque 500, not "try again"', (_name, error) => {
    expect(toStorageError(error)).toBe(error);
  });
});

describe('storeProblem (what the admin CLI tells an operator)', () => {
  test.each([
    ['no credentials found', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'no_credentials'],
    ['credentials AWS does not know', sdkError('UnrecognizedClientException', 'client'), 'credentials_refused'],
    ['expired credentials', sdkError('ExpiredTokenException', 'client'), 'credentials_refused'],
    ['a missing permission', sdkError('AccessDeniedException', 'client'), 'access_denied'],
    ['a missing table', sdkError('ResourceNotFoundException', 'client'), 'table_missing'],
    ['a connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unreachable'],
    ['a server fault', sdkError('InternalServerError', 'server'), 'unreachable'],
  ])('names %s, as the adapter hands it on', (_name, error, problem) => {
    expect(storeProblem(toStorageError(error))).toBe(problem);
  });

  test('names nothing for an error it does not know', () => {
    expect(storeProblem(sdkError('ValidationException', 'client'))).toBeUndefined();
    expect(storeProblem(new TypeError('x is undefined'))).toBeUndefined();
  });
});
