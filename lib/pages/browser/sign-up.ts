import type { Messages } from '../i18n';
import { register, signIn } from './api';
import { byId, goTo, say, whileBusy } from './dom';
import { problemText } from './problems';

/** The sign-up page: creates the account, signs in in cookie mode, opens the account page. */
export function signUpPage(m: Messages): void {
  const form = byId('sign-up-form', HTMLFormElement);
  const username = byId('username', HTMLInputElement);
  const password = byId('password', HTMLInputElement);
  const repeat = byId('password-repeat', HTMLInputElement);
  const error = byId('form-error', HTMLElement);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    if (password.value !== repeat.value) {
      say(error, m.passwordsDiffer);
      repeat.focus();
      return;
    }
    say(error, '');
    const button = form.querySelector('button') as HTMLButtonElement;
    whileBusy(button, m.creatingAccount, async () => {
      await register(username.value, password.value);
      await signIn(username.value, password.value);
    })
      .then(() => goTo('account'))
      .catch((problem: unknown) => {
        say(error, problemText(m, problem, { '409': m.usernameTaken, '404': m.signUpClosed }));
        username.focus();
      });
  });
}
