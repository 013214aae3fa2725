import { bearerToken } from '../../lib/http/bearer';
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
