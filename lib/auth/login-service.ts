import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRepository } from '../accounts/account-repository';
import { normalisePassword, normaliseUsername } from '../accounts/identifiers';
import { InvalidCredentialsError, ValidationError } from '../errors';
import { permissionsForRoles } from '../routes';
import type { AccessTokenService } from './access-tokens';
import type { PasswordHasher } from './password-hasher';

/** RFC 6749 §5.1 token response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** Password login: checks credentials and issues an access token. */
export class LoginService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly logger: Logger,
  ) {}

  /**
   * A wrong username, a wrong password and a disabled account fail alike, after a bcrypt compare
   * in every case, so neither the answer nor its timing tells them apart.
   */
  async login(rawUsername: string, rawPassword: string): Promise<TokenResponse> {
    const password = normalisePassword(rawPassword);
    // An over-long password can never have been stored; say so rather than truncate it.
    if (!password.ok && Buffer.byteLength(rawPassword.normalize('NFC'), 'utf8') > 72) {
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason: 'password_too_long' });
      throw new ValidationError(password.problem);
    }
    const username = normaliseUsername(rawUsername);
    const account = username.ok ? await this.accounts.findByUsername(username.value) : undefined;
    const candidate = password.ok ? password.value : rawPassword.normalize('NFC');
    if (account === undefined) {
      await this.hasher.verifyAgainstDummy(candidate);
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason: 'unknown_username' });
      throw new InvalidCredentialsError();
    }
    const matches = await this.hasher.verify(candidate, account.passwordHash);
    if (!matches || account.disabled) {
      const reason = matches ? 'account_disabled' : 'wrong_password';
      this.logger.info('login failed', { event: 'login', outcome: 'failure', reason, accountId: account.id });
      throw new InvalidCredentialsError();
    }
    const scope = permissionsForRoles(account.roles).join(' ');
    const issued = await this.tokens.issue({ sub: account.id, username: account.username, roles: account.roles, scope });
    this.logger.info('login succeeded', { event: 'login', outcome: 'success', accountId: account.id });
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope };
  }
}
