import { handler as jwks } from '../../handlers/jwks';
import { handler as metadata } from '../../handlers/oauth-metadata';
import { bodyOf, httpEvent, lambdaContext } from '../support/events';

describe('well-known documents', () => {
  it('publishes an empty key set under HS256: the secret never leaves', async () => {
    const response = await jwks(httpEvent({ method: 'GET', resource: '/.well-known/jwks.json' }), lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ keys: [] });
    expect(response.headers?.['Cache-Control']).toMatch(/max-age=\d+/);
  });

  it('publishes RFC 8414 metadata whose endpoints hang off the issuer', async () => {
    const response = await metadata(httpEvent({ method: 'GET', resource: '/.well-known/oauth-authorization-server' }), lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      issuer: 'https://auth.test/dev',
      token_endpoint: 'https://auth.test/dev/oauth/token',
      jwks_uri: 'https://auth.test/dev/.well-known/jwks.json',
      grant_types_supported: ['password'],
    });
  });
});
