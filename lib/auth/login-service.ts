import type { Logger } from '@aws-lambda-powertools/logger';
import type { Account } from '../accounts/account';
import type { AccountRepository, LoginLookup } from '../accounts/account-repository';
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
   * the same 429. The account is read while the password is compared; the session opens only if
   * that read still holds the hash just checked, and carries the token version read with it.
   */
  async login(rawUsername: string, rawPassword: string, client: ClientInfo): Promise<TokenResponse> {
    const password = this.candidatePassword(rawPassword);
    const username = normaliseUsername(rawUsername);
    const throttleName = username.ok ? username.value : rawUsername.normalize('NFKC').toLowerCase();
    const [reservation, lookup] = await Promise.all([
      this.reserve(throttleName, undefined, 'login'),
      username.ok ? this.accounts.findForLogin(username.value) : Promise.resolve(NOBODY),
    ]);
    const checked = lookup.passwordHash;
    const [matches, account] = await Promise.all([
      checked === undefined ? this.hasher.verifyAgainstDummy(password).then(() => false) : this.hasher.verify(password, checked),
      lookup.account,
    ]);
    const reason = failureReason(account, matches, checked);
    if (account === undefined || reason !== undefined) {
      await this.throttle.recordFailure(reservation);
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason, accountId: account?.id });
      throw new InvalidCredentialsError();
    }
    const [tokens] = await Promise.all([this.sessions.open(account, client), this.throttle.recordSuccess(reservation)]);
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

/** A name that is not a valid username: nobody holds it, and no account is read. */
const NOBODY: LoginLookup = { passwordHash: undefined, account: Promise.resolve(undefined) };

/** Why a login fails, or undefined when it may open a session. */
function failureReason(account: Account | undefined, matches: boolean, checked: string | undefined): string | undefined {
  // A hash but no account: the account was deleted between the two reads.
  if (account === undefined) return checked === undefined ? 'unknown_username' : 'account_gone';
  if (!matches) return 'wrong_password';
  if (account.disabled) return 'account_disabled';
  // The password changed between the hash's read and the account's: what we checked is stale.
  if (account.passwordHash !== checked) return 'credentials_changed';
  return undefined;
}
