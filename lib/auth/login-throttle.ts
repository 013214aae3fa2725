import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock';
import type { LoginThrottleSettings } from '../config';

/** Failed-login bookkeeping for one username, times in epoch seconds. */
export interface LoginAttempts {
  readonly failures: number;
  readonly windowStart: number;
  /** 0 when never locked. */
  readonly lockedUntil: number;
  /** Locks so far; each one doubles the next. */
  readonly lockCount: number;
}

/**
 * Storage port for failed-login counters. Every item carries an expiry so that the store
 * forgets stale counters by itself.
 */
export interface LoginAttemptStore {
  read(key: string): Promise<LoginAttempts | undefined>;
  /**
   * Counts one failure atomically: within the window it adds one, past it (or for a new key) it
   * starts a window at `now` with one failure. Returns the state after the count.
   */
  addFailure(key: string, now: number, windowSeconds: number, expiresAt: number): Promise<LoginAttempts>;
  lock(key: string, now: number, lockedUntil: number, expiresAt: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** What a login attempt may do, read before its password is checked. */
export interface ThrottleStatus {
  readonly key: string;
  /** Seconds until the lock passes; 0 when not locked. */
  readonly retryAfterSeconds: number;
  /** Failures or earlier locks are on record: a success has something to forget. */
  readonly remembered: boolean;
}

const MAX_LOCK_SECONDS = 86_400;
/** A counter outlives its window by a day, so repeated locks keep growing. */
const MEMORY_SECONDS = 86_400;

/**
 * Brute-force protection per username, for existing and unknown names alike so that the answer
 * tells nothing: `maxAttempts` failures within the window lock the name; each later lock is twice
 * as long (up to a day); a successful login forgets it all.
 */
export class LoginThrottle {
  constructor(
    private readonly store: LoginAttemptStore,
    private readonly settings: LoginThrottleSettings,
    private readonly clock: Clock,
  ) {}

  /** The throttle key of a username: a hash, so usernames are not stored twice in clear. */
  keyFor(username: string): string {
    return createHash('sha256').update(username, 'utf8').digest('base64url');
  }

  async status(username: string): Promise<ThrottleStatus> {
    const key = this.keyFor(username);
    const attempts = await this.store.read(key);
    const now = epochSeconds(this.clock);
    const retryAfterSeconds = attempts !== undefined && attempts.lockedUntil > now ? attempts.lockedUntil - now : 0;
    // A lock resets the failures to 0 but keeps lock_count, which a success must forget too.
    return { key, retryAfterSeconds, remembered: attempts !== undefined && (attempts.failures > 0 || attempts.lockCount > 0) };
  }

  /** Counts a failure; the one failure that reaches the limit locks the name. */
  async recordFailure(status: ThrottleStatus): Promise<void> {
    const { maxAttempts, windowSeconds, lockoutSeconds } = this.settings;
    const now = epochSeconds(this.clock);
    const after = await this.store.addFailure(status.key, now, windowSeconds, now + windowSeconds + MEMORY_SECONDS);
    // Increments are atomic, so exactly one concurrent failure sees the count equal the limit.
    if (after.failures !== maxAttempts) return;
    const lockSeconds = Math.min(lockoutSeconds * 2 ** after.lockCount, Math.max(MAX_LOCK_SECONDS, lockoutSeconds));
    await this.store.lock(status.key, now, now + lockSeconds, now + lockSeconds + MEMORY_SECONDS);
  }

  /** A successful login resets the count (and the growth of later locks). */
  async recordSuccess(status: ThrottleStatus): Promise<void> {
    if (status.remembered) await this.store.clear(status.key);
  }
}
