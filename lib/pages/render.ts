import { PageNotFoundError, SignupDisabledError } from '../errors';
import { ASSETS } from './assets';
import { LANGUAGES, messagesFor, type Language, type Messages } from './i18n';

/*
 * The hosted pages' HTML. The server writes only our own strings (escaped all the same); what
 * comes from the API (names, sessions, error descriptions) is filled in by the page script with
 * textContent. No inline script or style: the Content-Security-Policy forbids both.
 */

export const PAGES = ['sign-in', 'sign-up', 'account'] as const;
export type Page = (typeof PAGES)[number];

/** The page an API Gateway resource (`/pages/sign-in`) serves. */
export function pageOf(resource: string): Page {
  const name = resource.replace(/^\/pages\//, '');
  if (!(PAGES as readonly string[]).includes(name)) throw new PageNotFoundError();
  return name as Page;
}

export interface PageSettings {
  readonly signUpOpen: boolean;
}

/** One page in one language. The sign-up page exists only while sign-up is open. */
export function renderPage(page: Page, language: Language, settings: PageSettings): string {
  if (page === 'sign-up' && !settings.signUpOpen) throw new SignupDisabledError();
  const m = messagesFor(language);
  const link = (target: Page) => `${target}?lang=${language}`;
  const bodies: Record<Page, () => { title: string; main: string }> = {
    'sign-in': () => ({ title: m.signInTitle, main: signIn(m, settings.signUpOpen ? link('sign-up') : undefined) }),
    'sign-up': () => ({ title: m.signUpTitle, main: signUp(m, link('sign-in')) }),
    account: () => ({ title: m.accountTitle, main: account(m) }),
  };
  const { title, main } = bodies[page]();
  return layout(page, language, m, title, main);
}

function layout(page: Page, language: Language, m: Messages, title: string, main: string): string {
  const switches = (Object.keys(LANGUAGES) as Language[])
    .map((code) => {
      const current = code === language ? ' aria-current="true"' : '';
      return `<li><a href="${page}?lang=${code}" lang="${code}" hreflang="${code}"${current}>${escape(LANGUAGES[code].languageName)}</a></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="${language}" data-page="${page}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · serverless-auth</title>
<link rel="stylesheet" href="assets/${ASSETS.styles.name}">
<script src="assets/${ASSETS.script.name}" defer></script>
</head>
<body>
<header class="bar">
<span class="brand">serverless-auth</span>
<nav aria-label="${escape(m.languageSwitch)}"><ul class="languages">${switches}</ul></nav>
</header>
<main>
<h1>${escape(title)}</h1>
<noscript><p class="message error">${escape(m.noScript)}</p></noscript>
${main}
</main>
</body>
</html>
`;
}

function field(id: string, label: string, attributes: string, hint?: string): string {
  const hintId = `${id}-hint`;
  const described = hint === undefined ? '' : ` aria-describedby="${hintId}"`;
  const hintText = hint === undefined ? '' : `<p class="hint" id="${hintId}">${escape(hint)}</p>`;
  return `<div class="field"><label for="${id}">${escape(label)}</label><input id="${id}" name="${id}" ${attributes}${described}>${hintText}</div>`;
}

const USERNAME = 'type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="256"';
const password = (autocomplete: 'current-password' | 'new-password') => `type="password" autocomplete="${autocomplete}" required maxlength="1024"`;

/** A live region: empty until the script announces something (role=alert for errors, status otherwise). */
const announcer = (id: string, kind: 'alert' | 'status') =>
  `<p id="${id}" class="message ${kind === 'alert' ? 'error' : 'notice'}" role="${kind}" aria-live="${kind === 'alert' ? 'assertive' : 'polite'}"></p>`;

function signIn(m: Messages, signUpLink: string | undefined): string {
  const signUp = signUpLink === undefined ? '' : `<p>${escape(m.noAccount)} <a href="${signUpLink}">${escape(m.createAccountLink)}</a></p>`;
  return `${announcer('notice', 'status')}
<form id="sign-in-form" method="post" class="card">
${field('username', m.username, USERNAME)}
${field('password', m.password, password('current-password'))}
${announcer('form-error', 'alert')}
<button type="submit">${escape(m.signInButton)}</button>
</form>
${signUp}`;
}

function signUp(m: Messages, signInLink: string): string {
  return `<form id="sign-up-form" method="post" class="card">
${field('username', m.username, USERNAME, m.usernameHint)}
${field('password', m.password, password('new-password'), m.passwordHint)}
${field('password-repeat', m.repeatPassword, password('new-password'))}
${announcer('form-error', 'alert')}
<button type="submit">${escape(m.signUpButton)}</button>
</form>
<p>${escape(m.haveAccount)} <a href="${signInLink}">${escape(m.signInLink)}</a></p>`;
}

function account(m: Messages): string {
  return `<p id="status" role="status" aria-live="polite">${escape(m.loading)}</p>
<div id="account" hidden>
<section class="card" aria-labelledby="who-title">
<h2 id="who-title">${escape(m.whoTitle)}</h2>
<dl class="facts">
<dt>${escape(m.username)}</dt><dd id="me-username"></dd>
<dt>${escape(m.rolesLabel)}</dt><dd id="me-roles"></dd>
<dt>${escape(m.permissionsLabel)}</dt><dd id="me-permissions"></dd>
<dt>${escape(m.accountIdLabel)}</dt><dd id="me-id" class="mono"></dd>
</dl>
</section>
<section class="card" aria-labelledby="sessions-title">
<h2 id="sessions-title">${escape(m.sessionsTitle)}</h2>
<table class="sessions">
<thead><tr><th scope="col">${escape(m.deviceColumn)}</th><th scope="col">${escape(m.createdColumn)}</th><th scope="col">${escape(m.lastUsedColumn)}</th><th scope="col"><span class="visually-hidden">${escape(m.actionsColumn)}</span></th></tr></thead>
<tbody id="sessions"></tbody>
</table>
${announcer('sessions-notice', 'status')}
${announcer('sessions-error', 'alert')}
<button type="button" id="reload-sessions" class="secondary">${escape(m.reloadSessions)}</button>
</section>
<section class="card" aria-labelledby="password-title">
<h2 id="password-title">${escape(m.changePasswordTitle)}</h2>
<form id="password-form" method="post">
<input type="text" id="password-form-username" autocomplete="username" hidden>
${field('current-password', m.currentPassword, password('current-password'))}
${field('new-password', m.newPassword, password('new-password'), m.passwordHint)}
${field('new-password-repeat', m.repeatNewPassword, password('new-password'))}
${announcer('password-error', 'alert')}
${announcer('password-notice', 'status')}
<button type="submit">${escape(m.changePasswordButton)}</button>
</form>
</section>
<section class="card" aria-labelledby="sign-out-title">
<h2 id="sign-out-title">${escape(m.signOutTitle)}</h2>
${announcer('sign-out-error', 'alert')}
<div class="actions">
<button type="button" id="sign-out">${escape(m.signOut)}</button>
<button type="button" id="sign-out-everywhere" class="secondary" aria-describedby="sign-out-everywhere-hint">${escape(m.signOutEverywhere)}</button>
</div>
<p class="hint" id="sign-out-everywhere-hint">${escape(m.signOutEverywhereHint)}</p>
</section>
</div>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value, made inert in HTML. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}
