/**
 * The hosted pages and their assets, through the real `pages` and `pageAssets` handlers: headers,
 * language, no inline script or style, the assets' names, types and caching. What the pages do in
 * a browser is test/browser's.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler as pageAssets } from '../../handlers/page-assets';
import { handler as pages } from '../../handlers/pages';
import { ASSETS } from '../../lib/pages/assets';
import { httpEvent, lambdaContext } from '../support/events';
import { expectApiError } from './helpers';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const PAGES = ['sign-in', 'sign-up', 'account'] as const;

const page = (name: string, headers: Record<string, string> = {}, query?: Record<string, string>) =>
  pages(httpEvent({ method: 'GET', resource: `/pages/${name}`, headers, ...(query === undefined ? {} : { query }) }), lambdaContext('pages'));
const asset = (file: string) => pageAssets(httpEvent({ method: 'GET', resource: '/pages/assets/{file}', pathParameters: { file } }), lambdaContext('pageAssets'));
const langOf = (html: string) => /<html lang="([a-z]+)"/.exec(html)?.[1];

describe('the hosted pages', () => {
  it.each(PAGES)('%s is HTML with a strict CSP, nosniff, no Referer and no caching', async (name) => {
    const response = await page(name);

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      Vary: 'Accept-Language',
    });
    expect(response.body).toMatch(/^<!doctype html>/);
  });

  it.each(PAGES)('%s has no inline script, inline style or event-handler attribute, and loads only its own two assets', async (name) => {
    const { body } = await page(name);

    const scripts = [...body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((match) => ({ src: /src="([^"]+)"/.exec(match[1] ?? '')?.[1], inline: match[2] }))).toEqual([{ src: `assets/${ASSETS.script.name}`, inline: '' }]);
    expect(body).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect([...body.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]).filter((url) => !/^(sign-in|sign-up|account)\?lang=(en|ko)$/.test(url ?? ''))).toEqual([
      `assets/${ASSETS.styles.name}`,
      `assets/${ASSETS.script.name}`,
    ]);
  });

  it.each(PAGES)('%s labels every input, and gives every live region a role', async (name) => {
    const { body } = await page(name);

    // Every input a person can reach (a hidden one only feeds password managers the username).
    const inputs = [...body.matchAll(/<input\b[^>]*>/g)].map((match) => match[0]).filter((tag) => !/\shidden\b/.test(tag)).map((tag) => /\sid="([^"]+)"/.exec(tag)?.[1]);
    expect(inputs.length).toBeGreaterThan(name === 'account' ? 2 : 1);
    for (const id of inputs) expect({ id, labelled: body.includes(`<label for="${id}">`) }).toEqual({ id, labelled: true });
    for (const region of body.matchAll(/<p id="[^"]+" class="message[^"]*"([^>]*)>/g)) expect(region[1]).toMatch(/role="(alert|status)"/);
  });

  it('speaks Korean to a browser that prefers it, English otherwise, and ?lang= overrides both', async () => {
    expect(langOf((await page('sign-in', { 'Accept-Language': 'ko-KR,ko;q=0.9,en-US;q=0.8' })).body)).toBe('ko');
    expect(langOf((await page('sign-in', { 'Accept-Language': 'fr-CH, fr;q=0.9, ko;q=0.5' })).body)).toBe('ko');
    expect(langOf((await page('sign-in', { 'Accept-Language': 'fr-CH, de;q=0.9' })).body)).toBe('en');
    expect(langOf((await page('sign-in')).body)).toBe('en');
    expect(langOf((await page('account', { 'Accept-Language': 'ko' }, { lang: 'en' })).body)).toBe('en');
    expect(langOf((await page('account', {}, { lang: 'ko' })).body)).toBe('ko');
    const korean = (await page('sign-in', {}, { lang: 'ko' })).body;
    expect(korean).toContain('<h1>로그인</h1>');
    expect(korean).toContain('<label for="password">비밀번호</label>');
  });

  it('links the sign-up page from sign-in while sign-up is open', async () => {
    expect((await page('sign-in', {}, { lang: 'ko' })).body).toContain('href="sign-up?lang=ko"');
  });

  it('answers 404 for the sign-up page, and shows no link to it, when sign-up is switched off', async () => {
    await withSignupOff(async (handler) => {
      const signUp = await handler(httpEvent({ method: 'GET', resource: '/pages/sign-up' }), lambdaContext('pages'));
      const signIn = await handler(httpEvent({ method: 'GET', resource: '/pages/sign-in' }), lambdaContext('pages'));

      expectApiError(signUp, 404, 'not_found');
      expect(signIn.statusCode).toBe(200);
      expect(signIn.body).not.toContain('sign-up');
    });
  });
});

describe('the pages\' assets', () => {
  it('serves the script and the CSS under their content-hashed names, with their types, cached for a year', async () => {
    const script = await asset(ASSETS.script.name);
    const styles = await asset(ASSETS.styles.name);

    expect(ASSETS.script.name).toMatch(/^pages\.[A-Za-z0-9_-]{12}\.js$/);
    expect(ASSETS.styles.name).toMatch(/^pages\.[A-Za-z0-9_-]{12}\.css$/);
    expect(script.headers).toMatchObject({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    expect(styles.headers).toMatchObject({ 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    expect(script.body).toBe(ASSETS.script.body);
    expect(styles.body).toContain('.visually-hidden');
  });

  it('holds a script that writes no HTML from strings: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval', () => {
    expect(ASSETS.script.body).toContain('X-Refresh-Token-Transport');
    expect(ASSETS.script.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  it.each([['an unknown name', 'pages.js'], ['an old version', 'pages.AAAAAAAAAAAA.js'], ['a path', '../../openapi.json']])('answers 404 for %s', async (_what, file) => {
    expectApiError(await asset(file), 404, 'not_found');
  });
});

/** Loads the pages function afresh, as a new container would, with ALLOW_SIGNUP=false. */
async function withSignupOff(use: (handler: Handler) => Promise<void>): Promise<void> {
  const before = process.env['ALLOW_SIGNUP'];
  process.env['ALLOW_SIGNUP'] = 'false';
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (jest.requireActual('../../handlers/pages') as { handler: Handler }).handler;
    });
    if (handler === undefined) throw new Error('handlers/pages did not load');
    await use(handler);
  } finally {
    if (before === undefined) delete process.env['ALLOW_SIGNUP'];
    else process.env['ALLOW_SIGNUP'] = before;
  }
}
