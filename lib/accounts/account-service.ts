import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AccountNotFoundError, SelfModificationError, SignupDisabledError, ValidationError } from '../errors';
import type { Role } from '../routes';
import type { PasswordHasher } from '../auth/password-hasher';
import type { SessionRepository } from '../sessions/session-repository';
import { toAccountView, type AccountView } from './account';
import type { AccountChanges, AccountRepository } from './account-repository';
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
    private readonly sessions: SessionRepository,
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
   * from the next request.
   */
  async updateAccount(actorId: string, id: string, changes: AccountChanges): Promise<AccountView> {
    if (actorId === id) throw new SelfModificationError();
    // Not a UUID, so no account: the store is not asked (an over-long key would be its error).
    if (!isAccountId(id)) throw new AccountNotFoundError();
    const roles = changes.roles === undefined ? undefined : [...new Set(changes.roles)];
    const updated = await this.accounts.update(id, { ...changes, ...(roles === undefined ? {} : { roles }) });
    if (updated === undefined) throw new AccountNotFoundError();
    await this.sessions.deleteAll(id); // the token-version bump above already ended them; this tidies up
    return toAccountView(updated);
  }

  /** Ends every session and access token of an account (the admin CLI's revoke-sessions). */
  async revokeSessions(id: string): Promise<void> {
    if (!isAccountId(id) || (await this.accounts.update(id, {})) === undefined) throw new AccountNotFoundError();
    await this.sessions.deleteAll(id);
  }

  async deleteAccount(actorId: string, id: string): Promise<void> {
    if (actorId === id) throw new SelfModificationError();
    if (!isAccountId(id) || !(await this.accounts.delete(id))) throw new AccountNotFoundError();
    await this.sessions.deleteAll(id);
  }
}

function valid(checked: Checked): string {
  if (!checked.ok) throw new ValidationError(checked.problem);
  return checked.value;
}
