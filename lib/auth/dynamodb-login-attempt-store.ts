import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, storageCall, toStorageError } from '../storage/dynamodb';
import type { LoginAttempts, LoginAttemptStore } from './login-throttle';

/*
 * Items (single table, see lib/storage/table.json):
 *   LOGIN#<sha-256 of the username> / ATTEMPTS   failures, window_start, locked_until, lock_count, ttl
 */
const attemptsKey = (key: string) => ({ pk: `LOGIN#${key}`, sk: 'ATTEMPTS' });

export class DynamoDbLoginAttemptStore implements LoginAttemptStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(key: string): Promise<LoginAttempts | undefined> {
    const result = await storageCall(
      this.db.send(new GetCommand({ TableName: this.tableName, Key: attemptsKey(key), ConsistentRead: true })),
    );
    return result.Item === undefined ? undefined : toAttempts(result.Item);
  }

  async addFailure(key: string, now: number, windowSeconds: number, expiresAt: number): Promise<LoginAttempts> {
    const cutoff = now - windowSeconds;
    // Two tries: another request may open a new window between our two conditional writes.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const inWindow = await this.update(key, {
        UpdateExpression: 'SET failures = failures + :one, #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk) AND window_start > :cutoff',
        ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt, ':cutoff': cutoff },
      });
      if (inWindow !== undefined) return inWindow;
      const opened = await this.update(key, {
        UpdateExpression: 'SET failures = :one, window_start = :now, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(pk) OR window_start <= :cutoff',
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': expiresAt, ':cutoff': cutoff },
      });
      if (opened !== undefined) return opened;
    }
    // Still racing: count it as a failure among many, which never triggers a lock by itself.
    return { failures: Number.MAX_SAFE_INTEGER, windowStart: now, lockedUntil: 0, lockCount: 0 };
  }

  async lock(key: string, now: number, lockedUntil: number, expiresAt: number): Promise<void> {
    await this.update(key, {
      UpdateExpression:
        'SET locked_until = :until, lock_count = if_not_exists(lock_count, :zero) + :one, failures = :zero, window_start = :now, #ttl = :ttl',
      ExpressionAttributeValues: { ':until': lockedUntil, ':zero': 0, ':one': 1, ':now': now, ':ttl': expiresAt },
    });
  }

  async clear(key: string): Promise<void> {
    await storageCall(this.db.send(new DeleteCommand({ TableName: this.tableName, Key: attemptsKey(key) })));
  }

  /** An update returning the new state; undefined when its condition did not hold. */
  private async update(
    key: string,
    expression: { UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<LoginAttempts | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: attemptsKey(key),
          ...expression,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes === undefined ? undefined : toAttempts(result.Attributes);
    } catch (error) {
      if (isConditionalCheckFailure(error)) return undefined;
      throw toStorageError(error);
    }
  }
}

function toAttempts(item: Record<string, unknown>): LoginAttempts {
  return {
    failures: Number(item['failures'] ?? 0),
    windowStart: Number(item['window_start'] ?? 0),
    lockedUntil: Number(item['locked_until'] ?? 0),
    lockCount: Number(item['lock_count'] ?? 0),
  };
}
