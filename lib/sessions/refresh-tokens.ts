import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { isAccountId } from '../accounts/identifiers';

/*
 * A refresh token is opaque to clients: base64url of account id (16 bytes) ‖ session id
 * (16 bytes) ‖ secret (32 bytes, 256 bits from the CSPRNG) ‖ tag (16 bytes). The ids let the
 * service find the session in one read; only a SHA-256 of the secret is stored. The tag is an
 * HMAC of the rest under the session's own key: it proves the session issued the token, so that
 * reuse detection ends a session only for a token it really handed out, never for one made up
 * from ids an access token shows. It is not a JWT (no dots), so it can never pass as an access
 * token, nor an access token as a refresh token. Tokens of 64 bytes (no tag) are from before the
 * tag: they still rotate, but a mismatch with them ends nothing.
 *
 * Rotation keeps the successor's secret sealed under a key derived from the predecessor's secret
 * (AES-256-GCM), so that, within the reuse interval, whoever presents the predecessor again gets
 * the same successor. The table alone holds hashes and sealed boxes: nothing in it opens a box or
 * yields a token.
 */
const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TAG_BYTES = 16;
const UNTAGGED_BYTES = 2 * ID_BYTES + SECRET_BYTES;
const TAGGED_BYTES = UNTAGGED_BYTES + TAG_BYTES;
const TOKEN_SHAPE = new RegExp(`^([A-Za-z0-9_-]{${length(UNTAGGED_BYTES)}}|[A-Za-z0-9_-]{${length(TAGGED_BYTES)}})$`);
const IV_BYTES = 12;
const GCM_TAG_BYTES = 16;

export interface MintedRefreshToken {
  readonly token: string;
  /** What the session stores of it. */
  readonly hash: string;
  /** The secret itself, to seal under the predecessor's key; never stored in clear. */
  readonly secret: Buffer;
}

export interface ParsedRefreshToken {
  readonly accountId: string;
  readonly sessionId: string;
  readonly secret: Buffer;
  readonly hash: string;
  /** Absent on tokens from before tags. */
  readonly tag: Buffer | undefined;
}

/** A new random key for a session's token tags (stored with the session). */
export function newTokenKey(): string {
  return randomBytes(32).toString('base64url');
}

/** A new refresh token for a session, tagged with the session's key, and the hash to store for it. */
export function mintRefreshToken(accountId: string, sessionId: string, tokenKey: string, secret: Buffer = randomBytes(SECRET_BYTES)): MintedRefreshToken {
  const body = Buffer.concat([uuidBytes(accountId), uuidBytes(sessionId), secret]);
  const token = Buffer.concat([body, tagOf(body, tokenKey)]).toString('base64url');
  return { token, hash: hashSecret(secret), secret };
}

/** The session a refresh token names and the hash of its secret; undefined for anything malformed. */
export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if ((bytes.length !== UNTAGGED_BYTES && bytes.length !== TAGGED_BYTES) || bytes.toString('base64url') !== token) return undefined;
  const accountId = uuidString(bytes.subarray(0, ID_BYTES));
  const sessionId = uuidString(bytes.subarray(ID_BYTES, 2 * ID_BYTES));
  if (!isAccountId(accountId) || !isAccountId(sessionId)) return undefined;
  const secret = bytes.subarray(2 * ID_BYTES, UNTAGGED_BYTES);
  const tag = bytes.length === TAGGED_BYTES ? bytes.subarray(UNTAGGED_BYTES) : undefined;
  return { accountId, sessionId, secret, hash: hashSecret(secret), tag };
}

/** Whether the session whose key this is issued the token (its tag checks out). */
export function issuedBySession(parsed: ParsedRefreshToken, tokenKey: string | undefined): boolean {
  if (parsed.tag === undefined || tokenKey === undefined) return false;
  const body = Buffer.concat([uuidBytes(parsed.accountId), uuidBytes(parsed.sessionId), parsed.secret]);
  return timingSafeEqual(parsed.tag, tagOf(body, tokenKey));
}

/** Seals the successor's secret so that only the holder of the predecessor's secret can open it. */
export function sealSuccessor(predecessorSecret: Buffer, successorSecret: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', boxKey(predecessorSecret), iv);
  const sealed = Buffer.concat([cipher.update(successorSecret), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The successor's secret, or undefined when this predecessor does not open the box. */
export function openSuccessor(predecessorSecret: Buffer, box: string): Buffer | undefined {
  const bytes = Buffer.from(box, 'base64url');
  if (bytes.length !== IV_BYTES + SECRET_BYTES + GCM_TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', boxKey(predecessorSecret), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES + SECRET_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, IV_BYTES + SECRET_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of two stored hashes. */
export function sameHash(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function boxKey(secret: Buffer): Buffer {
  // A key of its own, derived from the secret: the stored SHA-256 of the secret does not give it.
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'serverless-auth refresh successor', 32));
}

function tagOf(body: Buffer, tokenKey: string): Buffer {
  return createHmac('sha256', Buffer.from(tokenKey, 'base64url')).update(body).digest().subarray(0, TAG_BYTES);
}

function hashSecret(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function length(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
