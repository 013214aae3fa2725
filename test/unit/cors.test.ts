import { corsHeaders, corsOriginFrom } from '../../lib/http/cors';

describe('CORS_ALLOWED_ORIGIN', () => {
  it.each([[undefined], [''], ['*']])('%j allows any origin', (value) => {
    expect(corsOriginFrom(value)).toBe('*');
  });

  it.each([['https://app.example.com'], ['http://localhost:5173'], ['https://xn--bcher-kva.example:8443']])('takes the one origin %s', (value) => {
    expect(corsOriginFrom(value)).toBe(value);
  });

  it.each([
    ['a trailing slash', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/app'],
    ['two origins', 'https://a.example, https://b.example'],
    ['a quote, which would break the gateway responses', "https://a.example'"],
    ['no scheme', 'app.example.com'],
    ['another scheme', 'ftp://app.example.com'],
    ['the opaque origin', 'null'],
    ['an upper-case host (the browser sends it lower-cased)', 'https://App.example.com'],
  ])('refuses %s, naming the variable', (_name, value) => {
    expect(() => corsOriginFrom(value)).toThrow(/CORS_ALLOWED_ORIGIN/);
  });

  it('gives the origin, allows its credentials (cookie mode) and exposes the 401 challenge and the lockout wait to scripts', () => {
    expect(corsHeaders('https://app.example.com')).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After',
    });
  });

  it('never allows credentials with *', () => {
    expect(corsHeaders('*')).toEqual({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After' });
  });
});
