/**
 * Cookie mode through `npm start` (serverless offline): the Set-Cookie lines a browser receives,
 * exactly, and the bodies and headers docs/openapi.yaml declares for them. The rules themselves
 * are test/handlers/cookie-mode.test.ts's; a real browser is test/browser's.
 */
import { baseUrl, bodyOf, expectApiError, expectStatus, newPassword, register, request, uniqueUsername, type ApiResponse } from './support';

const COOKIE = /^__Host-refresh_token=([A-Za-z0-9_-]+); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=(\d+)$/;
const CLEARED = '__Host-refresh_token=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0';

/** The page's own origin: what a browser sends from the hosted pages. */
const cookieMode = (cookie?: string): Record<string, string> => ({
  'x-refresh-token-transport': 'cookie',
  origin: new URL(baseUrl()).origin,
  ...(cookie === undefined ? {} : { cookie: `__Host-refresh_token=${cookie}` }),
});

const setCookies = (response: ApiResponse): string[] => response.headers.getSetCookie();

function tokenOf(response: ApiResponse): string {
  const lines = setCookies(response);
  expect(lines).toHaveLength(1);
  const match = COOKIE.exec(lines[0] ?? '');
  if (match === null) throw new Error(`not a refresh cookie: ${lines.join(' | ')}`);
  return match[1] ?? '';
}

describe('cookie mode through serverless offline', () => {
  test('login, refresh and logout set, rotate and clear exactly one __Host- cookie, and no body holds a refresh token', async () => {
    const username = uniqueUsername('cookie');
    const password = newPassword();
    await register(username, password);

    const login = await request('POST', '/auth/login', { json: { username, password }, headers: cookieMode() });
    expectStatus(login, 200);
    expect(bodyOf<Record<string, unknown>>(login)['refresh_token']).toBeUndefined();
    const first = tokenOf(login);

    const refreshed = await request('POST', '/auth/refresh', { headers: cookieMode(first) });
    expectStatus(refreshed, 200);
    expect(bodyOf<Record<string, unknown>>(refreshed)['refresh_token']).toBeUndefined();
    const second = tokenOf(refreshed);
    expect(second).not.toBe(first);

    const token = bodyOf<{ access_token: string }>(refreshed).access_token;
    const logout = await request('POST', '/auth/logout', { token, headers: cookieMode(second) });
    expectStatus(logout, 204);
    expect(setCookies(logout)).toEqual([CLEARED]);

    const after = await request('POST', '/auth/refresh', { headers: cookieMode(second) });
    expectApiError(after, 401, 'invalid_grant');
    expect(setCookies(after)).toEqual([]);
  });

  test('a cookie-mode refresh from another origin is a 403 that sets no cookie', async () => {
    const username = uniqueUsername('cookie');
    const password = newPassword();
    await register(username, password);
    const cookie = tokenOf(await request('POST', '/auth/login', { json: { username, password }, headers: cookieMode() }));

    const refused = await request('POST', '/auth/refresh', { headers: { ...cookieMode(cookie), origin: 'http://localhost:1' } });

    expectApiError(refused, 403, 'invalid_request');
    expect(setCookies(refused)).toEqual([]);
    expectStatus(await request('POST', '/auth/refresh', { headers: cookieMode(cookie) }), 200);
  });

  test('serves the pages and their assets with the headers docs/openapi.yaml declares', async () => {
    for (const page of ['sign-in', 'sign-up', 'account']) {
      const response = await request('GET', `/pages/${page}?lang=ko`);
      expectStatus(response, 200);
      expect(response.text).toContain('<html lang="ko"');
      for (const asset of response.text.matchAll(/(?:src|href)="assets\/([^"]+)"/g)) {
        expectStatus(await request('GET', `/pages/assets/${asset[1] ?? ''}`), 200);
      }
    }
  });
});
