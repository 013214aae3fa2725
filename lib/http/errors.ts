import type { ErrorCode } from '../errors';
import { DomainError, TooManyAttemptsError } from '../errors';

/** API.md's error codes. */
export type ApiErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_grant_type'
  | 'not_found'
  | 'conflict'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'server_error'
  | 'service_unavailable';

export interface HttpError {
  readonly status: number;
  readonly error: ApiErrorCode;
  readonly description: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The one table from domain error to HTTP. A new ErrorCode without a row here does not compile. */
const HTTP_ERRORS: Record<ErrorCode, { status: number; error: ApiErrorCode }> = {
  invalid_input: { status: 400, error: 'invalid_request' },
  invalid_credentials: { status: 401, error: 'invalid_grant' },
  invalid_token: { status: 401, error: 'invalid_token' },
  username_taken: { status: 409, error: 'conflict' },
  account_not_found: { status: 404, error: 'not_found' },
  signup_disabled: { status: 404, error: 'not_found' },
  self_modification: { status: 403, error: 'insufficient_scope' },
  last_admin: { status: 409, error: 'conflict' },
  payload_too_large: { status: 413, error: 'payload_too_large' },
  unsupported_media_type: { status: 415, error: 'unsupported_media_type' },
  unsupported_grant_type: { status: 400, error: 'unsupported_grant_type' },
  invalid_refresh_token: { status: 401, error: 'invalid_grant' },
  wrong_password: { status: 401, error: 'invalid_grant' },
  too_many_attempts: { status: 429, error: 'too_many_requests' },
  session_not_found: { status: 404, error: 'not_found' },
  storage_unavailable: { status: 503, error: 'service_unavailable' },
};

export const SERVER_ERROR: HttpError = {
  status: 500,
  error: 'server_error',
  description: 'The service met an unexpected condition.',
};

/**
 * Maps an error to its HTTP form. The token endpoint follows RFC 6749 §5.2, where every error,
 * invalid_grant included, is a 400. Anything that is not a DomainError is an opaque 500.
 */
export function toHttpError(error: unknown, flavour: 'api' | 'oauth' = 'api'): HttpError | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const { status, error: code } = HTTP_ERRORS[error.code];
  const oauthStatus = flavour === 'oauth' && status === 401 ? 400 : status;
  const headers = error instanceof TooManyAttemptsError ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined;
  return { status: oauthStatus, error: code, description: error.message, ...(headers === undefined ? {} : { headers }) };
}
