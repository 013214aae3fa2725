import type { Account } from '../accounts/account';
import type { Session } from './session';

/** An account and one of its sessions, read together in one round trip. */
export interface SessionWithAccount {
  readonly account: Account | undefined;
  readonly session: Session | undefined;
}

/**
 * Storage port for sessions. Implementations translate their store's errors into
 * StorageUnavailableError; a lost race is a `false`, never an exception.
 */
export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The account and the session in one strongly consistent read: the authorizer's only read. */
  findWithAccount(accountId: string, sessionId: string): Promise<SessionWithAccount>;
  /**
   * Moves the session to a new refresh hash if nobody rotated it since `current` was read;
   * false when someone did (or the session is gone).
   */
  rotate(current: Session, next: { readonly refreshHash: string; readonly lastUsedAt: string }): Promise<boolean>;
  /** Every stored session of the account, expired or not. */
  list(accountId: string): Promise<Session[]>;
  /** False when the account has no such session. */
  delete(accountId: string, sessionId: string): Promise<boolean>;
  /** Deletes every session of the account but `exceptSessionId`. */
  deleteAll(accountId: string, exceptSessionId?: string): Promise<void>;
}
