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
