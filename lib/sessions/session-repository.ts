import type { Account } from '../accounts/account';
import type { Session } from './session';

/** An account and one of its sessions, read together in one round trip. */
export interface SessionWithAccount {
  readonly account: Account | undefined;
  readonly session: Session | undefined;
}

/** A rotation: the new current hash, and the way back from the one it replaces. */
export interface Rotation {
  readonly refreshHash: string;
  /** The session's tag key (the same one, or a first one for a session from before tags). */
  readonly tokenKey: string;
  readonly lastUsedAt: string;
  /** Epoch ms. */
  readonly rotatedAt: number;
  /** The new secret sealed under a key from the old one (see refresh-tokens.ts). */
  readonly successorBox: string;
}

/**
 * Storage port for sessions. Implementations translate their store's errors into
 * StorageUnavailableError; a lost race is a `false`, never an exception.
 */
export interface SessionRepository {
  /**
   * Writes a new session; false (nothing written) when its id is already in use. The session is
   * bound to its token version: it lives only while its account is at that version.
   */
  create(session: Session): Promise<boolean>;
  /** The account and the session in one strongly consistent read: the authorizer's only read. */
  findWithAccount(accountId: string, sessionId: string): Promise<SessionWithAccount>;
  /**
   * Moves the session to a new refresh hash if nobody rotated it since `current` was read;
   * false when someone did (or the session is gone).
   */
  rotate(current: Session, next: Rotation): Promise<boolean>;
  /** Every stored session of the account, expired or not. */
  list(accountId: string): Promise<Session[]>;
  /** False when the account has no such session. */
  delete(accountId: string, sessionId: string): Promise<boolean>;
  /** Deletes every session of the account but `exceptSessionId`. */
  deleteAll(accountId: string, exceptSessionId?: string): Promise<void>;
}
