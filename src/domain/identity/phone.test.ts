import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.js';

const ok = (e164: string) => ({ ok: true, e164 });
const invalid = { ok: false, code: 'phone-invalid' };

describe('normalizePhone: Syrian mobiles', () => {
  it.each([
    '0933 123 456',
    '0933-123-456',
    '0933123456',
    '933123456',
    '+963 933 123 456',
    '+963933123456',
    '00963933123456',
    '00963 933 123 456',
    '963933123456',
    '+963 (0) 933 123 456',
    '(0933) 123.456',
    '٠٩٣٣١٢٣٤٥٦',
    '٠٩٣٣ ١٢٣ ٤٥٦',
    '۰۹۳۳۱۲۳۴۵۶',
    '+٩٦٣٩٣٣١٢٣٤٥٦',
    '\u200E+963 933 123 456\u200E',
    '\u202B0933 123 456\u202C',
    '０９３３１２３４５６',
    ' 0933\u00A0123\u00A0456 ',
  ])('%s -> +963933123456', (input) => {
    expect(normalizePhone(input)).toEqual(ok('+963933123456'));
  });

  it('keeps every operator prefix', () => {
    for (const prefix of ['93', '94', '95', '96', '98', '99']) {
      expect(normalizePhone(`0${prefix}1234567`)).toEqual(ok(`+963${prefix}1234567`));
    }
  });
});

describe('normalizePhone: Syrian landlines', () => {
  it.each([
    ['041 234567', '+96341234567'],
    ['041-234-567', '+96341234567'],
    ['41234567', '+96341234567'],
    ['011 2345678', '+963112345678'],
    ['+963 11 234 5678', '+963112345678'],
    ['00963 21 2345678', '+963212345678'],
    ['٠٤١ ٢٣٤٥٦٧', '+96341234567'],
    ['96341234567', '+96341234567'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePhone(input)).toEqual(ok(expected));
  });
});

describe('normalizePhone: other countries', () => {
  it.each([
    ['+961 3 123 456', '+9613123456'],
    ['0096171123456', '+96171123456'],
    ['+49 30 1234567', '+49301234567'],
    ['+90 532 123 45 67', '+905321234567'],
    ['+1 (202) 555-0143', '+12025550143'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePhone(input)).toEqual(ok(expected));
  });

  it('uses the default country for national numbers', () => {
    expect(normalizePhone('03 123 456', '961')).toEqual(ok('+9613123456'));
    expect(normalizePhone('0532 123 45 67', '90')).toEqual(ok('+905321234567'));
  });

  it('rejects a bad default country code as a programming error', () => {
    expect(() => normalizePhone('0933123456', '0963')).toThrow(RangeError);
    expect(() => normalizePhone('0933123456', '+963')).toThrow(RangeError);
  });
});

describe('normalizePhone: rejects', () => {
  it.each([
    '',
    '   ',
    '0933 123 45', // mobile one digit short
    '0933 123 4567', // one digit long
    '0833123456', // no Syrian numbers start with 8
    '0633123456',
    '04123456', // landline subscriber too short
    '011 23456789', // landline subscriber too long
    '+963 933 123 45',
    '+963933123456789',
    '+1234567', // 7 digits: below E.164 minimum used here
    '+1234567890123456', // 16 digits: above E.164 maximum
    '+0933123456',
    '000963933123456',
    '+963 0933 123 4567',
    '0933abc456',
    '0933 123 456 ext 2',
    '+963+933123456',
    '0933123456+',
    '1'.repeat(100),
  ])('%s', (input) => {
    expect(normalizePhone(input)).toEqual(invalid);
  });
});

describe('normalizePhone properties', () => {
  const mobile = fc
    .tuple(
      fc.constantFrom('93', '94', '95', '96', '98', '99'),
      fc.integer({ min: 0, max: 9_999_999 }),
    )
    .map(([prefix, subscriber]) => `${prefix}${String(subscriber).padStart(7, '0')}`);

  it('gives the same E.164 for every way of writing a Syrian mobile', () => {
    fc.assert(
      fc.property(mobile, (national) => {
        const expected = ok(`+963${national}`);
        const arabic = `0${national}`.replace(/\d/gu, (d) =>
          String.fromCharCode(0x0660 + Number(d)),
        );
        const spaced = `0${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
        for (const written of [
          `0${national}`,
          national,
          `+963${national}`,
          `00963${national}`,
          arabic,
          spaced,
        ]) {
          expect(normalizePhone(written)).toEqual(expected);
        }
      }),
    );
  });

  it('is stable: normalising an E.164 result returns it unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('0', '9', '3', '4', '1', ' ', '-', '+', '٠', '٩'),
          maxLength: 20,
        }),
        (input) => {
          const result = normalizePhone(input);
          if (result.ok) {
            expect(result.e164).toMatch(/^\+[1-9]\d{7,14}$/u);
            expect(normalizePhone(result.e164)).toEqual(result);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
