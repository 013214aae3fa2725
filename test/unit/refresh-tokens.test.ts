import { randomUUID } from 'node:crypto';
import { issuedBySession, mintRefreshToken, newTokenKey, openSuccessor, parseRefreshToken, sealSuccessor } from '../../lib/sessions/refresh-tokens';

describe('refresh tokens', () => {
  const accountId = randomUUID();
  const sessionId = randomUUID();
  const KEY = newTokenKey();

  it('carry the session they belong to and 256 random bits, and store only a hash', () => {
    const minted = mintRefreshToken(accountId, sessionId, KEY);

    expect(minted.token).toMatch(/^[A-Za-z0-9_-]{107}$/);
    expect(parseRefreshToken(minted.token)).toMatchObject({ accountId, sessionId, hash: minted.hash });
    expect(minted.hash).not.toContain(minted.token.slice(43));
  });

  it('differ every time, even for one session', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => mintRefreshToken(accountId, sessionId, KEY).token));
    expect(tokens.size).toBe(50);
  });

  it.each([
    ['empty', ''],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['one character short', mintRefreshToken(accountId, sessionId, KEY).token.slice(1)],
    ['padded', `${mintRefreshToken(accountId, sessionId, KEY).token}=`],
    ['not base64url', `${mintRefreshToken(accountId, sessionId, KEY).token.slice(1)}+`],
    ['ids that are not version 4 UUIDs', Buffer.alloc(64, 0).toString('base64url')],
  ])('refuse anything malformed: %s', (_name, token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });

  it('carry a tag that only the session\'s key makes: a made-up secret under the right ids has none', () => {
    const minted = parseRefreshToken(mintRefreshToken(accountId, sessionId, KEY).token);
    const otherKey = parseRefreshToken(mintRefreshToken(accountId, sessionId, newTokenKey()).token);
    if (minted === undefined || otherKey === undefined) throw new Error('did not parse');

    expect(issuedBySession(minted, KEY)).toBe(true);
    expect(issuedBySession(otherKey, KEY)).toBe(false);
    expect(issuedBySession(minted, undefined)).toBe(false);
  });

  it('seal a successor that only the predecessor\'s secret opens; the stored hash does not', () => {
    const before = mintRefreshToken(accountId, sessionId, KEY);
    const after = mintRefreshToken(accountId, sessionId, KEY);
    const box = sealSuccessor(before.secret, after.secret);

    expect(openSuccessor(before.secret, box)?.equals(after.secret)).toBe(true);
    expect(openSuccessor(Buffer.from(before.hash, 'base64url'), box)).toBeUndefined();
    expect(openSuccessor(after.secret, box)).toBeUndefined();
    expect(box).not.toContain(after.hash);
  });
});
