import { StorageUnavailableError } from '../../lib/errors';
import { toStorageError } from '../../lib/storage/dynamodb';

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
