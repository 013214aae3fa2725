/**
 * A browser app on another origin (here http://localhost:5173, as a Vite dev server would be)
 * calling `npm start`: the preflight, then the real request. serverless-offline answers the
 * preflight from its own CORS options in serverless.yml and reflects the request's Origin;
 * API Gateway's answers (CORS_ALLOWED_ORIGIN) are checked in the packaged template's test.
 */
import { bodyOf, expectApiError, expectStatus, newUser, request, uniqueUsername } from './support';

const ORIGIN = 'http://localhost:5173';

const preflight = (path: string, method: string, headers: string) =>
  request('OPTIONS', path, { headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('CORS for a browser app on another origin', () => {
  test('the preflight of a JSON login allows the method and Content-Type', async () => {
    const response = await preflight('/auth/login', 'POST', 'content-type');

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain('POST');
    // Exactly what serverless.yml allows: with no CORS settings serverless offline echoes the
    // requested headers back instead, and exposes content-type, content-length, etag.
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,X-Refresh-Token-Transport');
    expect(response.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate,Retry-After');
  });

  test('the preflight of a protected call allows Authorization', async () => {
    const response = await preflight('/admin/users/00000000-0000-4000-8000-000000000000', 'DELETE', 'authorization');

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain('DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,X-Refresh-Token-Transport');
  });

  test('the answers themselves let the script read the body, the 401 challenge and the lockout wait', async () => {
    const user = await newUser('cors');
    const me = await request('GET', '/me', { token: user.token, headers: { origin: ORIGIN } });
    const refused = await request('POST', '/auth/login', { json: { username: uniqueUsername('cors'), password: 'not the password' }, headers: { origin: ORIGIN } });

    expectStatus(me, 200);
    expect(bodyOf<{ username: string }>(me).username).toBe(user.username);
    expectApiError(refused, 401, 'invalid_grant');
    for (const response of [me, refused]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('www-authenticate');
      expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    }
  });
});
