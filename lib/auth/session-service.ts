import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Account } from '../accounts/account';
import type { AccountRepository } from '../accounts/account-repository';
import { isAccountId } from '../accounts/identifiers';
import { type Clock, epochSeconds } from '../clock';
import { InvalidRefreshTokenError, SessionNotFoundError } from '../errors';
import { permissionsForRoles } from '../routes';
import { mintRefreshToken, parseRefreshToken } from '../sessions/refresh-tokens';
import { toSessionView, type Session, type SessionView } from '../sessions/session';
import type { SessionRepository } from '../sessions/session-repository';
import type { AccessTokenService, VerifiedAccessToken } from './access-tokens';

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

const MAX_USER_AGENT = 256;

/**
 * Sessions: opening one at login, rotating its refresh token, ending one or all, and telling the
 * authorizer in one read whether an access token's account and session still stand.
 *
 * A refresh token works once. Presenting it again, later (however many rotations later) or
 * concurrently, is reuse (RFC 9700 §4.14.2): a stolen copy and the real client cannot be told
 * apart, so the whole session ends and both must log in again. Of two concurrent refreshes exactly one rotates; the loser's request
 * then ends the session it raced for.
 */
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly accounts: AccountRepository,
    private readonly tokens: AccessTokenService,
    private readonly clock: Clock,
    private readonly settings: { readonly ttlSeconds: number },
    private readonly logger: Logger,
  ) {}

  /** Opens a session for an account that has just proved its password; returns its first tokens. */
  async open(account: Account, client: ClientInfo): Promise<TokenResponse> {
    const now = new Date(this.clock()).toISOString();
    const id = randomUUID();
    const refresh = mintRefreshToken(account.id, id);
    const session: Session = {
      id,
      accountId: account.id,
      refreshHash: refresh.hash,
      rotation: 0,
      tokenVersion: account.tokenVersion,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: epochSeconds(this.clock) + this.settings.ttlSeconds,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT),
    };
    await this.sessions.create(session);
    return this.issueTokens(account, id, refresh.token);
  }

  /** Rotates a refresh token: a new pair, the old refresh token dead. */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const parsed = parseRefreshToken(refreshToken);
    if (parsed === undefined) return this.refuse('malformed');
    const { account, session } = await this.sessions.findWithAccount(parsed.accountId, parsed.sessionId);
    if (session === undefined || session.expiresAt <= epochSeconds(this.clock)) return this.refuse('unknown_or_expired');
    const state = account === undefined ? 'account_gone' : sessionState(account, session);
    if (account === undefined || state !== 'live') {
      await this.sessions.delete(session.accountId, session.id);
      return this.refuse(state, session);
    }
    // Any other secret for this session means someone holds a token of it that is no longer
    // current (rotated out, however long ago): reuse. Only a holder of one of the session's
    // tokens knows its ids, so a made-up secret cannot end somebody else's session.
    if (!sameHash(parsed.hash, session.refreshHash)) {
      await this.sessions.delete(session.accountId, session.id);
      return this.refuse('reuse', session);
    }
    const next = mintRefreshToken(account.id, session.id);
    const rotated = await this.sessions.rotate(session, {
      refreshHash: next.hash,
      lastUsedAt: new Date(this.clock()).toISOString(),
    });
    if (!rotated) {
      await this.sessions.delete(session.accountId, session.id);
      return this.refuse('concurrent_reuse', session);
    }
    this.logger.info('refresh succeeded', { event: 'refresh', outcome: 'success', accountId: account.id, sessionId: session.id });
    return this.issueTokens(account, session.id, next.token);
  }

  /**
   * Ends the caller's session (so its access and refresh tokens stop working) and, when the
   * client also hands in a refresh token of another of its own sessions, that session too.
   */
  async logout(caller: SessionCaller, refreshToken: string | undefined): Promise<void> {
    await this.sessions.delete(caller.accountId, caller.sessionId);
    const parsed = refreshToken === undefined ? undefined : parseRefreshToken(refreshToken);
    if (parsed !== undefined && parsed.accountId === caller.accountId && parsed.sessionId !== caller.sessionId) {
      const { session } = await this.sessions.findWithAccount(parsed.accountId, parsed.sessionId);
      if (session !== undefined && sameHash(parsed.hash, session.refreshHash)) {
        await this.sessions.delete(session.accountId, session.id);
      }
    }
    this.logger.info('logout', { event: 'logout', outcome: 'success', accountId: caller.accountId, sessionId: caller.sessionId });
  }

  /**
   * Ends every session and access token of an account at once: the token-version bump is one
   * atomic write that the authorizer and refresh both check; deleting the sessions tidies up.
   * False when there is no such account.
   */
  async revokeAll(accountId: string): Promise<boolean> {
    if (!isAccountId(accountId)) return false;
    const bumped = await this.accounts.update(accountId, {});
    await this.sessions.deleteAll(accountId);
    this.logger.info('sessions revoked', { event: 'revoke_all', accountId });
    return bumped !== undefined;
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
    if (!isAccountId(sessionId) || !(await this.sessions.delete(caller.accountId, sessionId))) {
      throw new SessionNotFoundError();
    }
    this.logger.info('session ended', { event: 'end_session', accountId: caller.accountId, sessionId });
  }

  /** Whether a verified access token's account and session still stand: one read. */
  async tokenState(token: VerifiedAccessToken): Promise<TokenState> {
    if (!isAccountId(token.sub) || !isAccountId(token.sid)) return 'session_ended';
    const { account, session } = await this.sessions.findWithAccount(token.sub, token.sid);
    if (account === undefined) return 'account_gone';
    if (account.tokenVersion !== token.ver) return 'token_version';
    if (session === undefined || session.expiresAt <= epochSeconds(this.clock)) return 'session_ended';
    return sessionState(account, session);
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
    const revoked = reason === 'reuse' || reason === 'concurrent_reuse';
    const fields = { event: 'refresh', outcome: 'failure', reason, accountId: session?.accountId, sessionId: session?.id };
    if (revoked) this.logger.warn('refresh token reused: session revoked', fields);
    else this.logger.info('refresh failed', fields);
    throw new InvalidRefreshTokenError();
  }
}

function sessionState(account: Account, session: Session): TokenState {
  if (account.disabled) return 'account_disabled';
  if (account.tokenVersion !== session.tokenVersion) return 'token_version';
  return 'live';
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
