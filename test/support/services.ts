/**
 * The real services wired as lib/dependencies wires them, on a client and clock a test chooses,
 * with any repository replaced (a fault-injecting wrapper, say). Each test states only what it varies.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRepository } from '../../lib/accounts/account-repository';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { DynamoDbLoginAttemptStore } from '../../lib/auth/dynamodb-login-attempt-store';
import { LoginService } from '../../lib/auth/login-service';
import { LoginThrottle } from '../../lib/auth/login-throttle';
import { BcryptPasswordHasher } from '../../lib/auth/password-hasher';
import { SessionRevocation } from '../../lib/auth/revocation';
import { SessionService } from '../../lib/auth/session-service';
import type { Clock } from '../../lib/clock';
import type { LoginThrottleSettings } from '../../lib/config';
import { config } from '../../lib/dependencies/config';
import { accessTokens } from '../../lib/dependencies/tokens';
import { logger } from '../../lib/logger';
import { DynamoDbSessionRepository } from '../../lib/sessions/dynamodb-session-repository';
import type { SessionRepository } from '../../lib/sessions/session-repository';
import { tableName } from './dynamodb';

export interface ServiceOptions {
  readonly clock?: Clock;
  readonly sessions?: SessionRepository;
  /** Login's account repository (the session service always reads through its own). */
  readonly accounts?: AccountRepository;
  readonly ttlSeconds?: number;
  readonly reuseIntervalSeconds?: number;
  readonly throttle?: LoginThrottleSettings;
}

export function sessionServiceOn(client: DynamoDBDocumentClient, options: ServiceOptions = {}): SessionService {
  const accounts = new DynamoDbAccountRepository(client, tableName());
  const sessions = options.sessions ?? new DynamoDbSessionRepository(client, tableName());
  return new SessionService(
    sessions,
    accounts,
    new SessionRevocation(sessions, accounts, logger),
    accessTokens(),
    options.clock ?? Date.now,
    { ttlSeconds: options.ttlSeconds ?? 3600, reuseIntervalSeconds: options.reuseIntervalSeconds ?? config().refreshReuseIntervalSeconds },
    logger,
  );
}

export function loginServiceOn(client: DynamoDBDocumentClient, options: ServiceOptions = {}): LoginService {
  const accounts = options.accounts ?? new DynamoDbAccountRepository(client, tableName());
  const sessions = options.sessions ?? new DynamoDbSessionRepository(client, tableName());
  const clock = options.clock ?? Date.now;
  return new LoginService(
    accounts,
    new BcryptPasswordHasher(4),
    new LoginThrottle(new DynamoDbLoginAttemptStore(client, tableName()), options.throttle ?? config().loginThrottle, clock),
    sessionServiceOn(client, { ...options, sessions }),
    new SessionRevocation(sessions, accounts, logger),
    logger,
  );
}
