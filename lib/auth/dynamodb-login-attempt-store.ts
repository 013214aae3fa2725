import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, itemAtConditionFailure, storageCall, toStorageError } from '../storage/dynamodb';
import type { LoginAttempts, LoginAttemptStore, ReservationResult } from './login-throttle';

/*
 * Items (single table, see lib/storage/table.json):
 *   LOGIN#<sha-256 of the username> / ATTEMPTS   failures (checks counted), window_start, locked_until, lock_count, ttl
 */
const attemptsKey = (key: string) => ({ pk: `LOGIN#${key}`, sk: 'ATTEMPTS' });

/** Tries before giving up on a counter that other requests keep moving (each try is one write). */
const MAX_TRIES = 3;

const NOT_LOCKED = '(attribute_not_exists(locked_until) OR locked_until <= :now)';

export class DynamoDbLoginAttemptStore implements LoginAttemptStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(
    key: string,
    now: number,
    { windowSeconds, maxAttempts }: { windowSeconds: number; maxAttempts: number },
    expiresAt: number,
  ): Promise<ReservationResult> {
    const cutoff = now - windowSeconds;
    for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
      // The usual case in one write: no counter yet, or a window with checks left.
      const counted = await this.update(key, {
        UpdateExpression: 'SET failures = if_not_exists(failures, :zero) + :one, window_start = if_not_exists(window_start, :now), #ttl = :ttl',
        ConditionExpression: `(attribute_not_exists(pk) OR (window_start > :cutoff AND failures < :max)) AND ${NOT_LOCKED}`,
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':now': now, ':ttl': expiresAt, ':cutoff': cutoff, ':max': maxAttempts },
      });
      if (counted.updated !== undefined) return { granted: true, attempts: counted.updated };
      const seen = counted.old;
      if (seen === undefined) continue; // deleted between the two: count again
      if (seen.lockedUntil > now) return { granted: false, retryAfterSeconds: seen.lockedUntil - now };
      if (seen.windowStart > cutoff) return { granted: false, retryAfterSeconds: seen.windowStart + windowSeconds - now };
      // The window has passed: start a new one, unless another request just did.
      const opened = await this.update(key, {
        UpdateExpression: 'SET failures = :one, window_start = :now, #ttl = :ttl',
        ConditionExpression: `window_start <= :cutoff AND ${NOT_LOCKED}`,
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': expiresAt, ':cutoff': cutoff },
      });
      if (opened.updated !== undefined) return { granted: true, attempts: opened.updated };
    }
    // Still racing after every try: many checks are in flight, so this one waits its turn.
    return { granted: false, retryAfterSeconds: 1 };
  }

  async lock(key: string, now: number, lockedUntil: number, expiresAt: number): Promise<void> {
    const { updated } = await this.update(key, {
      UpdateExpression:
        'SET locked_until = :until, lock_count = if_not_exists(lock_count, :zero) + :one, failures = :zero, window_start = :now, #ttl = :ttl',
      ExpressionAttributeValues: { ':until': lockedUntil, ':zero': 0, ':one': 1, ':now': now, ':ttl': expiresAt },
    });
    if (updated === undefined) throw new Error('unconditional lock update returned nothing');
  }

  async clear(key: string): Promise<void> {
    await storageCall(this.db.send(new DeleteCommand({ TableName: this.tableName, Key: attemptsKey(key) })));
  }

  /** An update returning the new state, or, when its condition did not hold, the state it met. */
  private async update(
    key: string,
    expression: { UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<{ updated?: LoginAttempts; old?: LoginAttempts }> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: attemptsKey(key),
          ...expression,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { updated: result.Attributes === undefined ? undefined : toAttempts(result.Attributes) };
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        const item = itemAtConditionFailure(error);
        return { old: item === undefined ? undefined : toAttempts(item) };
      }
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
