import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { uniqueUsername } from '../support/events';

/** Counts the requests the client sends to DynamoDB (Local, started by the global setup). */
function countingClient(): { client: DynamoDBDocumentClient; sent: () => number; reset: () => void } {
  const client = createDocumentClient({ region: 'us-east-1', endpoint: process.env['DYNAMODB_ENDPOINT'] });
  let count = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { client, sent: () => count, reset: () => (count = 0) };
}

describe('DynamoDbAccountRepository.findByUsername', () => {
  test('makes as many DynamoDB round trips for an unknown name as for a known one', async () => {
    const { client, sent, reset } = countingClient();
    const repository = new DynamoDbAccountRepository(client, process.env['TABLE_NAME'] ?? '');
    const username = uniqueUsername('trips');
    await repository.create({
      id: randomUUID(),
      username,
      passwordHash: 'not-a-real-hash',
      roles: ['user'],
      disabled: false,
      tokenVersion: 0,
      createdAt: new Date().toISOString(),
    });

    reset();
    expect(await repository.findByUsername(username)).toMatchObject({ username });
    const known = sent();
    reset();
    expect(await repository.findByUsername(uniqueUsername('nobody'))).toBeUndefined();
    const unknown = sent();

    expect(known).toBe(2);
    expect(unknown).toBe(known);
    client.destroy();
  });
});
