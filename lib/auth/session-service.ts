import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Account } from '../accounts/account';
import type { AccountRepository } from '../accounts/account-repository';
import { isAccountId } from '../accounts/identifiers';
import { type Clock, epochSeconds } from '../clock';
import { InvalidRefreshTokenError, SessionNotFoundError } from '../errors';
import { permissionsForRoles } from '../routes';
import {
  issuedBySession,
  mintRefreshToken,
  newTokenKey,
  openSuccessor,
  parseRefreshToken,
  type ParsedRefreshToken,
  sameHash,
  sealSuccessor,
} from '../sessions/refresh-tokens';
import { toSessionView, type Session, type SessionView } from '../sessions/session';
import type { SessionRepository } from '../sessions/session-repository';
import type { AccessTokenService, VerifiedAccessToken } from './access-tokens';
import type { SessionRevocation } from './revocation';

/** RFC 6749 §5.1 token response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly scope: string;
}

/** What the service notes about the client that opens a session. */
export interface ClientInfo {
  readonly userAgent: string | undefined;
}

/** The caller of a protected route, as the authorizer identified them. */
export interface SessionCaller {
  readonly accountId: string;
  readonly sessionId: string;
}

/** Why an access token with a good signature no longer works; `live` when it does. */
export type TokenState = 'live' | 'account_gone' | 'account_disabled' | 'token_version' | 'session_ended';

export interface SessionSettings {
  /** Absolute lifetime of a session, seconds. */
  readonly ttlSeconds: number;
  /** REFRESH_REUSE_INTERVAL: seconds after a rotation in which the previous token still converges; 0 = strict. */
  readonly reuseIntervalSeconds: number;
}

const MAX_USER_AGENT = 256;

/**
 * Sessions: opening one at login, rotating its refresh token, listing them, and telling the
 * authorizer in one read whether an access token's account and session still stand. Ending
 * sessions belongs to SessionRevocation.
 *
 * A refresh token works once (RFC 9700 §4.14.2). Presenting the immediately previous token again
 * within `reuseIntervalSeconds` of its rotation answers with a fresh access token and the same
 * successor refresh token, so parallel tabs and retries after a lost response converge. Any other
 * token the session issued (older, or the previous one after the interval) is reuse: a stolen copy
 * and the real client cannot be told apart, so the whole session ends. A token the session never
 * issued (its tag does not check out) is refused and ends nothing.
 */
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly accounts: AccountRepository,
    private readonly revocation: SessionRevocation,
    private readonly tokens: AccessTokenService,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens a session for an account whose password has just been checked against the hash `account`
   * holds, and returns its first tokens. The session carries the token version read with that hash:
   * any change since (password, roles, disabling, logout-all) has moved the account on, so a
   * session opened by a login racing it is born ended (see sessionState).
   */
  async open(account: Account, client: ClientInfo): Promise<TokenResponse> {
    const now = new Date(this.clock()).toISOString();
    const id = randomUUID();
    const tokenKey = newTokenKey();
    const refresh = mintRefreshToken(account.id, id, tokenKey);
    const session: Session = {
      id,
      accountId: account.id,
      refreshHash: refresh.hash,
      tokenKey,
      previous: undefined,
      rotation: 0,
      tokenVersion: account.tokenVersion,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: epochSeconds(this.clock) + this.settings.ttlSeconds,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT),
    };
    // A random UUID already in use: nothing to recover, and nothing was written.
    if (!(await this.sessions.create(session))) throw new Error('session id already in use');
    return this.issueTokens(account, id, refresh.token);
  }

  /** Rotates a refresh token: a new pair, the old refresh token dead (but see the reuse interval). */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const parsed = parseRefreshToken(refreshToken);
    if (parsed === undefined) return this.refuse('malformed');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { account, session } = await this.sessions.findWithAccount(parsed.accountId, parsed.sessionId);
      if (session === undefined || session.expiresAt <= epochSeconds(this.clock)) return this.refuse('unknown_or_expired');
      const state = account === undefined ? 'account_gone' : sessionState(account, session);
      if (account === undefined || state !== 'live') {
        await this.revocation.endSession(session.accountId, session.id, state);
        return this.refuse(state, session);
      }
      if (sameHash(parsed.hash, session.refreshHash)) {
        const rotated = await this.rotate(account, session, parsed);
        if (rotated !== undefined) return rotated;
        continue; // another request rotated it first: read again, and follow its rotation if we may
      }
      return this.presentedAgain(account, session, parsed);
    }
    return this.refuse('rotating_too_fast');
  }

  /** The account's live sessions, most recently used first. */
  async list(caller: SessionCaller): Promise<SessionView[]> {
    const [account, sessions] = await Promise.all([
      this.accounts.findById(caller.accountId),
      this.sessions.list(caller.accountId),
    ]);
    const now = epochSeconds(this.clock);
    return sessions
      .filter((session) => account !== undefined && session.expiresAt > now && sessionState(account, session) === 'live')
      .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt))
      .map((session) => toSessionView(session, caller.sessionId));
  }

  /** Ends one of the caller's sessions; anyone else's id is as unknown as a made-up one. */
  async end(caller: SessionCaller, sessionId: string): Promise<void> {
    if (!(await this.revocation.endSession(caller.accountId, sessionId, 'ended_by_user'))) throw new SessionNotFoundError();
  }

  /**
   * Ends the caller's session (so its access and refresh tokens stop working) and, when the
   * client also hands in a refresh token of another of its own sessions, that session too.
   */
  async logout(caller: SessionCaller, refreshToken: string | undefined): Promise<void> {
    await this.revocation.endSession(caller.accountId, caller.sessionId, 'logout');
    const parsed = refreshToken === undefined ? undefined : parseRefreshToken(refreshToken);
    if (parsed !== undefined && parsed.accountId === caller.accountId && parsed.sessionId !== caller.sessionId) {
      const { session } = await this.sessions.findWithAccount(parsed.accountId, parsed.sessionId);
      if (session !== undefined && sameHash(parsed.hash, session.refreshHash)) {
        await this.revocation.endSession(session.accountId, session.id, 'logout');
      }
    }
  }

  /** Ends every session and access token of the caller's account. */
  async logoutAll(caller: SessionCaller): Promise<void> {
    await this.revocation.endAll(caller.accountId, 'logout_all');
  }

  /** Whether a verified access token's account and session still stand: one read. */
  async tokenState(token: VerifiedAccessToken): Promise<TokenState> {
    if (!isAccountId(token.sub) || !isAccountId(token.sid)) return 'session_ended';
    const { account, session } = await this.sessions.findWithAccount(token.sub, token.sid);
    if (account === undefined) return 'account_gone';
    // The service never issues a version the account has not reached: only a forgery could carry one.
    if (token.ver > account.tokenVersion) return 'token_version';
    if (session === undefined || session.expiresAt <= epochSeconds(this.clock)) return 'session_ended';
    return sessionState(account, session);
  }

  /** The one rotation of a current token; undefined when another request rotated first. */
  private async rotate(account: Account, session: Session, presented: ParsedRefreshToken): Promise<TokenResponse | undefined> {
    // Sessions from before tags get their key at their first rotation.
    const tokenKey = session.tokenKey ?? newTokenKey();
    const next = mintRefreshToken(account.id, session.id, tokenKey);
    const rotated = await this.sessions.rotate(session, {
      refreshHash: next.hash,
      tokenKey,
      lastUsedAt: new Date(this.clock()).toISOString(),
      rotatedAt: this.clock(),
      successorBox: sealSuccessor(presented.secret, next.secret),
    });
    if (!rotated) return undefined;
    this.logger.info('refresh succeeded', { event: 'refresh', outcome: 'success', accountId: account.id, sessionId: session.id });
    return this.issueTokens(account, session.id, next.token);
  }

  /** A token of this session's ids that is not its current one. */
  private async presentedAgain(account: Account, session: Session, presented: ParsedRefreshToken): Promise<TokenResponse> {
    const previous = session.previous;
    if (previous !== undefined && sameHash(presented.hash, previous.hash)) {
      const age = this.clock() - previous.rotatedAt;
      const successor = openSuccessor(presented.secret, previous.successorBox);
      if (age >= 0 && age <= this.settings.reuseIntervalSeconds * 1000 && successor !== undefined && session.tokenKey !== undefined) {
        const again = mintRefreshToken(account.id, session.id, session.tokenKey, successor);
        if (sameHash(again.hash, session.refreshHash)) {
          this.logger.info('refresh succeeded', { event: 'refresh', outcome: 'reuse_interval', accountId: account.id, sessionId: session.id });
          return this.issueTokens(account, session.id, again.token);
        }
      }
      return this.reuse(session);
    }
    // Older than the previous token: reuse, but only if this session really issued it.
    if (issuedBySession(presented, session.tokenKey)) return this.reuse(session);
    return this.refuse('not_issued', session);
  }

  private async reuse(session: Session): Promise<never> {
    await this.revocation.endSession(session.accountId, session.id, 'refresh_token_reuse');
    this.logger.warn('refresh token reused: session revoked', {
      event: 'refresh',
      outcome: 'failure',
      reason: 'reuse',
      accountId: session.accountId,
      sessionId: session.id,
    });
    throw new InvalidRefreshTokenError();
  }

  private async issueTokens(account: Account, sessionId: string, refreshToken: string): Promise<TokenResponse> {
    const scope = permissionsForRoles(account.roles).join(' ');
    const issued = await this.tokens.issue({
      sub: account.id,
      username: account.username,
      roles: account.roles,
      scope,
      sid: sessionId,
      ver: account.tokenVersion,
    });
    return {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      refresh_token: refreshToken,
      scope,
    };
  }

  private refuse(reason: string, session?: Session): never {
    this.logger.info('refresh failed', { event: 'refresh', outcome: 'failure', reason, accountId: session?.accountId, sessionId: session?.id });
    throw new InvalidRefreshTokenError();
  }
}

/** A session is live while its account is enabled and still at the session's token version. */
export function sessionState(account: Account, session: Session): TokenState {
  if (account.disabled) return 'account_disabled';
  if (account.tokenVersion !== session.tokenVersion) return 'token_version';
  return 'live';
}
