import { handler as jwks } from '../../handlers/jwks';
import { handler as metadata } from '../../handlers/oauth-metadata';
import { handler as openapi } from '../../handlers/openapi';
import { loadOpenApi } from '../support/openapi';
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
      grant_types_supported: ['password', 'refresh_token'],
    });
  });

  it('serves docs/openapi.yaml as JSON at GET /openapi.json, publicly cacheable', async () => {
    const response = await openapi(httpEvent({ method: 'GET', resource: '/openapi.json' }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(response.headers?.['Cache-Control']).toMatch(/^public, max-age=\d+$/);
    expect(bodyOf(response)).toEqual(loadOpenApi());
  });
});
