import { en } from './en';
import { ko } from './ko';

/** The keys of every page string; en.ts is their source. */
export type Messages = { readonly [Key in keyof typeof en]: string };

/** Every language of the pages, in the order of the language switch. */
export const LANGUAGES = { en, ko } as const satisfies Record<string, Messages>;
export type Language = keyof typeof LANGUAGES;
export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: string | null | undefined): value is Language {
  return value !== null && value !== undefined && Object.prototype.hasOwnProperty.call(LANGUAGES, value);
}

export function messagesFor(language: Language): Messages {
  return LANGUAGES[language];
}

/** A message with its `{name}` placeholders filled in (as text: the pages insert it with textContent). */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole));
}

/**
 * The page's language: `?lang=` when it names one we have (the switch), otherwise the first of
 * Accept-Language's preferences (by q-value, then order) whose primary tag we have, else English.
 */
export function negotiateLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(query)) return query;
  const preferences = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((preference) => preference.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return preferences.map((preference) => preference.primary).find(isLanguage) ?? DEFAULT_LANGUAGE;
}
