/**
 * Two tabs of the account page in one browser share one refresh cookie. Refreshing at the same
 * moment both must stay signed in (the service's refresh reuse interval: the tab that loses the
 * race gets the same successor token, and its response sets the same cookie); signing out in one
 * signs the other out on its next request.
 */
import type { Browser, Request, Route } from 'playwright-core';
import { expectOnSignIn, expectSignedIn, launch, openPage, pageUrl, refreshCookie, signedInDevice } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('two tabs of the account page', () => {
  test('refreshing at the same moment, with the same cookie, both stay signed in', async () => {
    const { context, page: first, username } = await signedInDevice(browser);
    const second = await openPage(context, pageUrl('account'));
    await expectSignedIn(second, username);
    const before = await refreshCookie(context);

    // Hold each tab's refresh until both are waiting, then let them go together: both reach the
    // service carrying the one cookie value.
    const held: Route[] = [];
    let releaseBoth: () => void = () => undefined;
    const bothHeld = new Promise<void>((resolve) => {
      releaseBoth = resolve;
    });
    await context.route('**/auth/refresh', async (route) => {
      held.push(route);
      if (held.length === 2) releaseBoth();
      await bothHeld;
      await route.continue();
    });
    const sent: Request[] = [];
    context.on('requestfinished', (request) => {
      if (request.url().endsWith('/auth/refresh')) sent.push(request);
    });

    await Promise.all([first.reload(), second.reload()]);
    await Promise.all([expectSignedIn(first, username), expectSignedIn(second, username)]);
    await context.unroute('**/auth/refresh');

    // It was a race: both requests carried the cookie as it was before either answered.
    const cookiesSent = await Promise.all(sent.map(async (request) => (await request.allHeaders())['cookie']));
    expect(cookiesSent).toEqual([`__Host-refresh_token=${before?.value ?? ''}`, `__Host-refresh_token=${before?.value ?? ''}`]);
    const statuses = await Promise.all(sent.map(async (request) => (await request.response())?.status()));
    expect(statuses).toEqual([200, 200]);
    // Both answers set the same successor, so the cookie is that one whichever was stored last.
    const after = await refreshCookie(context);
    expect(after?.value).not.toBe(before?.value);
    // And both tabs go on working: each calls the API, renewing again through the cookie.
    for (const tab of [first, second]) {
      await tab.reload();
      await expectSignedIn(tab, username);
    }
    expect([...first.problems, ...second.problems]).toEqual([]);
    await context.close();
  });

  test('signing out in one tab signs the other out on its next request', async () => {
    const { context, page: first, username } = await signedInDevice(browser);
    const second = await openPage(context, pageUrl('account'));
    await expectSignedIn(second, username);

    await first.getByRole('button', { name: 'Sign out', exact: true }).last().click();
    await expectOnSignIn(first, 'You are signed out.');

    // The second tab still shows the account; its next request finds the session gone.
    expect(second.url()).toContain('/pages/account');
    await second.getByRole('button', { name: 'Refresh the list' }).click();
    await expectOnSignIn(second, 'Your session has ended. Sign in again.');
    expect(await refreshCookie(context)).toBeUndefined();
    expect([...first.problems, ...second.problems]).toEqual([]);
    await context.close();
  });
});
