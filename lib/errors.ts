/**
 * Domain errors. Each carries a stable `code`; lib/http/errors.ts maps every code to HTTP,
 * and the compiler refuses a new code that has no mapping there.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'username_taken'
  | 'account_not_found'
  | 'signup_disabled'
  | 'self_modification'
  | 'last_admin'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unsupported_grant_type'
  | 'invalid_refresh_token'
  | 'wrong_password'
  | 'too_many_attempts'
  | 'session_not_found'
  | 'storage_unavailable';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

/** A request field is missing, of the wrong type or outside the allowed shape. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'invalid_input';
}

/** Wrong username, wrong password or disabled account: deliberately one error for all three. */
export class InvalidCredentialsError extends DomainError {
  override readonly name = 'InvalidCredentialsError';
  readonly code = 'invalid_credentials';
  constructor() {
    super('The username or password is incorrect.');
  }
}

export type InvalidTokenReason =
  | 'malformed'
  | 'expired'
  | 'signature'
  | 'claims'
  | 'header'
  | 'unknown_key'
  | 'too_large'
  // A good signature, but the account or session no longer stands:
  | 'account_gone'
  | 'account_disabled'
  | 'token_version'
  | 'session_ended';

/** An access token failed verification; `reason` is for logs, never for the caller. */
export class InvalidTokenError extends DomainError {
  override readonly name = 'InvalidTokenError';
  readonly code = 'invalid_token';
  constructor(readonly reason: InvalidTokenReason) {
    super(reason === 'expired' ? 'The access token expired.' : 'The access token is not valid.');
  }
}

export class UsernameTakenError extends DomainError {
  override readonly name = 'UsernameTakenError';
  readonly code = 'username_taken';
  constructor() {
    super('That username is already taken.');
  }
}

export class AccountNotFoundError extends DomainError {
  override readonly name = 'AccountNotFoundError';
  readonly code = 'account_not_found';
  constructor() {
    super('No account has that id.');
  }
}

export class SignupDisabledError extends DomainError {
  override readonly name = 'SignupDisabledError';
  readonly code = 'signup_disabled';
  constructor() {
    super('Self-registration is switched off on this service.');
  }
}

/** An administrator tried to change their own roles, disable or delete themselves. */
export class SelfModificationError extends DomainError {
  override readonly name = 'SelfModificationError';
  readonly code = 'self_modification';
  constructor() {
    super('You cannot change your own roles, disable or delete your own account.');
  }
}

/** The change would leave no enabled account holding users:write. */
export class LastAdminError extends DomainError {
  override readonly name = 'LastAdminError';
  readonly code = 'last_admin';
  constructor() {
    super('This is the last enabled account that can manage users: it cannot be demoted, disabled or deleted.');
  }
}

export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload_too_large';
  constructor(limitBytes: number) {
    super(`The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly code = 'unsupported_media_type';
}

export class UnsupportedGrantTypeError extends DomainError {
  override readonly name = 'UnsupportedGrantTypeError';
  readonly code = 'unsupported_grant_type';
  constructor() {
    super('grant_type must be "password" or "refresh_token".');
  }
}

/**
 * A refresh token that is unknown, expired, rotated out or revoked: one error for all, so the
 * answer tells nothing about which (RFC 6749 §5.2 invalid_grant).
 */
export class InvalidRefreshTokenError extends DomainError {
  override readonly name = 'InvalidRefreshTokenError';
  readonly code = 'invalid_refresh_token';
  constructor() {
    super('The refresh token is invalid, expired or revoked.');
  }
}

/** The current password given to a password change is not the account's password. */
export class WrongPasswordError extends DomainError {
  override readonly name = 'WrongPasswordError';
  readonly code = 'wrong_password';
  constructor() {
    super('The current password is incorrect.');
  }
}

/** Too many failed logins for one username: locked until `retryAfterSeconds` have passed. */
export class TooManyAttemptsError extends DomainError {
  override readonly name = 'TooManyAttemptsError';
  readonly code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many failed attempts. Try again later.');
  }
}

/** No session with that id belongs to the caller (someone else's is just as absent). */
export class SessionNotFoundError extends DomainError {
  override readonly name = 'SessionNotFoundError';
  readonly code = 'session_not_found';
  constructor() {
    super('No session of yours has that id.');
  }
}

/** The data store did not answer in time or refused the request; safe to retry later. */
export class StorageUnavailableError extends DomainError {
  override readonly name = 'StorageUnavailableError';
  readonly code = 'storage_unavailable';
  constructor(options?: ErrorOptions) {
    super('The service is temporarily unavailable. Try again shortly.', options);
  }
}
