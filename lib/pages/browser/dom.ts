/** Small DOM helpers for the pages. Text only ever goes in through textContent. */

/** The element with this id, of the expected kind; a page without it is a bug in render.ts. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The page has no #${id}.`);
  return element;
}

/** Writes a message into a live region (role=alert or role=status), which screen readers announce. */
export function say(region: HTMLElement, text: string): void {
  region.textContent = text;
}

/** An element with text content (never HTML) and optional attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Readonly<Record<string, string>> = {},
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (text !== undefined) created.textContent = text;
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  return created;
}

/** Runs `work` with the button disabled (so a double click sends one request), showing `busyText` meanwhile. */
export async function whileBusy<T>(button: HTMLButtonElement, busyText: string | undefined, work: () => Promise<T>): Promise<T> {
  const label = button.textContent;
  button.disabled = true;
  if (busyText !== undefined) button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/** The page's language, as the server chose it. */
export function pageLanguage(): string {
  return document.documentElement.lang;
}

/** Goes to another page of the set, in the same language; `notice` is shown there (sign-in only). */
export function goTo(page: 'sign-in' | 'account', notice?: 'signed-out' | 'ended'): void {
  const target = new URL(page, window.location.href);
  target.search = '';
  target.searchParams.set('lang', pageLanguage());
  if (notice !== undefined) target.searchParams.set('notice', notice);
  window.location.replace(target.href);
}
