/*
 * The hosted pages' script (bundled by esbuild into one file, served under a content-hashed
 * name). The server names the page and its language on <html>; every string comes from
 * lib/pages/i18n; everything from the API is inserted as text.
 */
import { DEFAULT_LANGUAGE, isLanguage, messagesFor } from '../i18n';
import { accountPage } from './account';
import { signInPage } from './sign-in';
import { signUpPage } from './sign-up';

function start(): void {
  const root = document.documentElement;
  const language = isLanguage(root.lang) ? root.lang : DEFAULT_LANGUAGE;
  const m = messagesFor(language);
  const page = root.dataset['page'];
  if (page === 'sign-in') signInPage(m);
  else if (page === 'sign-up') signUpPage(m);
  else if (page === 'account') void accountPage(m);
}

start();
