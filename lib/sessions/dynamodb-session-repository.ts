import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { toAccount, userKey } from '../accounts/dynamodb-account-repository';
import { StorageUnavailableError } from '../errors';
import { isConditionalCheckFailure, storageCall, toStorageError } from '../storage/dynamodb';
import type { Session } from './session';
import type { Rotation, SessionRepository, SessionWithAccount } from './session-repository';

/*
 * Items (single table, see lib/storage/table.json):
 *   USER#<account id> / SESSION#<session id>   one session; `ttl` = its absolute expiry
 * Sessions live in their account's partition, so the account and a session are one BatchGetItem,
 * a user's sessions are one Query, and another account's session id is simply not found.
 */
const SESSION_PREFIX = 'SESSION#';
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 3;

const sessionKey = (accountId: string, sessionId: string) => ({ pk: `USER#${accountId}`, sk: `${SESSION_PREFIX}${sessionId}` });

export class DynamoDbSessionRepository implements SessionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: Session): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(session), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStorageError(error);
    }
  }

  async findWithAccount(accountId: string, sessionId: string): Promise<SessionWithAccount> {
    const profile = userKey(accountId);
    const session = sessionKey(accountId, sessionId);
    let keys: Record<string, unknown>[] = [profile, session];
    const found: Record<string, unknown>[] = [];
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt > MAX_BATCH_RETRIES) throw new StorageUnavailableError();
      const result = await storageCall(
        this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    const profileItem = found.find((item) => item['sk'] === profile.sk);
    const sessionItem = found.find((item) => item['sk'] === session.sk);
    return {
      account: profileItem === undefined ? undefined : toAccount(profileItem),
      session: sessionItem === undefined ? undefined : toSession(sessionItem),
    };
  }

  async rotate(current: Session, next: Rotation): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sessionKey(current.accountId, current.id),
          UpdateExpression:
            'SET refresh_hash = :next, rotation = rotation + :one, last_used_at = :now, previous_hash = :current, rotated_at = :rotatedAt, successor_box = :box, token_key = :key',
          ConditionExpression: 'rotation = :seen AND refresh_hash = :current',
          ExpressionAttributeValues: {
            ':next': next.refreshHash,
            ':current': current.refreshHash,
            ':one': 1,
            ':now': next.lastUsedAt,
            ':seen': current.rotation,
            ':rotatedAt': next.rotatedAt,
            ':box': next.successorBox,
            ':key': next.tokenKey,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStorageError(error);
    }
  }

  async list(accountId: string): Promise<Session[]> {
    const sessions: Session[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storageCall(
        this.db.send(new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `USER#${accountId}`, ':prefix': SESSION_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        })),
      );
      sessions.push(...(page.Items ?? []).map(toSession));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return sessions;
  }

  async delete(accountId: string, sessionId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: sessionKey(accountId, sessionId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStorageError(error);
    }
  }

  async deleteAll(accountId: string, exceptSessionId?: string): Promise<void> {
    const doomed = (await this.list(accountId)).filter((session) => session.id !== exceptSessionId);
    for (let start = 0; start < doomed.length; start += BATCH_WRITE_LIMIT) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = doomed
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((session) => ({ DeleteRequest: { Key: sessionKey(accountId, session.id) } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > MAX_BATCH_RETRIES) throw new StorageUnavailableError();
        const result = await storageCall(this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
        requests = result.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }
}

function toItem(session: Session): Record<string, unknown> {
  return {
    ...sessionKey(session.accountId, session.id),
    session_id: session.id,
    account_id: session.accountId,
    refresh_hash: session.refreshHash,
    token_key: session.tokenKey,
    previous_hash: session.previous?.hash,
    rotated_at: session.previous?.rotatedAt,
    successor_box: session.previous?.successorBox,
    rotation: session.rotation,
    token_version: session.tokenVersion,
    created_at: session.createdAt,
    last_used_at: session.lastUsedAt,
    expires_at: session.expiresAt,
    ttl: session.expiresAt,
    user_agent: session.userAgent,
  };
}

function toSession(item: Record<string, unknown>): Session {
  return {
    id: String(item['session_id']),
    accountId: String(item['account_id']),
    refreshHash: String(item['refresh_hash']),
    tokenKey: typeof item['token_key'] === 'string' ? item['token_key'] : undefined,
    previous:
      typeof item['previous_hash'] === 'string' && typeof item['successor_box'] === 'string'
        ? { hash: item['previous_hash'], rotatedAt: Number(item['rotated_at'] ?? 0), successorBox: item['successor_box'] }
        : undefined,
    rotation: Number(item['rotation'] ?? 0),
    tokenVersion: Number(item['token_version'] ?? 0),
    createdAt: String(item['created_at']),
    lastUsedAt: String(item['last_used_at']),
    expiresAt: Number(item['expires_at'] ?? 0),
    userAgent: typeof item['user_agent'] === 'string' ? item['user_agent'] : undefined,
  };
}
