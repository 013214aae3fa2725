import { randomUUID } from 'node:crypto';
import { mintRefreshToken, parseRefreshToken } from '../../lib/sessions/refresh-tokens';

describe('refresh tokens', () => {
  const accountId = randomUUID();
  const sessionId = randomUUID();

  it('carry the session they belong to and 256 random bits, and store only a hash', () => {
    const minted = mintRefreshToken(accountId, sessionId);

    expect(minted.token).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(parseRefreshToken(minted.token)).toEqual({ accountId, sessionId, hash: minted.hash });
    expect(minted.hash).not.toContain(minted.token.slice(43));
  });

  it('differ every time, even for one session', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => mintRefreshToken(accountId, sessionId).token));
    expect(tokens.size).toBe(50);
  });

  it.each([
    ['empty', ''],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['one character short', mintRefreshToken(accountId, sessionId).token.slice(1)],
    ['padded', `${mintRefreshToken(accountId, sessionId).token}=`],
    ['not base64url', `${mintRefreshToken(accountId, sessionId).token.slice(1)}+`],
    ['ids that are not version 4 UUIDs', Buffer.alloc(64, 0).toString('base64url')],
  ])('refuse anything malformed: %s', (_name, token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });
});
