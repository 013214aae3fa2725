import { createHmac, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { InvalidTokenError } from '../../lib/errors';

const SECRET = randomBytes(32).toString('base64url');
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const settings = { issuer: 'https://auth.test/dev', audience: 'serverless-auth', ttlSeconds: 900 };
const config = loadConfig({ TABLE_NAME: 't', JWT_SECRET: SECRET, JWT_ISSUER: settings.issuer });
const keys = signingKeySource(config);
const subject = {
  sub: 'account-1',
  username: 'alice',
  roles: ['user'],
  scope: 'profile:read profile:write',
  sid: 'session-1',
  ver: 3,
};

const serviceAt = (ms: number) => new AccessTokenService(keys, settings, () => ms);
const tokens = serviceAt(NOW);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Signs any header and payload with the real secret, to reach checks behind the signature. */
function handMade(header: Record<string, unknown>, payload: unknown, secret = SECRET): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
const goodClaims = () => ({
  iss: settings.issuer,
  aud: settings.audience,
  sub: 'account-1',
  jti: 'jti-1',
  iat: NOW / 1000,
  exp: NOW / 1000 + 900,
  username: 'alice',
  roles: ['user'],
  scope: 'profile:read',
  sid: 'session-1',
  ver: 0,
});

async function reason(token: string, service = tokens): Promise<string> {
  try {
    await service.verify(token);
    return 'accepted';
  } catch (error) {
    return error instanceof InvalidTokenError ? error.reason : `unexpected ${String(error)}`;
  }
}

describe('AccessTokenService', () => {
  it('issues an RFC 9068 token with the claims API.md lists, and verifies it', async () => {
    const issued = await tokens.issue(subject);
    const decoded = jwt.decode(issued.token, { complete: true });
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(decoded?.payload).toEqual({
      iss: settings.issuer,
      aud: settings.audience,
      sub: 'account-1',
      iat: NOW / 1000,
      exp: NOW / 1000 + 900,
      jti: issued.jti,
      username: 'alice',
      roles: ['user'],
      scope: 'profile:read profile:write',
      sid: 'session-1',
      ver: 3,
    });
    await expect(tokens.verify(issued.token)).resolves.toMatchObject({ ...subject, jti: issued.jti });
  });

  it('gives every token its own jti', async () => {
    const [a, b] = await Promise.all([tokens.issue(subject), tokens.issue(subject)]);
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses a token once it expires (past the 30 s skew), and accepts it just before', async () => {
    const issued = await tokens.issue(subject);
    expect(await reason(issued.token, serviceAt(NOW + 900_000 + 29_000))).toBe('accepted');
    expect(await reason(issued.token, serviceAt(NOW + 900_000 + 31_000))).toBe('expired');
  });

  it('refuses a token signed with another secret, or with a changed payload', async () => {
    const issued = await tokens.issue(subject);
    expect(await reason(handMade({ alg: 'HS256', typ: 'at+jwt' }, goodClaims(), `${SECRET}-other`))).toBe('signature');
    const [header, , signature] = issued.token.split('.');
    const forged = `${header}.${b64({ ...goodClaims(), roles: ['admin'] })}.${signature}`;
    expect(await reason(forged)).toBe('signature');
  });

  it('refuses alg none, other algorithms, and a foreign issuer or audience', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(goodClaims())}.`;
    expect(await reason(unsigned)).not.toBe('accepted');
    expect(await reason(handMade({ alg: 'HS512', typ: 'at+jwt' }, goodClaims()))).not.toBe('accepted');
    expect(await reason(handMade({ alg: 'HS256', typ: 'at+jwt' }, { ...goodClaims(), iss: 'https://evil' }))).toBe('signature');
    expect(await reason(handMade({ alg: 'HS256', typ: 'at+jwt' }, { ...goodClaims(), aud: 'other' }))).toBe('signature');
  });

  it.each([
    ['no typ', { alg: 'HS256' }],
    ['typ JWT', { alg: 'HS256', typ: 'JWT' }],
    ['a jku', { alg: 'HS256', typ: 'at+jwt', jku: 'https://evil/jwks' }],
    ['a jwk', { alg: 'HS256', typ: 'at+jwt', jwk: { kty: 'oct', k: 'AA' } }],
    ['an x5u', { alg: 'HS256', typ: 'at+jwt', x5u: 'https://evil/cert' }],
    ['an x5c', { alg: 'HS256', typ: 'at+jwt', x5c: ['AA'] }],
  ])('refuses a header with %s', async (_name, header) => {
    expect(await reason(handMade(header, goodClaims()))).toBe('header');
  });

  it('accepts the application/at+jwt spelling of typ', async () => {
    expect(await reason(handMade({ alg: 'HS256', typ: 'application/at+jwt' }, goodClaims()))).toBe('accepted');
  });

  it.each(['exp', 'iat', 'sub', 'jti', 'username', 'roles', 'scope', 'sid', 'ver'])('refuses a token without %s', async (claim) => {
    const claims: Record<string, unknown> = goodClaims();
    delete claims[claim];
    expect(await reason(handMade({ alg: 'HS256', typ: 'at+jwt' }, claims))).not.toBe('accepted');
  });

  it('refuses an iat in the future beyond the skew, and honours nbf', async () => {
    const header = { alg: 'HS256', typ: 'at+jwt' };
    expect(await reason(handMade(header, { ...goodClaims(), iat: NOW / 1000 + 3600 }))).toBe('claims');
    expect(await reason(handMade(header, { ...goodClaims(), nbf: NOW / 1000 + 3600 }))).toBe('signature');
  });

  it('refuses a payload that is not a JSON object', async () => {
    expect(await reason(handMade({ alg: 'HS256', typ: 'at+jwt' }, 'hello'))).not.toBe('accepted');
  });

  it('refuses tokens over 8 KB before parsing, and malformed ones', async () => {
    expect(await reason(`${'a'.repeat(9000)}.b.c`)).toBe('too_large');
    expect(await reason('not-a-jwt')).toBe('malformed');
    expect(await reason('a.b')).toBe('malformed');
    expect(await reason('!!.??.##')).toBe('malformed');
  });
});
