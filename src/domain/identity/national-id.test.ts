import { describe, expect, it } from 'vitest';
import { makeNationalIdValidator, validateSyrianNationalId } from './national-id.js';

const invalid = { ok: false, code: 'national-id-invalid' };

describe('Syrian national id (default)', () => {
  const validate = makeNationalIdValidator();

  it.each([
    ['01234567890', '01234567890'],
    ['012-345-678-90', '01234567890'],
    ['012 345 678 90', '01234567890'],
    ['٠١٢٣٤٥٦٧٨٩٠', '01234567890'],
    ['۰۱۲۳۴۵۶۷۸۹۰', '01234567890'],
    ['\u200F٠١٢ ٣٤٥ ٦٧٨ ٩٠\u200F', '01234567890'],
    ['  01234567890  ', '01234567890'],
  ])('%s -> %s', (input, expected) => {
    expect(validate(input)).toEqual({ ok: true, nationalId: expected });
    expect(validateSyrianNationalId(input)).toEqual({ ok: true, nationalId: expected });
  });

  it.each(['', '0123456789', '012345678901', '0123456789A', '01234 5678x0', '1'.repeat(80)])(
    'rejects %s',
    (input) => {
      expect(validate(input)).toEqual(invalid);
    },
  );
});

describe('configured formats', () => {
  it('takes a length alone as digits of that length', () => {
    const validate = makeNationalIdValidator({ length: 10 });
    expect(validate('9876543210')).toEqual({ ok: true, nationalId: '9876543210' });
    expect(validate('98765432101')).toEqual(invalid);
    expect(validate('987654321A')).toEqual(invalid);
  });

  it('takes a pattern alone, anchored to the whole id', () => {
    const validate = makeNationalIdValidator({ pattern: /[A-Z]\d{8}/ });
    expect(validate('a1234-5678')).toEqual({ ok: true, nationalId: 'A12345678' });
    expect(validate('XA12345678')).toEqual(invalid);
    expect(validate('A123456789')).toEqual(invalid);
  });

  it('requires both pattern and length when both are given', () => {
    const validate = makeNationalIdValidator({ pattern: /\d+/, length: 9 });
    expect(validate('123456789')).toEqual({ ok: true, nationalId: '123456789' });
    expect(validate('12345678')).toEqual(invalid);
  });

  it('is not affected by a global pattern keeping state between calls', () => {
    const validate = makeNationalIdValidator({ pattern: /\d{5}/g });
    expect(validate('12345')).toEqual({ ok: true, nationalId: '12345' });
    expect(validate('12345')).toEqual({ ok: true, nationalId: '12345' });
  });

  it('rejects a nonsensical length as a programming error', () => {
    expect(() => makeNationalIdValidator({ length: 0 })).toThrow(RangeError);
    expect(() => makeNationalIdValidator({ length: 2.5 })).toThrow(RangeError);
  });
});
