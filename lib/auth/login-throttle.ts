import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock';
import type { LoginThrottleSettings } from '../config';
import { TooManyAttemptsError } from '../errors';

/** Password-check bookkeeping for one username, times in epoch seconds. */
export interface LoginAttempts {
  /** Checks counted in the current window, each one before it ran (in flight ones included). */
  readonly failures: number;
  readonly windowStart: number;
  /** 0 when never locked. */
  readonly lockedUntil: number;
  /** Locks so far; each one doubles the next. */
  readonly lockCount: number;
}

/** What a reservation got: the count after it, or why none was left. */
export type ReservationResult =
  | { readonly granted: true; readonly attempts: LoginAttempts }
  | { readonly granted: false; readonly retryAfterSeconds: number };

/**
 * Storage port for password-check counters. Every item carries an expiry so that the store
 * forgets stale counters by itself.
 */
export interface LoginAttemptStore {
  /**
   * Counts one check atomically, if one is left: none while locked, none once `maxAttempts`
   * were counted in the window. Past the window (or for a new key) it starts one at `now`.
   */
  reserve(key: string, now: number, limits: { readonly windowSeconds: number; readonly maxAttempts: number }, expiresAt: number): Promise<ReservationResult>;
  lock(key: string, now: number, lockedUntil: number, expiresAt: number): Promise<void>;
  /** Forgets the key: its count, its lock and the growth of later locks. */
  clear(key: string): Promise<void>;
}

/** One password check, counted before it runs. */
export interface Reservation {
  readonly key: string;
  /** The count this check brought the window to: the one that reaches the limit locks on failure. */
  readonly count: number;
  readonly lockCount: number;
}

/** The throttle key of a (normalised) username: a hash, so usernames are not stored twice in clear. */
export function throttleKey(username: string): string {
  return createHash('sha256').update(username, 'utf8').digest('base64url');
}

const MAX_LOCK_SECONDS = 86_400;
/** A counter outlives its window by a day, so repeated locks keep growing. */
const MEMORY_SECONDS = 86_400;

/**
 * Brute-force protection per username, for existing and unknown names alike so that the answer
 * tells nothing. Every password check is counted before it runs, by one conditional write, so at
 * most `maxAttempts` checks run per window however many requests arrive at once. The check that
 * reaches the limit locks the name if it fails; each later lock is twice as long (up to a day);
 * a successful check forgets it all.
 */
export class LoginThrottle {
  constructor(
    private readonly store: LoginAttemptStore,
    private readonly settings: LoginThrottleSettings,
    private readonly clock: Clock,
  ) {}

  /** The throttle key of a username (see `throttleKey`). */
  keyFor(username: string): string {
    return throttleKey(username);
  }

  /** Counts one password check for the name, or throws TooManyAttemptsError when none is left. */
  async reserve(username: string): Promise<Reservation> {
    const key = this.keyFor(username);
    const { windowSeconds, maxAttempts } = this.settings;
    const now = epochSeconds(this.clock);
    const result = await this.store.reserve(key, now, { windowSeconds, maxAttempts }, now + windowSeconds + MEMORY_SECONDS);
    if (!result.granted) throw new TooManyAttemptsError(Math.max(1, result.retryAfterSeconds));
    return { key, count: result.attempts.failures, lockCount: result.attempts.lockCount };
  }

  /** The check failed: the one that used the last attempt of the window locks the name. */
  async recordFailure(reservation: Reservation): Promise<void> {
    const { maxAttempts, lockoutSeconds } = this.settings;
    if (reservation.count < maxAttempts) return;
    const now = epochSeconds(this.clock);
    const lockSeconds = Math.min(lockoutSeconds * 2 ** reservation.lockCount, Math.max(MAX_LOCK_SECONDS, lockoutSeconds));
    await this.store.lock(reservation.key, now, now + lockSeconds, now + lockSeconds + MEMORY_SECONDS);
  }

  /** The check succeeded: the count (and the growth of later locks) starts afresh. */
  async recordSuccess(reservation: Reservation): Promise<void> {
    await this.store.clear(reservation.key);
  }
}
