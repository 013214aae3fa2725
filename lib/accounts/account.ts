import type { Role } from '../routes';

/** An account as stored. `passwordHash` never leaves lib: see `toAccountView`. */
export interface Account {
  readonly id: string;
  /** The normalised (comparison) form, unique across the table. */
  readonly username: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  /** Bumped whenever every outstanding token of the account must die (roles, disabling, logout-all). */
  readonly tokenVersion: number;
  readonly createdAt: string;
}

/** What the API shows of an account. */
export interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly created_at: string;
}

export type AccountSummary = Omit<Account, 'passwordHash' | 'tokenVersion'>;

export function toAccountView(account: AccountSummary): AccountView {
  return {
    id: account.id,
    username: account.username,
    roles: account.roles,
    disabled: account.disabled,
    created_at: account.createdAt,
  };
}
