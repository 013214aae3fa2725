/**
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser
 * download), the hosted pages of the project's own `npm start` (test/support/browser-global-setup.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Cookie, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REFRESH_COOKIE = '__Host-refresh_token';

/** The service's base URL, e.g. http://localhost:41234/dev */
export function baseUrl(): string {
  const value = process.env['BROWSER_BASE_URL'];
  if (value === undefined || value === '') throw new Error('BROWSER_BASE_URL is not set: run these with `npx jest --selectProjects browser`.');
  return value;
}

export const pageUrl = (page: 'sign-in' | 'sign-up' | 'account', lang?: 'en' | 'ko') => `${baseUrl()}/pages/${page}${lang === undefined ? '' : `?lang=${lang}`}`;

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A fresh browser profile (its own cookies): one person on one device. English unless told. */
export async function newDevice(browser: Browser, locale = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 860, height: 900 } });
}

/**
 * A page that records what a person would not see but a test must: script errors and console
 * errors (a CSP violation is one). Chromium also logs every 4xx answer to a fetch as an error
 * ("Failed to load resource"): refusals the pages expect and handle, so those are not recorded.
 */
export async function openPage(context: BrowserContext, url: string): Promise<Page & { problems: string[] }> {
  const page = (await context.newPage()) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of')) {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  await page.goto(url);
  return page;
}

export const uniqueUsername = (prefix = 'tab') => `${prefix}-${randomBytes(4).toString('hex')}`;
export const newPassword = () => `pw-${randomBytes(9).toString('base64url')}`;

/** Waits (up to 15 s) until the locator matches exactly `count` elements; fails naming the last count. */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let seen = await locator.count();
  while (seen !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await locator.count();
  }
  expect(seen).toBe(count);
}

/** The account page has loaded and shows this account. */
export async function expectSignedIn(page: Page, username: string): Promise<void> {
  await page.waitForURL(/\/pages\/account\b/);
  await page.locator('#account').waitFor({ state: 'visible' });
  expect(await page.locator('#me-username').textContent()).toBe(username);
}

/** The page went to the sign-in page, showing `notice` (or none) in its status region. */
export async function expectOnSignIn(page: Page, notice?: string): Promise<void> {
  await page.waitForURL(/\/pages\/sign-in\b/);
  await page.locator('#sign-in-form').waitFor();
  if (notice !== undefined) await expect(page.locator('#notice').textContent()).resolves.toBe(notice);
}

export async function signUp(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A new account, signed in on a fresh device, its account page open. */
export async function signedInDevice(browser: Browser, username = uniqueUsername(), password = newPassword()) {
  const context = await newDevice(browser);
  const page = await openPage(context, pageUrl('sign-up'));
  await signUp(page, username, password);
  await expectSignedIn(page, username);
  return { context, page, username, password };
}

/** The refresh cookie as the browser holds it (test side: page script can never see it). */
export async function refreshCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies(baseUrl())).find((cookie) => cookie.name === REFRESH_COOKIE);
}

/** No script on the page can read the refresh token: document.cookie holds neither its name nor its value. */
export async function expectCookieHiddenFromScript(page: Page): Promise<void> {
  const cookie = await refreshCookie(page.context());
  const visible = await page.evaluate<string>('document.cookie');
  expect(visible).not.toContain(REFRESH_COOKIE);
  if (cookie !== undefined) expect(visible).not.toContain(cookie.value);
}

/**
 * Saves a screenshot of the page: under docs/screenshots/ with UPDATE_SCREENSHOTS=1 (then commit
 * them), otherwise in a temporary folder, so `npm test` leaves the work tree as it found it.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env['UPDATE_SCREENSHOTS'] === '1' ? join(__dirname, '../../docs/screenshots') : join(tmpdir(), 'serverless-auth-screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  expect(statSync(path).size).toBeLessThan(250_000); // small enough to commit
  return path;
}
