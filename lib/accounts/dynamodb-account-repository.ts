import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { UsernameTakenError, ValidationError } from '../errors';
import { isRole, type Role } from '../routes';
import {
  isConditionalCheckFailure,
  isTransactionConditionFailure,
  isTransactionConflict,
  storageCall,
  toStorageError,
} from '../storage/dynamodb';
import type { Account, AccountSummary } from './account';
import type { AccountChanges, AccountPage, AccountRepository, LoginLookup, OtherWriter, PasswordChange, WriteGuard } from './account-repository';

/*
 * Items (single table, see lib/storage/table.json):
 *   USER#<id>        / PROFILE   the account; gsi1 (ACCOUNT / username) lists accounts in name order
 *   USERNAME#<name>  / USERNAME  the username claim, written in the same transaction as the account;
 *                                it carries a copy of the password hash (kept in the same transactions),
 *                                so login reads the hash in one request and the account during bcrypt
 */
const PROFILE = 'PROFILE';
const USERNAME = 'USERNAME';
const LISTING_PARTITION = 'ACCOUNT';
const LISTING_INDEX = 'gsi1';

/** Not a version 4 UUID, so never an account's id: the second read of an unknown username. */
const NO_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';

/** The account's item; its sessions share the partition (lib/sessions). */
export const userKey = (id: string) => ({ pk: `USER#${id}`, sk: PROFILE });
const usernameKey = (username: string) => ({ pk: `USERNAME#${username}`, sk: USERNAME });

const CursorSchema = z.strictObject({
  pk: z.string().startsWith('USER#'),
  sk: z.literal(PROFILE),
  gsi1pk: z.literal(LISTING_PARTITION),
  gsi1sk: z.string().min(1).max(256),
});

export class DynamoDbAccountRepository implements AccountRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(account: Account): Promise<boolean> {
    const item = {
      ...userKey(account.id),
      gsi1pk: LISTING_PARTITION,
      gsi1sk: account.username,
      id: account.id,
      username: account.username,
      password_hash: account.passwordHash,
      roles: [...account.roles],
      disabled: account.disabled,
      token_version: account.tokenVersion,
      created_at: account.createdAt,
    };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...usernameKey(account.username), account_id: account.id, password_hash: account.passwordHash },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return true;
    } catch (error) {
      // Item 0 is the username claim; item 1 is the account, whose (random) id was already in use.
      if (isTransactionConditionFailure(error, 0)) throw new UsernameTakenError();
      if (isTransactionConditionFailure(error, 1)) return false;
      throw toStorageError(error);
    }
  }

  async findById(id: string): Promise<Account | undefined> {
    const item = await this.get(userKey(id));
    return item === undefined ? undefined : toAccount(item);
  }

  /**
   * Two reads (claim, then account) whether or not the name exists: login must not answer an
   * unknown name one DynamoDB round trip sooner than a known one.
   */
  async findByUsername(username: string): Promise<Account | undefined> {
    const claim = await this.get(usernameKey(username));
    const accountId = claim?.['account_id'];
    if (typeof accountId !== 'string') {
      await this.get(userKey(NO_ACCOUNT_ID));
      return undefined;
    }
    return this.findById(accountId);
  }

  /**
   * The claim (with its copy of the hash), then the account read started while the caller compares.
   * A copy that differs from the account's hash is put right during the compare (see syncCopy).
   * A claim written before the copy existed has none: its account is read first, once; the copy is
   * then written, so the account's later logins take the usual path.
   */
  async findForLogin(username: string): Promise<LoginLookup> {
    const claim = await this.get(usernameKey(username));
    const accountId = claim?.['account_id'];
    const copied = claim?.['password_hash'];
    if (typeof accountId !== 'string') {
      return { passwordHash: undefined, account: settled(this.get(userKey(NO_ACCOUNT_ID)).then(() => undefined)) };
    }
    const synced = async (account: Account | undefined) => {
      await this.syncCopy(username, accountId, typeof copied === 'string' ? copied : undefined, account);
      return account;
    };
    if (typeof copied !== 'string') {
      const account = await this.findById(accountId);
      return { passwordHash: account?.passwordHash, account: settled(synced(account)) };
    }
    return { passwordHash: copied, account: settled(this.findById(accountId).then(synced)) };
  }

  /**
   * Writes the account's hash to its claim when the copy there (`seen`, or none) is not it: a claim
   * from before the copy, or one a write outside this repository left behind. Only while the claim
   * still holds what was seen, so a password change landing meanwhile (which writes both) wins.
   */
  private async syncCopy(username: string, accountId: string, seen: string | undefined, account: Account | undefined): Promise<void> {
    if (account === undefined || account.passwordHash === seen) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: usernameKey(username),
          UpdateExpression: 'SET password_hash = :hash',
          ConditionExpression: `account_id = :id AND ${seen === undefined ? 'attribute_not_exists(password_hash)' : 'password_hash = :seen'}`,
          ExpressionAttributeValues: { ':hash': account.passwordHash, ':id': accountId, ...(seen === undefined ? {} : { ':seen': seen }) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) return; // someone wrote the claim since: theirs stands
      throw toStorageError(error);
    }
  }

  async list({ limit, cursor }: { limit: number; cursor: string | undefined }): Promise<AccountPage> {
    const startKey = cursor === undefined ? undefined : decodeCursor(cursor);
    try {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: LISTING_INDEX,
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': LISTING_PARTITION },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        items: (page.Items ?? []).map(toSummary),
        nextCursor: page.LastEvaluatedKey === undefined ? undefined : encodeCursor(page.LastEvaluatedKey),
      };
    } catch (error) {
      throw toStorageError(error);
    }
  }

  async update(id: string, changes: AccountChanges, guard?: WriteGuard): Promise<Account | undefined> {
    const sets = ['token_version = token_version + :one'];
    const values: Record<string, unknown> = { ':one': 1 };
    if (changes.roles !== undefined) {
      sets.push('#roles = :roles');
      values[':roles'] = [...changes.roles];
    }
    if (changes.disabled !== undefined) {
      sets.push('disabled = :disabled');
      values[':disabled'] = changes.disabled;
    }
    const update = {
      TableName: this.tableName,
      Key: userKey(id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ...targetCondition(guard, values),
      ExpressionAttributeNames: changes.roles === undefined ? undefined : { '#roles': 'roles' },
      ExpressionAttributeValues: values,
    };
    try {
      if (guard?.otherWriter === undefined) {
        const result = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
        return result.Attributes === undefined ? undefined : toAccount(result.Attributes);
      }
      await this.db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, { ConditionCheck: this.stillWriter(guard.otherWriter) }] }));
      return await this.findById(id);
    } catch (error) {
      if (isConditionalCheckFailure(error) || isTransactionConditionFailure(error) || isTransactionConflict(error)) return undefined;
      throw toStorageError(error);
    }
  }

  async findOtherWriter(exceptId: string, writerRoles: readonly Role[]): Promise<OtherWriter | undefined> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const roles = Object.fromEntries(writerRoles.map((role, i) => [`:r${i}`, role]));
      const page = await storageCall(
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: LISTING_INDEX,
            KeyConditionExpression: 'gsi1pk = :partition',
            FilterExpression: `id <> :except AND disabled = :no AND (${Object.keys(roles).map((name) => `contains(#roles, ${name})`).join(' OR ')})`,
            ExpressionAttributeNames: { '#roles': 'roles' },
            ExpressionAttributeValues: { ':partition': LISTING_PARTITION, ':except': exceptId, ':no': false, ...roles },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const found = page.Items?.[0];
      if (found !== undefined) return { id: String(found['id']), writerRoles };
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return undefined;
  }

  /** The other writer is still there, enabled and holding a writer role: checked in the same transaction. */
  private stillWriter(other: OtherWriter) {
    const roles = Object.fromEntries(other.writerRoles.map((role, i) => [`:r${i}`, role]));
    return {
      TableName: this.tableName,
      Key: userKey(other.id),
      ConditionExpression: `attribute_exists(pk) AND disabled = :no AND (${Object.keys(roles).map((name) => `contains(#roles, ${name})`).join(' OR ')})`,
      ExpressionAttributeNames: { '#roles': 'roles' },
      ExpressionAttributeValues: { ':no': false, ...roles },
    };
  }

  async changePassword(id: string, change: PasswordChange): Promise<boolean> {
    const versions = { ':old': change.expectedVersion, ':next': change.expectedVersion + 1 };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: userKey(id),
                UpdateExpression: 'SET password_hash = :hash, token_version = :next',
                ConditionExpression: 'password_hash = :expected AND token_version = :old',
                ExpressionAttributeValues: { ':hash': change.newHash, ':expected': change.expectedHash, ...versions },
              },
            },
            {
              // The claim's copy of the hash, which login compares against (see findForLogin).
              Update: {
                TableName: this.tableName,
                Key: usernameKey(change.username),
                UpdateExpression: 'SET password_hash = :hash',
                ConditionExpression: 'account_id = :id',
                ExpressionAttributeValues: { ':hash': change.newHash, ':id': id },
              },
            },
            {
              // The caller's own session: sessions share the account's partition (lib/sessions).
              Update: {
                TableName: this.tableName,
                Key: { pk: userKey(id).pk, sk: `SESSION#${change.keepSessionId}` },
                UpdateExpression: 'SET token_version = :next',
                ConditionExpression: 'token_version = :old',
                ExpressionAttributeValues: versions,
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error)) return false;
      throw toStorageError(error);
    }
  }

  async delete(id: string, guard?: WriteGuard): Promise<boolean> {
    const account = await this.findById(id);
    if (account === undefined) return false;
    const values: Record<string, unknown> = {};
    const profile = { TableName: this.tableName, Key: userKey(id), ...targetCondition(guard, values) };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { ...profile, ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}) } },
            {
              Delete: {
                TableName: this.tableName,
                Key: usernameKey(account.username),
                ConditionExpression: 'account_id = :id',
                ExpressionAttributeValues: { ':id': id },
              },
            },
            ...(guard?.otherWriter === undefined ? [] : [{ ConditionCheck: this.stillWriter(guard.otherWriter) }]),
          ],
        }),
      );
      return true;
    } catch (error) {
      // Someone else deleted or changed it between our read and our write, or the other writer is gone.
      if (isTransactionConditionFailure(error) || isTransactionConflict(error)) return false;
      throw toStorageError(error);
    }
  }

  private async get(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return result.Item;
    } catch (error) {
      throw toStorageError(error);
    }
  }
}

/**
 * The promise itself, marked as handled: a caller that stops before awaiting it (its lockout
 * refused the login meanwhile) leaves no unhandled rejection behind. Awaiting it still throws.
 */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The target's own condition: it exists and, when the guard says so, is still at the version read. */
function targetCondition(guard: WriteGuard | undefined, values: Record<string, unknown>): { ConditionExpression: string } {
  if (guard?.expectedVersion === undefined) return { ConditionExpression: 'attribute_exists(pk)' };
  values[':seen'] = guard.expectedVersion;
  return { ConditionExpression: 'attribute_exists(pk) AND token_version = :seen' };
}

function toSummary(item: Record<string, unknown>): AccountSummary {
  return {
    id: String(item['id']),
    username: String(item['username']),
    roles: toRoles(item['roles']),
    disabled: item['disabled'] === true,
    createdAt: String(item['created_at']),
  };
}

export function toAccount(item: Record<string, unknown>): Account {
  return {
    ...toSummary(item),
    passwordHash: String(item['password_hash']),
    tokenVersion: Number(item['token_version'] ?? 0),
  };
}

/** Unknown role names in storage (say, a role since removed from lib/routes.ts) grant nothing. */
function toRoles(value: unknown): Account['roles'] {
  return Array.isArray(value) ? value.filter((role): role is Account['roles'][number] => typeof role === 'string' && isRole(role)) : [];
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('cursor is not valid: pass back the next_cursor of the previous page unchanged');
  }
}
