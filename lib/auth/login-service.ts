import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRepository } from '../accounts/account-repository';
import { normalisePassword, normaliseUsername, PASSWORD_MAX_BYTES, prepareOpaqueString } from '../accounts/identifiers';
import { AccountNotFoundError, InvalidCredentialsError, InvalidTokenError, TooManyAttemptsError, ValidationError, WrongPasswordError } from '../errors';
import type { LoginThrottle, Reservation } from './login-throttle';
import type { PasswordHasher } from './password-hasher';
import type { SessionRevocation } from './revocation';
import type { ClientInfo, SessionCaller, SessionService, TokenResponse } from './session-service';

/** Everything that checks a password: login and password change, both behind the lockout. */
export class LoginService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly revocation: SessionRevocation,
    private readonly logger: Logger,
  ) {}

  /**
   * A wrong username, a wrong password and a disabled account fail alike, after a bcrypt compare
   * in every case, so neither the answer nor its timing tells them apart. Each check is counted
   * before it runs (unknown names exactly like existing ones), so no burst of parallel requests
   * gets more than the lockout's allowance; while locked nothing is compared and every answer is
   * the same 429. The session opens only if the account still has the password just checked.
   */
  async login(rawUsername: string, rawPassword: string, client: ClientInfo): Promise<TokenResponse> {
    const password = this.candidatePassword(rawPassword);
    const username = normaliseUsername(rawUsername);
    const throttleName = username.ok ? username.value : rawUsername.normalize('NFKC').toLowerCase();
    const [reservation, account] = await Promise.all([
      this.reserve(throttleName, undefined, 'login'),
      username.ok ? this.accounts.findByUsername(username.value) : Promise.resolve(undefined),
    ]);
    const matches =
      account === undefined
        ? await this.hasher.verifyAgainstDummy(password).then(() => false)
        : await this.hasher.verify(password, account.passwordHash);
    if (account === undefined || !matches || account.disabled) {
      const reason = account === undefined ? 'unknown_username' : matches ? 'account_disabled' : 'wrong_password';
      await this.throttle.recordFailure(reservation);
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason, accountId: account?.id });
      throw new InvalidCredentialsError();
    }
    const [tokens] = await Promise.all([
      this.sessions.open(account, client, account.passwordHash),
      this.throttle.recordSuccess(reservation),
    ]);
    if (tokens === undefined) {
      // The password, version or disabled flag changed after we read them: what we checked is stale.
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason: 'credentials_changed', accountId: account.id });
      throw new InvalidCredentialsError();
    }
    this.logger.info('login succeeded', { event: 'login', outcome: 'success', accountId: account.id });
    return tokens;
  }

  /**
   * Changes the caller's password after checking the current one (counted towards the same lock
   * as logins). One transaction writes the new hash, moves the account to a new token version and
   * the caller's session with it: every other session, and any login racing the change, ends at
   * that instant. Their items are swept afterwards.
   */
  async changePassword(caller: SessionCaller, currentPassword: string, newPassword: string): Promise<void> {
    const next = normalisePassword(newPassword, 'new_password');
    if (!next.ok) throw new ValidationError(next.problem);
    const current = this.candidatePassword(currentPassword, 'current_password');
    const account = await this.accounts.findById(caller.accountId);
    if (account === undefined) throw new AccountNotFoundError();
    const reservation = await this.reserve(account.username, account.id, 'password_change');
    const matches = await this.hasher.verify(current, account.passwordHash);
    if (!matches) {
      await this.throttle.recordFailure(reservation);
      this.logger.info('password change refused', { event: 'password_change', outcome: 'failure', reason: 'wrong_password', accountId: account.id });
      throw new WrongPasswordError();
    }
    const newHash = await this.hasher.hash(next.value);
    const [changed] = await Promise.all([
      this.revocation.replacePassword(account, newHash, caller.sessionId),
      this.throttle.recordSuccess(reservation),
    ]);
    // The password, the version or the caller's session moved since we read them: the caller's
    // session has ended (or the password we checked is stale), so nothing was changed.
    if (!changed) throw new InvalidTokenError('session_ended');
    this.logger.info('password changed', { event: 'password_change', outcome: 'success', accountId: account.id });
  }

  /** Counts one password check for the name, or refuses (429) and logs that it did. */
  private async reserve(name: string, accountId: string | undefined, event: string): Promise<Reservation> {
    try {
      return await this.throttle.reserve(name);
    } catch (error) {
      if (error instanceof TooManyAttemptsError) {
        this.logger.info('login locked', { event, outcome: 'locked', accountId, retryAfter: error.retryAfterSeconds });
      }
      throw error;
    }
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
