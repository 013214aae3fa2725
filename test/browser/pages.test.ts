/**
 * A person using the hosted pages in Chromium: sign up, stay signed in across a reload, see and end
 * sessions, change the password, sign out, sign in (with the keyboard alone), and Korean. At every
 * step no page script can read the refresh token and no page breaks its Content-Security-Policy.
 */
import type { Browser } from 'playwright-core';
import {
  expectCookieHiddenFromScript,
  expectCount,
  expectOnSignIn,
  expectSignedIn,
  launch,
  newDevice,
  newPassword,
  openPage,
  pageUrl,
  refreshCookie,
  screenshot,
  signIn,
  signUp,
  signedInDevice,
  uniqueUsername,
} from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the hosted pages in a browser', () => {
  test('sign up, stay signed in across reloads, with the refresh token out of every script\'s reach', async () => {
    const context = await newDevice(browser);
    const page = await openPage(context, pageUrl('sign-up'));
    const username = uniqueUsername('signup');
    await screenshot(page, 'sign-up');

    await signUp(page, username, newPassword());

    await expectSignedIn(page, username);
    expect(await page.locator('#status').textContent()).toBe(`Signed in as ${username}.`);
    const cookie = await refreshCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' });
    // Max-Age is the session's life (REFRESH_TOKEN_TTL, 30 days by default) from now.
    expect((cookie?.expires ?? 0) - Date.now() / 1000).toBeGreaterThan(30 * 86_400 - 600);
    await expectCookieHiddenFromScript(page);
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);

    await page.reload();
    await expectSignedIn(page, username);
    // The reload renewed the access token through the cookie, which rotated.
    expect((await refreshCookie(context))?.value).not.toBe(cookie?.value);
    await expectCookieHiddenFromScript(page);
    await page.goto(pageUrl('account'));
    await expectSignedIn(page, username);
    expect(page.problems).toEqual([]);
    await context.close();
  });

  test('lists the sessions with this one marked, ends another device\'s, which then finds itself signed out', async () => {
    const laptop = await signedInDevice(browser);
    const phone = await newDevice(browser);
    const phonePage = await openPage(phone, pageUrl('sign-in'));
    await signIn(phonePage, laptop.username, laptop.password);
    await expectSignedIn(phonePage, laptop.username);

    await laptop.page.getByRole('button', { name: 'Refresh the list' }).click();
    const rows = laptop.page.locator('#sessions tr');
    await expectCount(rows, 2);
    await expectCount(rows.filter({ hasText: 'This browser' }), 1);
    await screenshot(laptop.page, 'account');
    await rows.filter({ hasNotText: 'This browser' }).getByRole('button', { name: /^End the session of/ }).click();

    await laptop.page.getByText('The session has ended.').waitFor();
    await expectCount(rows, 1);
    await phonePage.getByRole('button', { name: 'Refresh the list' }).click();
    await expectOnSignIn(phonePage, 'Your session has ended. Sign in again.');
    expect([...laptop.page.problems, ...phonePage.problems]).toEqual([]);
    await Promise.all([laptop.context.close(), phone.close()]);
  });

  test('changes the password: a wrong current one is announced, the right one signs the other sessions out', async () => {
    const laptop = await signedInDevice(browser);
    const phone = await newDevice(browser);
    const phonePage = await openPage(phone, pageUrl('sign-in'));
    await signIn(phonePage, laptop.username, laptop.password);
    await expectSignedIn(phonePage, laptop.username);
    const page = laptop.page;
    const next = newPassword();

    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('Repeat the new password').fill(next);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#password-error').filter({ hasText: 'The current password is incorrect.' }).waitFor();
    expect(await page.locator('#password-error').getAttribute('role')).toBe('alert');

    await page.getByLabel('Current password').fill(laptop.password);
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('Repeat the new password').fill(next);
    await page.getByRole('button', { name: 'Change password' }).click();

    await page.getByText('Password changed. Your other sessions were signed out.').waitFor();
    await expectCount(page.locator('#sessions tr'), 1);
    await phonePage.reload();
    await expectOnSignIn(phonePage);
    await signIn(phonePage, laptop.username, next);
    await expectSignedIn(phonePage, laptop.username);
    expect([...page.problems, ...phonePage.problems]).toEqual([]);
    await Promise.all([laptop.context.close(), phone.close()]);
  });

  test('signs out: the cookie is gone, the account page sends you to sign in, and the sign-in page works with the keyboard alone', async () => {
    const { context, page, username, password } = await signedInDevice(browser);

    await page.getByRole('button', { name: 'Sign out', exact: true }).last().click();

    await expectOnSignIn(page, 'You are signed out.');
    expect(await refreshCookie(context)).toBeUndefined();
    await page.goto(pageUrl('account'));
    await expectOnSignIn(page);
    await screenshot(page, 'sign-in');

    // A wrong password first: the error is announced (role=alert) and focus returns to the field.
    await page.locator('#username').focus();
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password!');
    await page.keyboard.press('Enter');
    await page.locator('#form-error').filter({ hasText: 'The username or password is incorrect.' }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('password');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');

    await expectSignedIn(page, username);
    await expectCookieHiddenFromScript(page);
    expect(page.problems).toEqual([]);
    await context.close();
  });

  test('signing out everywhere ends the other devices too', async () => {
    const laptop = await signedInDevice(browser);
    const phone = await newDevice(browser);
    const phonePage = await openPage(phone, pageUrl('sign-in'));
    await signIn(phonePage, laptop.username, laptop.password);
    await expectSignedIn(phonePage, laptop.username);

    await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();

    await expectOnSignIn(laptop.page, 'You are signed out.');
    expect(await refreshCookie(laptop.context)).toBeUndefined();
    await phonePage.getByRole('button', { name: 'Refresh the list' }).click();
    await expectOnSignIn(phonePage, 'Your session has ended. Sign in again.');
    await Promise.all([laptop.context.close(), phone.close()]);
  });

  test('speaks Korean to a Korean browser, and switches language with the link on every page', async () => {
    const context = await newDevice(browser, 'ko-KR');
    const page = await openPage(context, pageUrl('sign-in'));
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    expect(await page.locator('h1').textContent()).toBe('로그인');

    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.getByRole('link', { name: '한국어' }).click();
    await page.getByRole('link', { name: '계정 만들기' }).click();
    const username = uniqueUsername('ko');
    await page.getByLabel('사용자 이름').fill(username);
    const password = newPassword();
    await page.getByLabel('비밀번호', { exact: true }).fill(password);
    await page.getByLabel('비밀번호 확인').fill(password);
    await page.getByRole('button', { name: '계정 만들기' }).click();

    await expectSignedIn(page, username);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    expect(await page.locator('#status').textContent()).toBe(`${username}(으)로 로그인했습니다.`);
    expect(await page.locator('#sessions tr .badge').textContent()).toBe('이 브라우저');
    await screenshot(page, 'account-ko');
    await page.getByRole('button', { name: '로그아웃', exact: true }).last().click();
    await expectOnSignIn(page, '로그아웃되었습니다.');
    expect(page.problems).toEqual([]);
    await context.close();
  });
});
