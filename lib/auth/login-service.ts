import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRepository } from '../accounts/account-repository';
import { normalisePassword, normaliseUsername, PASSWORD_MAX_BYTES, prepareOpaqueString } from '../accounts/identifiers';
import { AccountNotFoundError, InvalidCredentialsError, TooManyAttemptsError, ValidationError, WrongPasswordError } from '../errors';
import type { SessionRepository } from '../sessions/session-repository';
import type { LoginThrottle, ThrottleStatus } from './login-throttle';
import type { PasswordHasher } from './password-hasher';
import type { ClientInfo, SessionCaller, SessionService, TokenResponse } from './session-service';

/** Everything that checks a password: login and password change, both behind the lockout. */
export class LoginService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly sessionStore: SessionRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * A wrong username, a wrong password and a disabled account fail alike, after a bcrypt compare
   * in every case, so neither the answer nor its timing tells them apart. The lock is decided
   * after the compare too, and applies to unknown names exactly as to existing ones.
   */
  async login(rawUsername: string, rawPassword: string, client: ClientInfo): Promise<TokenResponse> {
    const password = this.candidatePassword(rawPassword);
    const username = normaliseUsername(rawUsername);
    const throttleName = username.ok ? username.value : rawUsername.normalize('NFKC').toLowerCase();
    const [status, account] = await Promise.all([
      this.throttle.status(throttleName),
      username.ok ? this.accounts.findByUsername(username.value) : Promise.resolve(undefined),
    ]);
    const matches =
      account === undefined
        ? await this.hasher.verifyAgainstDummy(password).then(() => false)
        : await this.hasher.verify(password, account.passwordHash);
    this.refuseWhileLocked(status, account?.id);
    if (account === undefined || !matches || account.disabled) {
      const reason = account === undefined ? 'unknown_username' : matches ? 'account_disabled' : 'wrong_password';
      await this.throttle.recordFailure(status);
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason, accountId: account?.id });
      throw new InvalidCredentialsError();
    }
    await this.throttle.recordSuccess(status);
    const tokens = await this.sessions.open(account, client);
    this.logger.info('login succeeded', { event: 'login', outcome: 'success', accountId: account.id });
    return tokens;
  }

  /**
   * Changes the caller's password after checking the current one (failures count towards the
   * same lock as logins) and ends every other session of the account.
   *
   * The password and the sessions are different items, so no one write covers both: the other
   * sessions end before the conditional password write and again after it (a login that raced
   * the change). Whichever step fails (a 503), either the password is unchanged and a retry with
   * it does it all, or it is changed and every session from before the request is gone already.
   */
  async changePassword(caller: SessionCaller, currentPassword: string, newPassword: string): Promise<void> {
    const next = normalisePassword(newPassword, 'new_password');
    if (!next.ok) throw new ValidationError(next.problem);
    const current = this.candidatePassword(currentPassword, 'current_password');
    const account = await this.accounts.findById(caller.accountId);
    if (account === undefined) throw new AccountNotFoundError();
    const status = await this.throttle.status(account.username);
    const matches = await this.hasher.verify(current, account.passwordHash);
    this.refuseWhileLocked(status, account.id);
    if (!matches) {
      await this.throttle.recordFailure(status);
      this.logger.info('password change refused', { event: 'password_change', outcome: 'failure', reason: 'wrong_password', accountId: account.id });
      throw new WrongPasswordError();
    }
    const newHash = await this.hasher.hash(next.value);
    await this.sessionStore.deleteAll(account.id, caller.sessionId);
    const changed = await this.accounts.changePassword(account.id, newHash, account.passwordHash);
    // Someone changed it between our read and our write: the password we checked is stale.
    if (!changed) throw new WrongPasswordError();
    await this.sessionStore.deleteAll(account.id, caller.sessionId);
    await this.throttle.recordSuccess(status);
    this.logger.info('password changed', { event: 'password_change', outcome: 'success', accountId: account.id });
  }

  private refuseWhileLocked(status: ThrottleStatus, accountId: string | undefined): void {
    if (status.retryAfterSeconds === 0) return;
    this.logger.info('login locked', { event: 'login', outcome: 'locked', accountId, retryAfter: status.retryAfterSeconds });
    throw new TooManyAttemptsError(status.retryAfterSeconds);
  }

  /**
   * The NFC form of a password to compare. An over-long one can never have been stored, and bcrypt
   * would silently compare only its first 72 bytes: say so rather than truncate it.
   */
  private candidatePassword(raw: string, field = 'password'): string {
    const normalised = normalisePassword(raw, field);
    if (normalised.ok) return normalised.value;
    const prepared = prepareOpaqueString(raw);
    if (Buffer.byteLength(prepared, 'utf8') > PASSWORD_MAX_BYTES) {
      const [message, event] = field === 'password' ? ['login failed', 'login'] : ['password change refused', 'password_change'];
      this.logger.info(message, { event, outcome: 'failure', reason: 'password_too_long' });
      throw new ValidationError(normalised.problem);
    }
    return prepared;
  }
}
