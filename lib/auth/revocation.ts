import type { Logger } from '@aws-lambda-powertools/logger';
import type { Account } from '../accounts/account';
import type { AccountChanges, AccountRepository, WriteGuard } from '../accounts/account-repository';
import { isAccountId } from '../accounts/identifiers';
import type { SessionRepository } from '../sessions/session-repository';

/**
 * The one place that ends sessions. Every promise that a token stops working is kept here:
 *
 * - A session is live only while its token version equals its account's. Bumping the account's
 *   version (logout-all, a role change, disabling, a password change) ends every session at once,
 *   in one atomic write; the sweep that deletes their items afterwards only tidies up.
 * - A login opens its session only if the account it read still has the password hash it checked,
 *   and stamps the session with the token version read with that hash: a change after that read
 *   has already moved the account on, so a login racing any of those changes either opens nothing
 *   or opens a session that was ended before it was written.
 * - The authorizer and refresh read the account and the session together and apply that rule.
 */
export class SessionRevocation {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly accounts: AccountRepository,
    private readonly logger: Logger,
  ) {}

  /** Ends one session of the account; false when it has no such session. */
  async endSession(accountId: string, sessionId: string, reason: string): Promise<boolean> {
    if (!isAccountId(accountId) || !isAccountId(sessionId)) return false;
    const ended = await this.sessions.delete(accountId, sessionId);
    if (ended) this.logger.info('session ended', { event: 'revoke', scope: 'session', reason, accountId, sessionId });
    return ended;
  }

  /** Ends every session and access token of the account; false when there is no such account. */
  async endAll(accountId: string, reason: string): Promise<boolean> {
    return (await this.changeAccount(accountId, {}, reason)) !== undefined;
  }

  /**
   * Applies role or disabled changes with the version bump that ends every session; undefined
   * when there is no such account.
   */
  async changeAccount(accountId: string, changes: AccountChanges, reason: string, guard?: WriteGuard): Promise<Account | undefined> {
    if (!isAccountId(accountId)) return undefined;
    const updated = await this.accounts.update(accountId, changes, guard);
    if (updated === undefined) return undefined;
    await this.sessions.deleteAll(accountId);
    this.logger.info('sessions revoked', { event: 'revoke', scope: 'account', reason, accountId });
    return updated;
  }

  /**
   * Replaces the password and ends every other session in one transaction: the account's version
   * moves on and the caller's session moves with it. False when the account or the caller's
   * session changed since `account` was read (nothing written then).
   */
  async replacePassword(account: Account, newHash: string, keepSessionId: string): Promise<boolean> {
    const changed = await this.accounts.changePassword(account.id, {
      username: account.username,
      newHash,
      expectedHash: account.passwordHash,
      expectedVersion: account.tokenVersion,
      keepSessionId,
    });
    if (!changed) return false;
    await this.sessions.deleteAll(account.id, keepSessionId);
    this.logger.info('sessions revoked', { event: 'revoke', scope: 'other_sessions', reason: 'password_change', accountId: account.id });
    return true;
  }

  /** Deletes the account, then its sessions' items (its tokens fail from the deletion on); false when nothing was deleted. */
  async deleteAccount(accountId: string, guard?: WriteGuard): Promise<boolean> {
    if (!isAccountId(accountId) || !(await this.accounts.delete(accountId, guard))) return false;
    await this.sessions.deleteAll(accountId);
    this.logger.info('sessions revoked', { event: 'revoke', scope: 'account', reason: 'account_deleted', accountId });
    return true;
  }
}
