/** Numbers, dates and quantities shown in the user's language and digits. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from './settings-context';
import type { Digits, Language } from './settings';

/** What the web app needs of a commodity to show an amount: counted in base units, shown in display units. */
export interface CommodityUnits {
  base_unit: string;
  display_unit: string;
  display_scale: number;
}

export function localeTag(language: Language, digits: Digits): string {
  // Gregorian calendar everywhere: some Arabic locales default to the Hijri one.
  return language === 'ar' ? `ar-SY-u-nu-${digits}-ca-gregory` : 'en-GB-u-nu-latn-ca-gregory';
}

/** Base units to display units, rounded to what the scale can express (500 g -> 0.5 kg). */
export function toDisplayAmount(amount_base: number, units: CommodityUnits): number {
  return amount_base / (units.display_scale > 0 ? units.display_scale : 1);
}

/** Display units typed by a person to whole base units (1.5 kg -> 1500 g). */
export function toBaseAmount(amount_display: number, units: CommodityUnits): number {
  return Math.round(amount_display * (units.display_scale > 0 ? units.display_scale : 1));
}

function fractionDigits(scale: number): number {
  return scale > 1 ? Math.min(3, Math.ceil(Math.log10(scale))) : 0;
}

export interface Formatter {
  locale: string;
  number(value: number): string;
  percent(fraction: number): string;
  date(iso: string): string;
  dateTime(iso: string): string;
  /** An amount counted in base units, shown in the commodity's display unit. */
  quantity(amount_base: number, units: CommodityUnits): string;
  /** Digits only, for identifiers such as card numbers (no grouping). */
  digits(text: string): string;
}

export function makeFormatter(
  language: Language,
  digits: Digits,
  unitLabel: (unit: string) => string,
): Formatter {
  const locale = localeTag(language, digits);
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  return {
    locale,
    number: (value) => numbers.format(value),
    percent: (fraction) => percents.format(fraction),
    date: (iso) => (iso ? dates.format(new Date(iso)) : ''),
    dateTime: (iso) => (iso ? dateTimes.format(new Date(iso)) : ''),
    quantity(amount_base, units) {
      const value = toDisplayAmount(amount_base, units);
      const text = new Intl.NumberFormat(locale, {
        maximumFractionDigits: fractionDigits(units.display_scale),
      }).format(value);
      return `${text} ${unitLabel(units.display_unit)}`;
    },
    digits: (text) =>
      digits === 'latn' || language !== 'ar'
        ? text
        : text.replace(/\d/gu, (digit) => plain.format(Number(digit))),
  };
}

/** The formatter for the current language and digit setting. */
export function useFormat(): Formatter {
  const { settings } = useSettings();
  const { t } = useTranslation();
  return useMemo(
    () =>
      makeFormatter(settings.language, settings.digits, (unit) =>
        t(`units.${unit}`, { defaultValue: unit }),
      ),
    [settings.language, settings.digits, t],
  );
}

export type CountNoun = 'households' | 'events' | 'handovers' | 'duplicates' | 'rows';

/**
 * A count with its noun in the language's plural form, through i18next's plural rules (Arabic
 * has six: "أسرتان", "٣ أسر", "١١ أسرة"), the number in the digits chosen; `suffix` follows it ("+").
 */
export function useCount(): (noun: CountNoun, count: number, suffix?: string) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return (noun, count, suffix = '') =>
    t(`counts.${noun}`, { count, n: `${format.number(count)}${suffix}` });
}
