/** The user's display settings, kept in this browser: language and the digits numbers are shown in. */
import type { DigitStyle } from '../../../src/shared/digits.js';

export type Language = 'ar' | 'en';

/** `arab`: Arabic-Indic digits (٠١٢٣); `latn`: Western digits (0123). */
export type Digits = DigitStyle;

export interface Settings {
  language: Language;
  digits: Digits;
}

const languageKey = 'awn.language';
const digitsKey = 'awn.digits';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Private browsing may refuse storage; the setting then lasts for this page only.
  }
}

/** Arabic and Arabic-Indic digits unless the user chose otherwise. */
export function loadSettings(): Settings {
  const language = read(languageKey) === 'en' ? 'en' : 'ar';
  const digits = read(digitsKey) === 'latn' ? 'latn' : 'arab';
  return { language, digits };
}

export function saveSettings(settings: Settings): void {
  write(languageKey, settings.language);
  write(digitsKey, settings.digits);
}

export function directionOf(language: Language): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr';
}
