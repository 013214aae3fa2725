import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { type Clock, epochSeconds } from '../clock';
import { InvalidTokenError } from '../errors';
import type { SigningKeys, SigningKeySource } from './signing-keys';

/** RFC 9068 §2.1 media type of a JWT access token header. */
const ACCESS_TOKEN_TYP = 'at+jwt';
const MAX_TOKEN_BYTES = 8 * 1024;
const CLOCK_SKEW_SECONDS = 30;
/** RFC 8725 §3.10: keys and key URLs named by the token itself are never used; no extensions are understood. */
const FORBIDDEN_HEADER_PARAMETERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'] as const;
/** Distinct good headers kept, by their encoded form; every token of one key has the same one. */
const MAX_KNOWN_HEADERS = 32;

export interface AccessTokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

/** Who a token speaks for: what the authorizer hands the protected handlers. */
export interface AccessTokenSubject {
  readonly sub: string;
  readonly username: string;
  readonly roles: readonly string[];
  /** Space-separated permissions. */
  readonly scope: string;
  /** The session the token was issued in: ending the session ends the token. */
  readonly sid: string;
  /** The account's token version at issue (informational: the session's version decides; one above the account's is refused). */
  readonly ver: number;
}

export interface VerifiedAccessToken extends AccessTokenSubject {
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresIn: number;
}

const HeaderSchema = z.looseObject({
  alg: z.string(),
  typ: z.string().refine((typ) => {
    const lower = typ.toLowerCase();
    return lower === ACCESS_TOKEN_TYP || lower === `application/${ACCESS_TOKEN_TYP}`;
  }),
  kid: z.string().min(1),
});

/** Signs and verifies access tokens (RFC 9068 profile, RFC 8725 practices). */
export class AccessTokenService {
  /** Encoded header → its checked, parsed form: the check is a pure function of those bytes. */
  private readonly knownHeaders = new Map<string, AccessTokenHeader>();
  /** The key set once the source has given it (a source keeps it for the container's life): later tokens skip the await. */
  private keySet: SigningKeys | undefined;

  constructor(
    private readonly keys: SigningKeySource,
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
  ) {}

  /** Signs with the current key; the header names it by kid. */
  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const { algorithm, current } = await this.keys();
    const now = epochSeconds(this.clock);
    const jti = randomUUID();
    const token = jwt.sign(
      {
        iat: now,
        exp: now + this.settings.ttlSeconds,
        jti,
        username: subject.username,
        roles: subject.roles,
        scope: subject.scope,
        sid: subject.sid,
        ver: subject.ver,
      },
      current.key,
      {
        algorithm,
        header: { alg: algorithm, typ: ACCESS_TOKEN_TYP, kid: current.kid },
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        subject: subject.sub,
      },
    );
    return { token, jti, expiresIn: this.settings.ttlSeconds };
  }

  /**
   * Verifies size, header, signature and claims; throws InvalidTokenError on any doubt. The key
   * comes from our own key set by the header's kid, and only the configured algorithm is accepted:
   * nothing in the token chooses how it is checked.
   */
  async verify(token: string): Promise<VerifiedAccessToken> {
    if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw new InvalidTokenError('too_large');
    const dot = token.indexOf('.');
    const header = dot > 0 ? this.knownHeaders.get(token.slice(0, dot)) : undefined;
    const keys = this.keySet;
    if (header === undefined || keys === undefined) {
      if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
      return this.verifyWith(token, this.header(token), this.keySet ?? (this.keySet = await this.keys()));
    }
    // A header seen before, keys at hand: the shape check waits for a refusal. A token jsonwebtoken
    // accepts is a compact JWS (it checks the shape too, and wants a signature), and a refused one
    // is checked here first, so a malformed token is refused as malformed on either path.
    try {
      return this.verifyWith(token, header, keys);
    } catch (error) {
      if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
      throw error;
    }
  }

  /** Algorithm, key, signature and claims of a token whose header passed checkHeader. */
  private verifyWith(token: string, header: AccessTokenHeader, keys: SigningKeys): VerifiedAccessToken {
    if (header.alg !== keys.algorithm) throw new InvalidTokenError('header');
    const key = keys.verificationKey(header.kid);
    if (key === undefined) throw new InvalidTokenError('unknown_key');
    const now = epochSeconds(this.clock);
    let verified: unknown;
    try {
      verified = jwt.verify(token, key, {
        algorithms: [keys.algorithm],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        clockTimestamp: now,
      });
    } catch (error) {
      // A payload that is not a JSON object never verifies (it has no aud); say why. Decoded
      // here, on the way out, because jsonwebtoken decodes it again on the way in.
      if (!isJsonObject(parseJsonPart(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'))))) {
        throw new InvalidTokenError('claims');
      }
      if (error instanceof jwt.TokenExpiredError) throw new InvalidTokenError('expired');
      throw new InvalidTokenError(error instanceof jwt.NotBeforeError ? 'claims' : 'signature');
    }
    const claims = verifiedClaims(verified);
    if (claims === undefined || claims.iat > now + CLOCK_SKEW_SECONDS) throw new InvalidTokenError('claims');
    return claims;
  }

  /** The checked header of a compact JWS; the first token of a key pays for parsing it, the others look it up. */
  private header(token: string): AccessTokenHeader {
    const encoded = token.slice(0, token.indexOf('.'));
    let header = this.knownHeaders.get(encoded);
    if (header === undefined) {
      header = checkHeader(encoded);
      if (this.knownHeaders.size >= MAX_KNOWN_HEADERS) this.knownHeaders.clear();
      this.knownHeaders.set(encoded, header);
    }
    return header;
  }
}

/** Three base64url segments, as RFC 7515 §7.1 writes a compact JWS. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type AccessTokenHeader = Readonly<z.infer<typeof HeaderSchema>>;

/** Parses an encoded JWS header without trusting it; it must pass HeaderSchema and name no forbidden parameter. */
function checkHeader(encoded: string): AccessTokenHeader {
  const header = parseJsonPart(encoded);
  if (header === undefined) throw new InvalidTokenError('malformed');
  const parsed = HeaderSchema.safeParse(header);
  if (!parsed.success || FORBIDDEN_HEADER_PARAMETERS.some((name) => name in parsed.data)) {
    throw new InvalidTokenError('header');
  }
  return Object.freeze(parsed.data);
}

/**
 * What a verified token's payload must hold beyond what jsonwebtoken checks, or undefined; add new
 * claims here. Other claims are allowed and not handed on. Written out rather than as a zod schema
 * (the house's way elsewhere) because it runs on every authorization: the schema was about 0.35 µs
 * of the authorizer's 12, a tenth of the floor it is held to (docs/performance.md, case 1). The
 * unit tests hold it to that schema, which stays there as the reference.
 */
export function verifiedClaims(payload: unknown): VerifiedAccessToken | undefined {
  if (!isJsonObject(payload)) return undefined;
  const { iss, aud, sub, jti, iat, exp, nbf, username, roles, scope, sid, ver } = payload;
  if (typeof iss !== 'string' || !(typeof aud === 'string' || isStringArray(aud))) return undefined;
  if (!isNonEmptyString(sub) || !isNonEmptyString(jti) || !isSafeInteger(iat) || !isSafeInteger(exp)) return undefined;
  if (nbf !== undefined && !isFiniteNumber(nbf)) return undefined;
  if (!isNonEmptyString(username) || !isStringArray(roles) || typeof scope !== 'string' || !isNonEmptyString(sid)) return undefined;
  if (!isSafeInteger(ver) || ver < 0) return undefined;
  return { sub, username, roles, scope, sid, ver, jti, iat, exp };
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isSafeInteger = (value: unknown): value is number => Number.isSafeInteger(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function parseJsonPart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
