// The Arabic and English message files carry exactly the same keys, so no screen shows a raw key.
import { describe, expect, it } from 'vitest';
import ar from './ar.json';
import en from './en.json';

/** Every leaf key as a dotted path ("households.duplicates.none"). */
function leafKeys(messages: unknown, prefix = ''): string[] {
  if (typeof messages !== 'object' || messages === null) return [prefix];
  return Object.entries(messages).flatMap(([key, value]) =>
    leafKeys(value, prefix ? `${prefix}.${key}` : key),
  );
}

describe('message files', () => {
  it('have the same keys in Arabic and English', () => {
    const arabic = new Set(leafKeys(ar));
    const english = new Set(leafKeys(en));
    expect(
      [...arabic].filter((key) => !english.has(key)),
      'only in ar.json',
    ).toEqual([]);
    expect(
      [...english].filter((key) => !arabic.has(key)),
      'only in en.json',
    ).toEqual([]);
    expect(arabic.size).toBeGreaterThan(100);
  });
});

describe('counts', () => {
  it("follow Arabic's six plural forms and English's two", async () => {
    const { i18n } = await import('./index');
    const arabic = i18n.getFixedT('ar');
    const households = (count: number, n: string) => arabic('counts.households', { count, n });
    expect(households(0, '٠')).toBe('لا أسر');
    expect(households(1, '١')).toBe('أسرة واحدة');
    expect(households(2, '٢')).toBe('أسرتان');
    expect(households(3, '٣')).toBe('٣ أسر');
    expect(households(10, '١٠')).toBe('١٠ أسر');
    expect(households(11, '١١')).toBe('١١ أسرة');
    expect(households(100, '١٠٠')).toBe('١٠٠ أسرة');
    expect(households(103, '١٠٣')).toBe('١٠٣ أسر');
    const english = i18n.getFixedT('en');
    expect(english('counts.households', { count: 1, n: '1' })).toBe('1 household');
    expect(english('counts.households', { count: 2, n: '2' })).toBe('2 households');
  });
});
