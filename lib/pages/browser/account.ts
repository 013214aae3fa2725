import { format, type Messages } from '../i18n';
import { ApiProblem, Session, SignedOut } from './api';
import { byId, element, goTo, pageLanguage, say, whileBusy } from './dom';
import { problemText } from './problems';

interface Me {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
}

interface SessionItem {
  readonly id: string;
  readonly created_at: string;
  readonly last_used_at: string;
  readonly user_agent: string | null;
  readonly current: boolean;
}

/**
 * The account page: who you are, your sessions (this one marked, each can be ended), password
 * change, sign out here or everywhere. It opens by renewing the access token through the cookie;
 * whenever the session turns out to be gone (signed out in another tab, ended elsewhere) it goes
 * to the sign-in page.
 */
export async function accountPage(m: Messages): Promise<void> {
  const session = new Session(() => goTo('sign-in', 'ended'));
  const dates = new Intl.DateTimeFormat(pageLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
  const status = byId('status', HTMLElement);

  /** Runs one user action; a lost session ends on the sign-in page, anything else is reported in `region`. */
  const act = async (region: HTMLElement, work: () => Promise<void>, known: Record<string, string> = {}): Promise<void> => {
    say(region, '');
    try {
      await work();
    } catch (problem) {
      if (problem instanceof SignedOut) goTo('sign-in', 'ended');
      else say(region, problemText(m, problem, known));
    }
  };

  const showMe = async () => {
    const me = (await session.call('GET', 'me')) as Me;
    byId('me-username', HTMLElement).textContent = me.username;
    byId('me-roles', HTMLElement).textContent = me.roles.join(', ');
    byId('me-permissions', HTMLElement).textContent = me.permissions.join(', ');
    byId('me-id', HTMLElement).textContent = me.id;
    byId('password-form-username', HTMLInputElement).value = me.username; // for password managers
    say(status, format(m.signedInAs, { username: me.username }));
  };

  const sessionsError = byId('sessions-error', HTMLElement);
  const sessionsNotice = byId('sessions-notice', HTMLElement);
  const showSessions = async () => {
    const { items } = (await session.call('GET', 'me/sessions')) as { items: SessionItem[] };
    byId('sessions', HTMLTableSectionElement).replaceChildren(...items.map(sessionRow));
  };

  const sessionRow = (item: SessionItem): HTMLTableRowElement => {
    const device = item.user_agent ?? m.unknownDevice;
    const created = dates.format(new Date(item.created_at));
    const row = element('tr', undefined, { 'data-session': item.id });
    const deviceCell = element('td', device);
    if (item.current) deviceCell.append(element('span', m.thisBrowser, { class: 'badge' }));
    const button = element('button', item.current ? m.signOut : m.endSession, {
      type: 'button',
      'aria-label': item.current ? m.signOut : format(m.endSessionLabel, { device, date: created }),
    });
    button.addEventListener('click', () => {
      if (item.current) {
        void signOut(false, button);
        return;
      }
      void whileBusy(button, undefined, () =>
        act(sessionsError, async () => {
          try {
            await session.call('DELETE', `me/sessions/${encodeURIComponent(item.id)}`);
            say(sessionsNotice, m.sessionEnded);
          } catch (problem) {
            // Already gone (ended elsewhere): the list below shows it.
            if (!(problem instanceof ApiProblem && problem.status === 404)) throw problem;
          }
          await showSessions();
          byId('reload-sessions', HTMLButtonElement).focus();
        }),
      );
    });
    row.append(deviceCell, element('td', created), element('td', dates.format(new Date(item.last_used_at))), element('td'));
    row.lastElementChild?.append(button);
    return row;
  };

  const signOutError = byId('sign-out-error', HTMLElement);
  const signOut = (everywhere: boolean, button: HTMLButtonElement) =>
    whileBusy(button, undefined, () =>
      act(signOutError, async () => {
        await session.signOut(everywhere);
        goTo('sign-in', 'signed-out');
      }),
    );

  const passwordForm = byId('password-form', HTMLFormElement);
  const passwordError = byId('password-error', HTMLElement);
  const passwordNotice = byId('password-notice', HTMLElement);
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!passwordForm.reportValidity()) return;
    say(passwordNotice, '');
    const current = byId('current-password', HTMLInputElement);
    const next = byId('new-password', HTMLInputElement);
    const repeat = byId('new-password-repeat', HTMLInputElement);
    if (next.value !== repeat.value) {
      say(passwordError, m.passwordsDiffer);
      repeat.focus();
      return;
    }
    const button = passwordForm.querySelector('button') as HTMLButtonElement;
    void whileBusy(button, undefined, () =>
      act(
        passwordError,
        async () => {
          await session.call('POST', 'me/password', { current_password: current.value, new_password: next.value });
          passwordForm.reset();
          say(passwordNotice, m.passwordChanged);
          await showSessions();
        },
        { '401 invalid_grant': m.wrongCurrentPassword },
      ),
    );
  });

  const reload = byId('reload-sessions', HTMLButtonElement);
  reload.addEventListener('click', () => {
    say(sessionsNotice, '');
    void whileBusy(reload, undefined, () => act(sessionsError, showSessions));
  });
  const here = byId('sign-out', HTMLButtonElement);
  const everywhere = byId('sign-out-everywhere', HTMLButtonElement);
  here.addEventListener('click', () => void signOut(false, here));
  everywhere.addEventListener('click', () => void signOut(true, everywhere));

  try {
    await session.renew();
  } catch (problem) {
    // No session to resume: this is simply a visitor who has not signed in.
    if (problem instanceof SignedOut) goTo('sign-in');
    else say(status, problemText(m, problem));
    return;
  }
  await act(status, async () => {
    await Promise.all([showMe(), showSessions()]);
    byId('account', HTMLElement).hidden = false;
  });
}
