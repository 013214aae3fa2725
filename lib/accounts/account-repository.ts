import type { Account, AccountSummary } from './account';
import type { Role } from '../routes';

export interface AccountPage {
  readonly items: readonly AccountSummary[];
  /** Opaque; absent on the last page. */
  readonly nextCursor: string | undefined;
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
  list(options: { limit: number; cursor: string | undefined }): Promise<AccountPage>;
  /** Applies the changes and bumps the token version; undefined when the account does not exist. */
  update(id: string, changes: AccountChanges): Promise<Account | undefined>;
  /** Replaces the password hash if it is still `expectedHash`; false otherwise. */
  changePassword(id: string, newHash: string, expectedHash: string): Promise<boolean>;
  /** Removes the account and releases its username; false when it did not exist. */
  delete(id: string): Promise<boolean>;
}
