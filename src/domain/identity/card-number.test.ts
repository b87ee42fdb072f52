import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CARD_NUMBER_LENGTH,
  checkCardNumber,
  formatCardNumber,
  makeCardNumber,
} from './card-number.js';

const invalid = { ok: false, code: 'card-number-invalid' };

describe('makeCardNumber', () => {
  it('pads the serial and appends MOD 97-10 check digits', () => {
    expect(makeCardNumber(1)).toBe('000000000195');
    expect(makeCardNumber(0)).toBe('000000000098');
    expect(makeCardNumber(1234567890)).toBe('123456789092');
    expect(makeCardNumber(42n, '07')).toBe('070000004217');
    // The same rule as IBAN (GB82 WEST… gives 82 this way): the whole number is ≡ 1 (mod 97).
    expect(BigInt(makeCardNumber(987654, '3')) % 97n).toBe(1n);
  });

  it('accepts a prefix in Arabic-Indic digits', () => {
    expect(makeCardNumber(42, '٠٧')).toBe(makeCardNumber(42, '07'));
  });

  it('always has the fixed length', () => {
    for (const [serial, prefix] of [
      [0, ''],
      [9_999_999_999, ''],
      [1, '1234'],
      [999_999, '1234'],
    ] as const) {
      expect(makeCardNumber(serial, prefix)).toHaveLength(CARD_NUMBER_LENGTH);
    }
  });

  it('refuses serials and prefixes that do not fit', () => {
    expect(() => makeCardNumber(10_000_000_000)).toThrow(RangeError);
    expect(() => makeCardNumber(1_000_000, '1234')).toThrow(RangeError);
    expect(() => makeCardNumber(-1)).toThrow(RangeError);
    expect(() => makeCardNumber(1.5)).toThrow(RangeError);
    expect(() => makeCardNumber(1, '12345')).toThrow(RangeError);
    expect(() => makeCardNumber(1, 'AB')).toThrow(RangeError);
  });
});

describe('checkCardNumber', () => {
  const card = makeCardNumber(1234567890);

  it.each([
    card,
    '1234 5678 9092',
    '1234-5678-9092',
    '١٢٣٤ ٥٦٧٨ ٩٠٩٢',
    '۱۲۳۴۵۶۷۸۹۰۹۲',
    '\u200F١٢٣٤-٥٦٧٨-٩٠٩٢\u200F',
  ])('accepts %s', (input) => {
    expect(checkCardNumber(input)).toEqual({ ok: true, cardNumber: card });
  });

  it.each([
    '',
    '123456789093', // wrong check digits
    '123456789029', // check digits swapped
    '213456789092', // first two digits swapped
    '12345678992', // a digit dropped
    '1234567890992', // a digit doubled
    '12345678909A',
    '1234567890 92 7',
    '1'.repeat(100),
  ])('rejects %s', (input) => {
    expect(checkCardNumber(input)).toEqual(invalid);
  });

  it('formats in groups of four, and the formatted form checks', () => {
    expect(formatCardNumber(card)).toBe('1234 5678 9092');
    expect(checkCardNumber(formatCardNumber(card))).toEqual({ ok: true, cardNumber: card });
  });
});

describe('card number properties', () => {
  const cards = fc.oneof(
    fc.bigInt({ min: 0n, max: 9_999_999_999n }).map((serial) => makeCardNumber(serial)),
    fc
      .tuple(fc.integer({ min: 0, max: 999_999 }), fc.stringMatching(/^[0-9]{0,4}$/))
      .map(([serial, prefix]) => makeCardNumber(serial, prefix)),
  );

  it('every generated number checks', () => {
    fc.assert(
      fc.property(cards, (card) => {
        expect(checkCardNumber(card)).toEqual({ ok: true, cardNumber: card });
      }),
    );
  });

  it('rejects every single-digit substitution', () => {
    fc.assert(
      fc.property(cards, (card) => {
        for (let position = 0; position < card.length; position++) {
          for (let digit = 0; digit <= 9; digit++) {
            if (String(digit) === card[position]) continue;
            const typo = card.slice(0, position) + digit + card.slice(position + 1);
            expect(checkCardNumber(typo)).toEqual(invalid);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every adjacent and jump transposition of different digits', () => {
    fc.assert(
      fc.property(cards, (card) => {
        for (const gap of [1, 2]) {
          for (let position = 0; position + gap < card.length; position++) {
            const left = card[position] ?? '';
            const right = card[position + gap] ?? '';
            if (left === right) continue;
            const digits = [...card];
            digits[position] = right;
            digits[position + gap] = left;
            expect(checkCardNumber(digits.join(''))).toEqual(invalid);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
