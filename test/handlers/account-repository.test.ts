import { randomUUID } from 'node:crypto';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { countingClient } from '../support/dynamodb';
import { uniqueUsername } from '../support/events';

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
