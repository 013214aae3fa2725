import type { Account, AccountSummary } from './account';
import type { Role } from '../routes';

export interface AccountPage {
  readonly items: readonly AccountSummary[];
  /** Opaque; absent on the last page. */
  readonly nextCursor: string | undefined;
}

export interface PasswordChange {
  /** The account's (normalised) username: its claim carries a copy of the hash (see LoginLookup). */
  readonly username: string;
  readonly newHash: string;
  readonly expectedHash: string;
  readonly expectedVersion: number;
  readonly keepSessionId: string;
}

/**
 * What a login reads for a username before it compares the password: the hash to compare against
 * at once, and the account, whose read runs during the compare.
 */
export interface LoginLookup {
  /** The hash held for the name; undefined when nobody holds the name. */
  readonly passwordHash: string | undefined;
  /**
   * The account as it is stored when this read lands (it may have changed since `passwordHash`
   * was read: compare the two); undefined when there is none.
   */
  readonly account: Promise<Account | undefined>;
}

/** Another enabled account holding a role that grants users:write. */
export interface OtherWriter {
  readonly id: string;
  readonly writerRoles: readonly Role[];
}

/** Conditions a change to an account is made under, in the same atomic write. */
export interface WriteGuard {
  /** The account's token version when it was read: any change since fails the write. */
  readonly expectedVersion?: number;
  /** This account must still be an enabled writer when the change lands (the last-admin guard). */
  readonly otherWriter?: OtherWriter;
}

export interface AccountChanges {
  readonly roles?: readonly Role[];
  readonly disabled?: boolean;
}

/**
 * Storage port for accounts. Implementations translate their store's errors into
 * UsernameTakenError, ValidationError (bad cursor) and StorageUnavailableError.
 */
export interface AccountRepository {
  /**
   * Writes the account and claims its username in one all-or-nothing step. False (nothing
   * written) when the account id is already in use; UsernameTakenError when the name is.
   */
  create(account: Account): Promise<boolean>;
  findById(id: string): Promise<Account | undefined>;
  /** `username` must already be normalised. */
  findByUsername(username: string): Promise<Account | undefined>;
  /**
   * One read for the hash, then the account read started (not awaited): login compares the
   * password meanwhile. The same requests whether or not the name exists, so an unknown name is
   * answered no sooner than a known one. `username` must already be normalised.
   */
  findForLogin(username: string): Promise<LoginLookup>;
  list(options: { limit: number; cursor: string | undefined }): Promise<AccountPage>;
  /**
   * Applies the changes and bumps the token version; undefined when the account does not exist or
   * the guard's conditions do not hold (nothing written then).
   */
  update(id: string, changes: AccountChanges, guard?: WriteGuard): Promise<Account | undefined>;
  /** An enabled account other than `exceptId` that holds one of `writerRoles`, if any. */
  findOtherWriter(exceptId: string, writerRoles: readonly Role[]): Promise<OtherWriter | undefined>;
  /**
   * In one transaction: replaces the password hash (and its copy on the username's claim) and bumps
   * the token version, if they are still `expectedHash` and `expectedVersion`, and moves the session
   * `keepSessionId` to the new version (if it still exists at the old one). False, with nothing
   * written, otherwise.
   */
  changePassword(id: string, change: PasswordChange): Promise<boolean>;
  /** Removes the account and releases its username; false when it did not exist. */
  delete(id: string, guard?: WriteGuard): Promise<boolean>;
}
