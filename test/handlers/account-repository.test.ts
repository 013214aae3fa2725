import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../../lib/accounts/account';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { documentClient } from '../../lib/dependencies/storage';
import { countingClient, tableName } from '../support/dynamodb';
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

describe('DynamoDbAccountRepository.findForLogin', () => {
  const repository = () => new DynamoDbAccountRepository(documentClient(), tableName());
  const newAccount = (username: string): Account => ({
    id: randomUUID(),
    username,
    passwordHash: 'hash-1',
    roles: ['user'],
    disabled: false,
    tokenVersion: 0,
    createdAt: new Date().toISOString(),
  });

  test('reads the hash from the claim, and the account in a second read, for an unknown name as for a known one', async () => {
    const { client, sent, reset } = countingClient();
    const counted = new DynamoDbAccountRepository(client, tableName());
    const account = newAccount(uniqueUsername('login'));
    await counted.create(account);

    reset();
    const known = await counted.findForLogin(account.username);
    expect(known.passwordHash).toBe('hash-1');
    expect(await known.account).toMatchObject({ id: account.id, passwordHash: 'hash-1' });
    const knownTrips = sent();
    reset();
    const unknown = await counted.findForLogin(uniqueUsername('nobody'));
    expect(unknown.passwordHash).toBeUndefined();
    expect(await unknown.account).toBeUndefined();

    expect(knownTrips).toBe(2);
    expect(sent()).toBe(knownTrips);
    client.destroy();
  });

  test("a password change replaces the claim's copy of the hash in the same transaction", async () => {
    const account = newAccount(uniqueUsername('copy'));
    await repository().create(account);
    const sessionId = randomUUID();
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: { pk: `USER#${account.id}`, sk: `SESSION#${sessionId}`, token_version: 0 } }),
    );

    const changed = await repository().changePassword(account.id, {
      username: account.username,
      newHash: 'hash-2',
      expectedHash: 'hash-1',
      expectedVersion: 0,
      keepSessionId: sessionId,
    });

    expect(changed).toBe(true);
    const lookup = await repository().findForLogin(account.username);
    expect(lookup.passwordHash).toBe('hash-2');
    expect(await lookup.account).toMatchObject({ passwordHash: 'hash-2', tokenVersion: 1 });
  });

  test('a claim written before it carried the hash still logs in: the hash comes from the account', async () => {
    const account = newAccount(uniqueUsername('legacy'));
    await repository().create(account);
    await documentClient().send(
      new UpdateCommand({ TableName: tableName(), Key: { pk: `USERNAME#${account.username}`, sk: 'USERNAME' }, UpdateExpression: 'REMOVE password_hash' }),
    );

    const lookup = await repository().findForLogin(account.username);

    expect(lookup.passwordHash).toBe('hash-1');
    expect(await lookup.account).toMatchObject({ id: account.id });
    // The copy is written meanwhile, so the next login reads the hash in one request.
    expect(await claimOf(account.username)).toMatchObject({ account_id: account.id, password_hash: 'hash-1' });
  });

  test("a claim whose copy is not the account's hash is put right while the caller compares", async () => {
    const account = newAccount(uniqueUsername('stale'));
    await repository().create(account);
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `USERNAME#${account.username}`, sk: 'USERNAME' },
        UpdateExpression: 'SET password_hash = :stale',
        ExpressionAttributeValues: { ':stale': 'hash-0' },
      }),
    );

    const lookup = await repository().findForLogin(account.username);

    expect(lookup.passwordHash).toBe('hash-0');
    expect(await lookup.account).toMatchObject({ passwordHash: 'hash-1' });
    expect(await claimOf(account.username)).toMatchObject({ password_hash: 'hash-1' });
    expect((await repository().findForLogin(account.username)).passwordHash).toBe('hash-1');
  });
});

async function claimOf(username: string): Promise<Record<string, unknown> | undefined> {
  const read = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: `USERNAME#${username}`, sk: 'USERNAME' }, ConsistentRead: true }),
  );
  return read.Item;
}
