/** A login session: one refresh-token chain, from login until logout, revocation or expiry. */
export interface Session {
  readonly id: string;
  readonly accountId: string;
  /** SHA-256 of the current refresh token's secret; the token itself is never stored. */
  readonly refreshHash: string;
  /** The key of the tags that prove a refresh token came from this session (absent on older sessions). */
  readonly tokenKey: string | undefined;
  /** The immediately previous refresh token's hash, and when it was rotated out (epoch ms). */
  readonly previous: { readonly hash: string; readonly rotatedAt: number; readonly successorBox: string } | undefined;
  /** Bumped on every rotation; the conditional write on it lets exactly one refresh win. */
  readonly rotation: number;
  /**
   * The account's token version the session is bound to (the one its login read, or the one a
   * password change by this session moved it to): any other version on the account ends it.
   */
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
