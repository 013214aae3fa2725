import { test } from '@fast-check/jest';
import { bearerToken } from '../../lib/http/bearer';
import { fc } from '../support/properties';
import { authorizerEvent } from '../support/events';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
const withHeaders = (headers: Record<string, string>, extra: Parameters<typeof authorizerEvent>[0] = { method: 'GET', path: '/me' }) =>
  bearerToken(authorizerEvent({ ...extra, headers }));

describe('bearerToken (RFC 6750 §2.1)', () => {
  it('reads the token whatever the case of the header name and the scheme', () => {
    expect(withHeaders({ Authorization: `Bearer ${TOKEN}` })).toBe(TOKEN);
    expect(withHeaders({ authorization: `bearer ${TOKEN}` })).toBe(TOKEN);
    expect(withHeaders({ AUTHORIZATION: `BEARER ${TOKEN}` })).toBe(TOKEN);
  });

  it.each([
    ['another scheme', `Basic ${TOKEN}`],
    ['no space', `Bearer${TOKEN}`],
    ['an empty token', 'Bearer '],
    ['the scheme alone', 'Bearer'],
    ['a token with spaces', `Bearer ${TOKEN} extra`],
    ['characters outside b64token', `Bearer ${TOKEN}"`],
  ])('refuses %s', (_name, value) => {
    expect(withHeaders({ Authorization: value })).toBeUndefined();
  });

  it('refuses a request with two Authorization headers', () => {
    const event = authorizerEvent({
      method: 'GET',
      path: '/me',
      headers: { Authorization: `Bearer ${TOKEN}` },
      multiValueHeaders: { Authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] },
    });
    expect(bearerToken(event)).toBeUndefined();
    expect(withHeaders({ Authorization: `Bearer ${TOKEN}`, authorization: `Bearer ${TOKEN}` }, { method: 'GET', path: '/me', multiValueHeaders: {} })).toBeUndefined();
  });

  it('refuses a request that carries an access_token in the query string', () => {
    const event = authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${TOKEN}` }, query: { access_token: TOKEN } });
    expect(bearerToken(event)).toBeUndefined();
  });
});

describe('bearerToken properties', () => {
  const B64TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';
  const b64token = fc
    .tuple(fc.string({ unit: fc.constantFrom(...B64TOKEN_CHARS), minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 2 }))
    .map(([body, padding]) => `${body}${'='.repeat(padding)}`);
  const headerName = fc.mixedCase(fc.constant('authorization'));
  const scheme = fc.mixedCase(fc.constant('bearer'));
  const spaces = fc.integer({ min: 1, max: 3 }).map((n) => ' '.repeat(n));
  const eventWith = (headers: Record<string, string>, multiValueHeaders?: Record<string, string[]>, query?: Record<string, string>) =>
    bearerToken(authorizerEvent({ method: 'GET', path: '/me', headers, ...(multiValueHeaders ? { multiValueHeaders } : {}), ...(query ? { query } : {}) }));

  test.prop([headerName, scheme, spaces, b64token])('reads a b64token whatever the case of the header name and scheme', (name, bearer, gap, token) => {
    expect(eventWith({ [name]: `${bearer}${gap}${token}` })).toBe(token);
  });

  test.prop([headerName, fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().toLowerCase() !== 'bearer'), b64token])(
    'refuses any other scheme',
    (name, other, token) => {
      expect(eventWith({ [name]: `${other} ${token}` })).toBeUndefined();
    },
  );

  test.prop([headerName, scheme, b64token, fc.constantFrom('', '\t', '\u00a0', ':', '=')])(
    'refuses a scheme not followed by a space',
    (name, bearer, token, separator) => {
      expect(eventWith({ [name]: `${bearer}${separator}${token}` })).toBeUndefined();
    },
  );

  test.prop([headerName, scheme, fc.constantFrom('', ' ', '  ', '\t', ' =')])('refuses an empty token', (name, bearer, rest) => {
    expect(eventWith({ [name]: `${bearer}${rest}` })).toBeUndefined();
  });

  const outsideB64token = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !B64TOKEN_CHARS.includes(c));
  test.prop([headerName, scheme, b64token, fc.nat(), outsideB64token])(
    'refuses a token holding a character outside b64token (or "=" anywhere but the end)',
    (name, bearer, token, index, char) => {
      const at = index % token.length;
      const spoiled = `${token.slice(0, at)}${char === '=' ? '=x' : char}${token.slice(at)}`;
      expect(eventWith({ [name]: `${bearer} ${spoiled}` })).toBeUndefined();
    },
  );

  test.prop([headerName, headerName, b64token, b64token])(
    'refuses two Authorization headers, in multiValueHeaders or as two spellings of the name',
    (first, second, token, other) => {
      expect(eventWith({ [first]: `Bearer ${other}` }, { [first]: [`Bearer ${token}`, `Bearer ${other}`] })).toBeUndefined();
      if (first !== second) {
        expect(eventWith({ [first]: `Bearer ${token}`, [second]: `Bearer ${token}` }, {})).toBeUndefined();
        expect(eventWith({}, { [first]: [`Bearer ${token}`], [second]: [`Bearer ${other}`] })).toBeUndefined();
      }
    },
  );

  test.prop([headerName, b64token, fc.string()])('refuses a request carrying access_token in the query string', (name, token, inQuery) => {
    expect(eventWith({ [name]: `Bearer ${token}` }, undefined, { access_token: inQuery })).toBeUndefined();
  });
});
