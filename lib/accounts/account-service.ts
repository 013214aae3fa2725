import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type LoginAttemptStore, throttleKey } from '../auth/login-throttle';
import type { PasswordHasher } from '../auth/password-hasher';
import type { SessionRevocation } from '../auth/revocation';
import { AccountNotFoundError, LastAdminError, SelfModificationError, SignupDisabledError, StorageUnavailableError, ValidationError } from '../errors';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../routes';
import { toAccountView, type Account, type AccountView } from './account';
import type { AccountChanges, AccountRepository, WriteGuard } from './account-repository';
import { isAccountId, normalisePassword, normaliseUsername, type Checked } from './identifiers';

const MAX_ID_ATTEMPTS = 3;

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly roles: readonly Role[];
}

export interface AccountListPage {
  readonly items: readonly AccountView[];
  readonly next_cursor: string | null;
}

/**
 * The actor of changes made at the admin CLI: an operator with access to the table, not an
 * account, so never the "self" an administrator may not change.
 */
export const OPERATOR_ACTOR = 'operator';

/** Account use cases: self-registration and administration. */
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly allowSignup: boolean,
    private readonly revocation: SessionRevocation,
    private readonly attempts: Pick<LoginAttemptStore, 'clear'>,
    private readonly logger: Logger,
  ) {}

  /** Self-registration: always and only the `user` role. */
  async register(username: string, password: string): Promise<AccountView> {
    if (!this.allowSignup) throw new SignupDisabledError();
    return this.createAccount({ username, password, roles: ['user'] });
  }

  /** Creates an account with the given roles (administrators, the admin seed). */
  async createAccount(input: NewAccount): Promise<AccountView> {
    const username = valid(normaliseUsername(input.username));
    const password = valid(normalisePassword(input.password));
    const details = {
      username,
      passwordHash: await this.hasher.hash(password),
      roles: [...new Set(input.roles)],
      disabled: false,
      tokenVersion: 0,
      createdAt: new Date(this.clock()).toISOString(),
    };
    // A random id already in use is all but impossible; should it happen, draw another.
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt += 1) {
      const account = { id: randomUUID(), ...details };
      if (await this.accounts.create(account)) return toAccountView(account);
    }
    throw new Error('No free account id after several random draws.');
  }

  async getAccount(id: string): Promise<AccountView> {
    const account = isAccountId(id) ? await this.accounts.findById(id) : undefined;
    if (account === undefined) throw new AccountNotFoundError();
    return toAccountView(account);
  }

  /**
   * The account an operator names by id or by username. A string shaped like an account id is
   * tried as an id first (a username may look like one), then as a username.
   */
  async findAccount(idOrUsername: string): Promise<AccountView> {
    if (isAccountId(idOrUsername)) {
      const byId = await this.accounts.findById(idOrUsername);
      if (byId !== undefined) return toAccountView(byId);
    }
    const username = normaliseUsername(idOrUsername);
    const account = username.ok ? await this.accounts.findByUsername(username.value) : undefined;
    if (account === undefined) throw new AccountNotFoundError();
    return toAccountView(account);
  }

  async listAccounts(limit: number, cursor: string | undefined): Promise<AccountListPage> {
    const page = await this.accounts.list({ limit, cursor });
    return { items: page.items.map(toAccountView), next_cursor: page.nextCursor ?? null };
  }

  /**
   * Changes roles or the disabled flag. Nobody changes their own: no self-granted roles. Any
   * change ends the account's sessions and access tokens, so new roles or a disabled flag hold
   * from the next request. The last enabled account holding users:write cannot lose it.
   */
  async updateAccount(actorId: string, id: string, changes: AccountChanges): Promise<AccountView> {
    if (actorId === id) throw new SelfModificationError();
    // Not a UUID, so no account: the store is not asked (an over-long key would be its error).
    if (!isAccountId(id)) throw new AccountNotFoundError();
    const roles = changes.roles === undefined ? undefined : [...new Set(changes.roles)];
    const normalised = { ...changes, ...(roles === undefined ? {} : { roles }) };
    const updated = await this.guarded(id, (account) => isWriter(account) && !isWriter({ ...account, ...normalised }), (guard) =>
      this.revocation.changeAccount(id, normalised, changes.disabled === true ? 'account_disabled' : 'account_changed', guard),
    );
    return toAccountView(updated);
  }

  /** Ends every session and access token of an account (the admin CLI's revoke-sessions). */
  async revokeSessions(id: string): Promise<void> {
    if (!(await this.revocation.endAll(id, 'revoked_by_operator'))) throw new AccountNotFoundError();
  }

  async deleteAccount(actorId: string, id: string): Promise<void> {
    if (actorId === id) throw new SelfModificationError();
    if (!isAccountId(id)) throw new AccountNotFoundError();
    await this.guarded(id, isWriter, async (guard) => ((await this.revocation.deleteAccount(id, guard)) ? true : undefined));
  }

  /**
   * Lets a locked-out username try again at once (an administrator's decision, logged). Only
   * for a username an account holds: an unknown one is a 404.
   */
  async unlock(actorId: string, rawUsername: string): Promise<AccountView> {
    const username = normaliseUsername(rawUsername);
    const account = username.ok ? await this.accounts.findByUsername(username.value) : undefined;
    if (account === undefined) throw new AccountNotFoundError();
    await this.attempts.clear(throttleKey(account.username));
    this.logger.info('username unlocked', { event: 'unlock', actor: actorId, accountId: account.id });
    return toAccountView(account);
  }

  /**
   * Runs a change under the last-writer guard: when `removesWriter` says the change takes
   * users:write from the account, another enabled writer must still be one when the change lands
   * (checked in the same transaction, so two administrators demoting each other cannot both win).
   * The account must also be unchanged since it was read; a lost race reads again and retries.
   */
  private async guarded<T>(id: string, removesWriter: (account: Account) => boolean, change: (guard: WriteGuard) => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < MAX_GUARD_ATTEMPTS; attempt += 1) {
      const account = await this.accounts.findById(id);
      if (account === undefined) throw new AccountNotFoundError();
      let guard: WriteGuard = { expectedVersion: account.tokenVersion };
      if (removesWriter(account)) {
        const otherWriter = await this.accounts.findOtherWriter(id, WRITER_ROLES);
        if (otherWriter === undefined) throw new LastAdminError();
        guard = { ...guard, otherWriter };
      }
      const done = await change(guard);
      if (done !== undefined) return done;
    }
    throw new StorageUnavailableError();
  }
}

/** The roles that grant users:write, from the one routes module. */
const WRITER_ROLES = ROLES.filter((role) => (ROLE_PERMISSIONS[role] as readonly string[]).includes('users:write'));
const MAX_GUARD_ATTEMPTS = 4;

function isWriter(account: Pick<Account, 'roles' | 'disabled'>): boolean {
  return !account.disabled && account.roles.some((role) => WRITER_ROLES.includes(role));
}

function valid(checked: Checked): string {
  if (!checked.ok) throw new ValidationError(checked.problem);
  return checked.value;
}
