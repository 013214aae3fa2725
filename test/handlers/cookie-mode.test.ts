/**
 * Cookie mode and its CSRF defence (lib/http/refresh-cookie.ts), through the real login, refresh,
 * logout and logout-all handlers on DynamoDB Local. Requests look as API Gateway passes on what a
 * browser sent to https://<api>/dev: Host, X-Forwarded-Proto: https and the page's Origin.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { handler as login } from '../../handlers/login';
import { handler as logout } from '../../handlers/logout';
import { handler as logoutAll } from '../../handlers/logout-all';
import { handler as refresh } from '../../handlers/refresh';
import { config } from '../../lib/dependencies/config';
import { CrossSiteRequestError } from '../../lib/errors';
import { refreshTransportOf } from '../../lib/http/refresh-cookie';
import { authorizedEvent, bodyOf, httpEvent, lambdaContext, type HttpEventInput } from '../support/events';
import { expectApiError, PASSWORD, registerUser } from './helpers';

const HOST = 'abcdef1234.execute-api.us-east-1.amazonaws.com';
const OWN_ORIGIN = `https://${HOST}`;
const COOKIE_HEADERS = { Host: HOST, 'X-Forwarded-Proto': 'https', Origin: OWN_ORIGIN, 'X-Refresh-Token-Transport': 'cookie' };
const COOKIE = /^__Host-refresh_token=([A-Za-z0-9_-]{86,}); HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=(\d+)$/;
const CLEARED = '__Host-refresh_token=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0';

/** The one Set-Cookie value of a response, or undefined when it sets none. */
function setCookieOf(response: APIGatewayProxyResult): string | undefined {
  const single = Object.entries(response.headers ?? {}).filter(([name]) => name.toLowerCase() === 'set-cookie');
  const multi = Object.entries(response.multiValueHeaders ?? {}).filter(([name]) => name.toLowerCase() === 'set-cookie');
  const values = [...single.map(([, value]) => String(value)), ...multi.flatMap(([, values]) => values.map(String))];
  expect(values.length).toBeLessThanOrEqual(1);
  return values[0];
}

/** The token and Max-Age of a refresh cookie, checking every attribute exactly. */
function cookieOf(response: APIGatewayProxyResult): { token: string; maxAge: number } {
  const match = COOKIE.exec(setCookieOf(response) ?? '');
  if (match === null) throw new Error(`not a refresh cookie: ${String(setCookieOf(response))}`);
  return { token: match[1] ?? '', maxAge: Number(match[2]) };
}

const without = (headers: Record<string, string>, name: string) => Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
const withCookie = (token: string, headers: Record<string, string> = COOKIE_HEADERS) => ({ ...headers, Cookie: `theme=dark; __Host-refresh_token=${token}` });

async function cookieLogin(username: string, input: Partial<HttpEventInput> = {}): Promise<APIGatewayProxyResult> {
  return login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password: PASSWORD }, headers: COOKIE_HEADERS, ...input }), lambdaContext());
}

const refreshWith = (headers: Record<string, string>, body: Partial<HttpEventInput> = {}) =>
  refresh(httpEvent({ method: 'POST', resource: '/auth/refresh', headers, ...body }), lambdaContext());

/** A new account logged in in cookie mode: its cookie token and access token. */
async function signedIn(): Promise<{ username: string; cookie: string; access: string; response: APIGatewayProxyResult }> {
  const { username } = await registerUser();
  const response = await cookieLogin(username);
  expect(response.statusCode).toBe(200);
  return { username, cookie: cookieOf(response).token, access: bodyOf<{ access_token: string }>(response).access_token, response };
}

/** Proves the session still stands with exactly this cookie: a cookie-mode refresh rotates it. */
async function expectStillWorks(cookie: string): Promise<void> {
  const response = await refreshWith(withCookie(cookie));
  expect(response.statusCode).toBe(200);
  expect(cookieOf(response).token).not.toBe(cookie);
}

describe('cookie mode', () => {
  it('login puts the refresh token only in a __Host- cookie with exactly HttpOnly; Secure; SameSite=Strict; Path=/ and the session\'s life as Max-Age', async () => {
    const { response } = await signedIn();

    const body = bodyOf(response);
    const { maxAge } = cookieOf(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(maxAge).toBeLessThanOrEqual(config().refreshTokenTtlSeconds);
    expect(maxAge).toBeGreaterThan(config().refreshTokenTtlSeconds - 5);
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });

  it('works for a form login too', async () => {
    const { username } = await registerUser();
    const response = await login(
      httpEvent({ method: 'POST', resource: '/auth/login', form: { username, password: PASSWORD }, headers: COOKIE_HEADERS }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)['refresh_token']).toBeUndefined();
    expect(cookieOf(response).token).toMatch(/^[A-Za-z0-9_-]{86,}$/);
  });

  it('refresh reads the cookie and sets the rotated one, never putting a token in the body; Max-Age counts down to the session\'s end', async () => {
    const { cookie, response: first } = await signedIn();

    const response = await refreshWith(withCookie(cookie));

    expect(response.statusCode).toBe(200);
    expect(Object.keys(bodyOf(response)).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    const rotated = cookieOf(response);
    expect(rotated.token).not.toBe(cookie);
    expect(rotated.maxAge).toBeLessThanOrEqual(cookieOf(first).maxAge);
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });

  it('two tabs refreshing with the one cookie at the same moment both get the rotated cookie: the same successor (reuse interval)', async () => {
    const { cookie } = await signedIn();

    const [first, second] = await Promise.all([refreshWith(withCookie(cookie)), refreshWith(withCookie(cookie))]);

    expect([first?.statusCode, second?.statusCode]).toEqual([200, 200]);
    const [a, b] = [cookieOf(first as APIGatewayProxyResult), cookieOf(second as APIGatewayProxyResult)];
    expect(a.token).toBe(b.token);
    expect(a.token).not.toBe(cookie);
    await expectStillWorks(a.token);
  });

  it('a refused refresh sets no cookie at all, so it cannot clear one another tab has just rotated', async () => {
    const { cookie } = await signedIn();
    const unknown = `${cookie.slice(0, 40)}${'A'.repeat(cookie.length - 40)}`;

    const response = await refreshWith(withCookie(unknown));

    expectApiError(response, 401, 'invalid_grant');
    expect(setCookieOf(response)).toBeUndefined();
  });

  it('logout ends the session and clears the cookie with the same attributes', async () => {
    const { cookie, access } = await signedIn();

    const response = await logout(
      await authorizedEvent(access, { method: 'POST', resource: '/auth/logout', headers: withCookie(cookie) }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(204);
    expect(setCookieOf(response)).toBe(CLEARED);
    expectApiError(await refreshWith(withCookie(cookie)), 401, 'invalid_grant');
  });

  it('logout-all clears the cookie too', async () => {
    const { cookie, access } = await signedIn();

    const response = await logoutAll(
      await authorizedEvent(access, { method: 'POST', resource: '/auth/logout-all', headers: withCookie(cookie) }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(204);
    expect(setCookieOf(response)).toBe(CLEARED);
    expectApiError(await refreshWith(withCookie(cookie)), 401, 'invalid_grant');
  });

  it('leaves bearer clients as they were: the refresh token in the body, no cookie', async () => {
    const { username } = await registerUser();

    const response = await login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password: PASSWORD } }), lambdaContext());
    const refreshed = await refreshWith({}, { json: { refresh_token: bodyOf<{ refresh_token: string }>(response).refresh_token } });

    for (const answer of [response, refreshed]) {
      expect(answer.statusCode).toBe(200);
      expect(typeof bodyOf(answer)['refresh_token']).toBe('string');
      expect(setCookieOf(answer)).toBeUndefined();
    }
  });
});

describe('the CSRF defence of cookie mode', () => {
  it('without the header the cookie is never read: a refresh with only the cookie is a 400 naming the header, and changes nothing', async () => {
    const { cookie } = await signedIn();
    const noHeader = without(COOKIE_HEADERS, 'X-Refresh-Token-Transport');

    const response = await refreshWith(withCookie(cookie, noHeader));

    expectApiError(response, 400, 'invalid_request');
    expect(bodyOf(response)['error_description']).toContain('X-Refresh-Token-Transport');
    expect(setCookieOf(response)).toBeUndefined();
    await expectStillWorks(cookie);
  });

  // (A form post to logout never reaches the function: it has no Authorization header, so the
  // authorizer in front refuses it; the browser test checks that end to end.)
  it.each([
    ['application/x-www-form-urlencoded', 'refresh_token=x'],
    ['text/plain', '{"refresh_token":"x"}'],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="refresh_token"\r\n\r\nx\r\n--b--'],
  ])('a cross-site form post to refresh (%s, no header, a foreign Origin) changes nothing', async (type, body) => {
    const { cookie } = await signedIn();
    const crossSite = { Host: HOST, 'X-Forwarded-Proto': 'https', Origin: 'https://evil.example', Cookie: `__Host-refresh_token=${cookie}`, 'Content-Type': type };

    const response = await refreshWith(crossSite, { body });

    expectApiError(response, 415, 'unsupported_media_type');
    expect(setCookieOf(response)).toBeUndefined();
    await expectStillWorks(cookie);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['the service over plain http', `http://${HOST}`],
    ['another port of the same host', `https://${HOST}:8443`],
    ['the opaque origin', 'null'],
  ])('refuses cookie mode from %s with 403, before anything changes', async (_name, origin) => {
    const { cookie } = await signedIn();

    const response = await refreshWith(withCookie(cookie, { ...COOKIE_HEADERS, Origin: origin }));

    expectApiError(response, 403, 'invalid_request');
    expect(setCookieOf(response)).toBeUndefined();
    await expectStillWorks(cookie);
  });

  it('refuses cookie mode without an Origin header', async () => {
    const { cookie } = await signedIn();
    const noOrigin = without(COOKIE_HEADERS, 'Origin');

    expectApiError(await refreshWith(withCookie(cookie, noOrigin)), 403, 'invalid_request');
    await expectStillWorks(cookie);
  });

  it('refuses a cookie-mode login from another origin, setting no cookie', async () => {
    const { username } = await registerUser();

    const response = await cookieLogin(username, { headers: { ...COOKIE_HEADERS, Origin: 'https://evil.example' } });

    expectApiError(response, 403, 'invalid_request');
    expect(setCookieOf(response)).toBeUndefined();
  });

  it('refuses a cookie-mode logout from another origin even with a valid access token: the session stays', async () => {
    const { cookie, access } = await signedIn();

    const response = await logout(
      await authorizedEvent(access, { method: 'POST', resource: '/auth/logout', headers: withCookie(cookie, { ...COOKIE_HEADERS, Origin: 'https://evil.example' }) }),
      lambdaContext(),
    );

    expectApiError(response, 403, 'invalid_request');
    expect(setCookieOf(response)).toBeUndefined();
    await expectStillWorks(cookie);
  });

  it.each([
    ['in cookie mode', COOKIE_HEADERS],
    ['in body mode', { Host: HOST }],
  ])('refuses a refresh token in both the cookie and the body (%s) with a clear 400, changing nothing', async (_mode, headers) => {
    const { cookie } = await signedIn();

    const response = await refreshWith(withCookie(cookie, headers), { json: { refresh_token: cookie } });

    expectApiError(response, 400, 'invalid_request');
    expect(bodyOf(response)['error_description']).toBe('Send the refresh token in the body or in the cookie, not both.');
    await expectStillWorks(cookie);
  });

  it('refuses a logout with a token in both the cookie and the body', async () => {
    const { cookie, access } = await signedIn();

    const response = await logout(
      await authorizedEvent(access, { method: 'POST', resource: '/auth/logout', headers: withCookie(cookie), json: { refresh_token: cookie } }),
      lambdaContext(),
    );

    expectApiError(response, 400, 'invalid_request');
    await expectStillWorks(cookie);
  });

  it('refuses a body token in cookie mode, a cookie-mode refresh without the cookie, an unknown mode and a doubled cookie', async () => {
    const { cookie } = await signedIn();

    const bodyToken = await refreshWith(COOKIE_HEADERS, { json: { refresh_token: cookie } });
    const noCookie = await refreshWith(COOKIE_HEADERS);
    const unknownMode = await refreshWith(withCookie(cookie, { ...COOKIE_HEADERS, 'X-Refresh-Token-Transport': 'header' }));
    const doubled = await refreshWith({ ...COOKIE_HEADERS, Cookie: `__Host-refresh_token=${cookie}; __Host-refresh_token=${cookie}` });

    for (const response of [bodyToken, noCookie, unknownMode, doubled]) expectApiError(response, 400, 'invalid_request');
    await expectStillWorks(cookie);
  });
});

describe('which Origin cookie mode accepts', () => {
  const event = (origin: string, headers: Record<string, string> = {}) =>
    httpEvent({ method: 'POST', resource: '/auth/refresh', headers: { Host: 'auth.example.com', 'X-Refresh-Token-Transport': 'cookie', Origin: origin, ...headers } });
  const mode = (origin: string, allowed: string, headers: Record<string, string> = {}) => {
    try {
      return refreshTransportOf(event(origin, headers), allowed).mode;
    } catch (error) {
      return error instanceof CrossSiteRequestError ? 'refused' : error;
    }
  };

  it('the one configured CORS origin, and the service\'s own origin on the scheme it was reached by', () => {
    expect(mode('https://app.example.com', 'https://app.example.com', { 'X-Forwarded-Proto': 'https' })).toBe('cookie');
    expect(mode('https://auth.example.com', '*', { 'X-Forwarded-Proto': 'https' })).toBe('cookie');
    expect(mode('http://auth.example.com', '*')).toBe('cookie'); // serverless offline sets no X-Forwarded-Proto
  });

  it('nothing else: not any origin under *, not another scheme, not a second Origin header', () => {
    expect(mode('https://app.example.com', '*', { 'X-Forwarded-Proto': 'https' })).toBe('refused');
    expect(mode('*', '*')).toBe('refused');
    expect(mode('http://auth.example.com', '*', { 'X-Forwarded-Proto': 'https' })).toBe('refused');
    expect(mode('https://other.example.com', 'https://app.example.com', { 'X-Forwarded-Proto': 'https' })).toBe('refused');
    const twice = event('https://auth.example.com', { 'X-Forwarded-Proto': 'https' });
    twice.multiValueHeaders['Origin'] = ['https://auth.example.com', 'https://evil.example'];
    expect(() => refreshTransportOf(twice, '*')).toThrow('Cookie mode needs an Origin');
  });
});
