import type { Messages } from '../i18n';
import { signIn } from './api';
import { byId, goTo, say, whileBusy } from './dom';
import { problemText } from './problems';

/** The sign-in page: signs in in cookie mode, then opens the account page. */
export function signInPage(m: Messages): void {
  const form = byId('sign-in-form', HTMLFormElement);
  const username = byId('username', HTMLInputElement);
  const password = byId('password', HTMLInputElement);
  const error = byId('form-error', HTMLElement);
  const notice = new URLSearchParams(window.location.search).get('notice');
  if (notice === 'signed-out') say(byId('notice', HTMLElement), m.signedOutNotice);
  if (notice === 'ended') say(byId('notice', HTMLElement), m.sessionEndedNotice);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    say(error, '');
    const button = form.querySelector('button') as HTMLButtonElement;
    whileBusy(button, m.signingIn, () => signIn(username.value, password.value))
      .then(() => goTo('account'))
      .catch((problem: unknown) => {
        say(error, problemText(m, problem, { '401': m.wrongCredentials }));
        password.value = '';
        password.focus();
      });
  });
}
