/** A login session: one refresh-token chain, from login until logout, revocation or expiry. */
export interface Session {
  readonly id: string;
  readonly accountId: string;
  /** SHA-256 of the current refresh token's secret; the token itself is never stored. */
  readonly refreshHash: string;
  /** Bumped on every rotation; the conditional write on it lets exactly one refresh win. */
  readonly rotation: number;
  /** The account's token version when the session opened: a bump ends the session. */
  readonly tokenVersion: number;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** Absolute end of the session, epoch seconds (also the item's DynamoDB `ttl`). */
  readonly expiresAt: number;
  readonly userAgent: string | undefined;
}

/** What GET /me/sessions shows of a session. */
export interface SessionView {
  readonly id: string;
  readonly created_at: string;
  readonly last_used_at: string;
  readonly user_agent: string | null;
  readonly current: boolean;
}

export function toSessionView(session: Session, currentSessionId: string): SessionView {
  return {
    id: session.id,
    created_at: session.createdAt,
    last_used_at: session.lastUsedAt,
    user_agent: session.userAgent ?? null,
    current: session.id === currentSessionId,
  };
}
