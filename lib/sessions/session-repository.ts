import type { Account } from '../accounts/account';
import type { Session } from './session';

/** An account and one of its sessions, read together in one round trip. */
export interface SessionWithAccount {
  readonly account: Account | undefined;
  readonly session: Session | undefined;
}

/** What a login checked: the session may open only while the account still stands on it. */
export interface CredentialBinding {
  /** The password hash the login compared against. */
  readonly passwordHash: string;
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
   * Writes the session only if, at that moment, the account still has the binding's password
   * hash, the session's token version, and is enabled (one atomic step); false otherwise. So a
   * login that checked a password which a change has since replaced opens nothing.
   */
  create(session: Session, binding: CredentialBinding): Promise<boolean>;
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
