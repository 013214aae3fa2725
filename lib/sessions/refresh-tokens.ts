import { createHash, randomBytes } from 'node:crypto';
import { isAccountId } from '../accounts/identifiers';

/*
 * A refresh token is opaque to clients: base64url of account id (16 bytes) ‖ session id
 * (16 bytes) ‖ secret (32 bytes, 256 bits from the CSPRNG). The ids let the service find the
 * session in one read; only a SHA-256 of the secret is stored. It is not a JWT (no dots), so it
 * can never pass as an access token, nor an access token as a refresh token.
 */
const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_BYTES = 2 * ID_BYTES + SECRET_BYTES;
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
const TOKEN_SHAPE = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`);

export interface MintedRefreshToken {
  readonly token: string;
  readonly hash: string;
}

export interface ParsedRefreshToken {
  readonly accountId: string;
  readonly sessionId: string;
  readonly hash: string;
}

/** A new refresh token for a session, and the hash to store for it. */
export function mintRefreshToken(accountId: string, sessionId: string): MintedRefreshToken {
  const secret = randomBytes(SECRET_BYTES);
  const token = Buffer.concat([uuidBytes(accountId), uuidBytes(sessionId), secret]).toString('base64url');
  return { token, hash: hashSecret(secret) };
}

/** The session a refresh token names and the hash of its secret; undefined for anything malformed. */
export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return undefined;
  const accountId = uuidString(bytes.subarray(0, ID_BYTES));
  const sessionId = uuidString(bytes.subarray(ID_BYTES, 2 * ID_BYTES));
  if (!isAccountId(accountId) || !isAccountId(sessionId)) return undefined;
  return { accountId, sessionId, hash: hashSecret(bytes.subarray(2 * ID_BYTES)) };
}

function hashSecret(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
