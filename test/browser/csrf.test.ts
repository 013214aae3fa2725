/**
 * Another origin tries to use a signed-in person's refresh cookie: a page on another port of
 * localhost (a different origin, but the same site, so SameSite=Strict does not stop the browser
 * from sending the cookie: only the service's own checks stand in the way). Each attempt is
 * refused, and afterwards the cookie and the session are exactly as they were.
 *
 * serverless offline answers every preflight itself and reflects any Origin with credentials
 * allowed (README), so here even the credentialed fetch with the custom header gets through CORS
 * and reaches the function: the Origin check alone refuses it, which is what this shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { baseUrl, expectSignedIn, launch, pageUrl, refreshCookie, REFRESH_COOKIE, signedInDevice } from './support';

let browser: Browser;
let attacker: Server;
let attackerOrigin: string;

/** The attacker's pages: an auto-submitting form post, and a credentialed fetch with the custom header. */
function attackerPage(kind: string, path: string): string {
  const target = `${baseUrl()}${path}`;
  if (kind === 'form') {
    return `<!doctype html><form id="f" method="post" action="${target}"><input name="refresh_token" value="x"></form><script>document.getElementById('f').submit()</script>`;
  }
  if (kind === 'frame') return `<!doctype html><iframe src="${pageUrl('account')}"></iframe>`;
  if (kind === 'text-form') {
    return `<!doctype html><form id="f" method="post" enctype="text/plain" action="${target}"><input name='{"refresh_token":"x","a":"' value='"}'></form><script>document.getElementById('f').submit()</script>`;
  }
  return `<!doctype html><p id="out">sending</p><script>
fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', headers: { 'X-Refresh-Token-Transport': 'cookie' } })
  .then((r) => r.text().then((t) => { document.getElementById('out').textContent = 'read: ' + r.status + ' ' + t; }))
  .catch(() => { document.getElementById('out').textContent = 'unreadable'; });
</script>`;
}

beforeAll(async () => {
  browser = await launch();
  attacker = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(attackerPage(url.searchParams.get('kind') ?? 'form', url.searchParams.get('path') ?? '/auth/refresh'));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://localhost:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

/** Opens the attacker's page in the victim's browser and returns the service's answer to its request. */
async function attack(context: BrowserContext, kind: 'form' | 'text-form' | 'fetch', path: string): Promise<{ response: Response; page: Page }> {
  const page = await context.newPage();
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url() === `${baseUrl()}${path}` && candidate.request().method() === 'POST'),
    page.goto(`${attackerOrigin}/?kind=${kind}&path=${encodeURIComponent(path)}`),
  ]);
  return { response, page };
}

describe('a page on another origin', () => {
  test.each([
    ['a form post to refresh', 'form', '/auth/refresh', 415],
    ['a text/plain form post shaped like JSON to refresh', 'text-form', '/auth/refresh', 415],
    ['a form post to logout', 'form', '/auth/logout', 401],
    ['a credentialed fetch with the custom header to refresh', 'fetch', '/auth/refresh', 403],
    ['a credentialed fetch with the custom header to logout', 'fetch', '/auth/logout', 401],
  ] as const)('%s is refused and changes nothing', async (_what, kind, path, status) => {
    const { context, page: account, username } = await signedInDevice(browser);
    const before = await refreshCookie(context);

    const { response, page } = await attack(context, kind, path);

    // The browser did send the cookie (same site): the service's checks refused it.
    expect((await response.request().allHeaders())['cookie']).toContain(`${REFRESH_COOKIE}=`);
    expect(response.status()).toBe(status);
    await page.close();
    expect(await refreshCookie(context)).toEqual(before);
    await account.reload();
    await expectSignedIn(account, username);
    await context.close();
  });

  test('cannot frame the account page (CSP frame-ancestors \'none\'), so it cannot trick clicks on it', async () => {
    const { context } = await signedInDevice(browser);
    const page = await context.newPage();
    const blocked = page.waitForEvent('console', (message) => message.text().includes("frame-ancestors 'none'"));

    await page.goto(`${attackerOrigin}/?kind=frame`);

    await blocked;
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    expect(frame?.url()).toMatch(/^chrome-error:/);
    await context.close();
  });
});
