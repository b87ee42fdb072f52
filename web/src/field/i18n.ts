/**
 * The field app's messages, Arabic first with English beside: a few lines instead of i18next
 * to keep the first load small. Keys are dotted paths; `{{name}}` takes a value.
 */
import ar from './i18n/ar.json';
import en from './i18n/en.json';

export type Language = 'ar' | 'en';
const messages: Record<Language, unknown> = { ar, en };
const storageKey = 'awn-field-language';

let current: Language = localStorage.getItem(storageKey) === 'en' ? 'en' : 'ar';

export function language(): Language {
  return current;
}

/** Switches the language (remembered on the phone) and the page's direction. */
export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  document.documentElement.dir = next === 'ar' ? 'rtl' : 'ltr';
}

function lookup(tree: unknown, key: string): string | undefined {
  const value = key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      tree,
    );
  return typeof value === 'string' ? value : undefined;
}

/** Digits as the language writes them (Arabic-Indic in Arabic). */
export function digits(value: number | string): string {
  const text = String(value);
  return current === 'ar'
    ? text.replace(/\d/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)] ?? digit)
    : text;
}

/** The message for `key` in the current language, with `{{name}}` replaced from `values`. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const text = lookup(messages[current], key) ?? lookup(messages.en, key) ?? key;
  return text.replace(/\{\{(\w+)\}\}/gu, (_match, name: string) =>
    values[name] === undefined ? '' : digits(values[name]),
  );
}
