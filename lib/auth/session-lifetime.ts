import { type Clock, epochSeconds } from '../clock';
import { parseRefreshToken } from '../sessions/refresh-tokens';
import type { SessionRepository } from '../sessions/session-repository';

/**
 * How long the session a refresh token belongs to has left: the Max-Age of the refresh cookie, so
 * the cookie never outlives its session nor ends before it. A session is never extended, so one
 * read after the token is issued is exact.
 */
export class SessionLifetime {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Seconds until the token's session expires; 0 for a malformed token or a session already gone. */
  async remainingSeconds(refreshToken: string): Promise<number> {
    const parsed = parseRefreshToken(refreshToken);
    if (parsed === undefined) return 0;
    const { session } = await this.sessions.findWithAccount(parsed.accountId, parsed.sessionId);
    return session === undefined ? 0 : Math.max(0, session.expiresAt - epochSeconds(this.clock));
  }
}
