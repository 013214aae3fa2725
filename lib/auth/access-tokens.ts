import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { type Clock, epochSeconds } from '../clock';
import { InvalidTokenError } from '../errors';
import type { SigningKeySource } from './signing-keys';

/** RFC 9068 §2.1 media type of a JWT access token header. */
const ACCESS_TOKEN_TYP = 'at+jwt';
const MAX_TOKEN_BYTES = 8 * 1024;
const CLOCK_SKEW_SECONDS = 30;
const FORBIDDEN_HEADER_PARAMETERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'] as const;

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
  /** The account's token version at issue: a bump (logout-all, roles, disabling) ends the token. */
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
});

const ClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  username: z.string().min(1),
  roles: z.array(z.string()),
  scope: z.string(),
  sid: z.string().min(1),
  ver: z.number().int().min(0),
});

/** Signs and verifies access tokens (RFC 9068 profile, RFC 8725 practices). */
export class AccessTokenService {
  constructor(
    private readonly keys: SigningKeySource,
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const { algorithm, signingKey } = await this.keys();
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
      signingKey,
      {
        algorithm,
        header: { alg: algorithm, typ: ACCESS_TOKEN_TYP },
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        subject: subject.sub,
      },
    );
    return { token, jti, expiresIn: this.settings.ttlSeconds };
  }

  /** Verifies signature, header and claims; throws InvalidTokenError on any doubt. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    if (token.length > MAX_TOKEN_BYTES) throw new InvalidTokenError('too_large');
    this.checkHeader(token);
    const { algorithm, verificationKey } = await this.keys();
    const now = epochSeconds(this.clock);
    let payload: unknown;
    try {
      payload = jwt.verify(token, verificationKey, {
        algorithms: [algorithm],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        clockTimestamp: now,
      });
    } catch (error) {
      throw new InvalidTokenError(error instanceof jwt.TokenExpiredError ? 'expired' : 'signature');
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success || claims.data.iat > now + CLOCK_SKEW_SECONDS) throw new InvalidTokenError('claims');
    const { sub, username, roles, scope, sid, ver, jti, iat, exp } = claims.data;
    return { sub, username, roles, scope, sid, ver, jti, iat, exp };
  }

  private checkHeader(token: string): void {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
      throw new InvalidTokenError('malformed');
    }
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8'));
    } catch {
      throw new InvalidTokenError('malformed');
    }
    const parsed = HeaderSchema.safeParse(header);
    if (!parsed.success || FORBIDDEN_HEADER_PARAMETERS.some((name) => name in parsed.data)) {
      throw new InvalidTokenError('header');
    }
  }
}
