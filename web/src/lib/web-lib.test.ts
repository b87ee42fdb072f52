// The web app's pure helpers: digits, quantities, CSV headers and problem paths.
import { describe, expect, it } from 'vitest';
import { readCsvHeader, replaceCsvHeader } from './csv-header';
import { parseDecimal, toWesternDigits } from './digits';
import { makeFormatter, toBaseAmount, toDisplayAmount } from './format';
import { ApiError } from '../api/client';
import { i18n } from '../i18n';
import { fieldErrors, fieldOfPath, problemMessage } from './problems';

const sugar = { base_unit: 'g', display_unit: 'kg', display_scale: 1000 };
const units = (unit: string) => ({ kg: 'كغ', g: 'غ' })[unit] ?? unit;

describe('digits', () => {
  it('reads Arabic-Indic and Persian digits as Western ones', () => {
    expect(toWesternDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toWesternDigits('۱۲۳')).toBe('123');
    expect(parseDecimal('١٫٥')).toBe(1.5);
    expect(parseDecimal('2,25')).toBe(2.25);
    expect(parseDecimal('abc')).toBeNull();
    expect(parseDecimal('-1')).toBeNull();
  });
});

describe('quantities', () => {
  it('shows sugar counted in grams as kilograms, in the chosen digits', () => {
    expect(toDisplayAmount(1500, sugar)).toBe(1.5);
    expect(toBaseAmount(1.5, sugar)).toBe(1500);
    expect(toBaseAmount(0.0004, sugar)).toBe(0);
    expect(makeFormatter('ar', 'arab', units).quantity(4000, sugar)).toBe('٤ كغ');
    expect(makeFormatter('ar', 'arab', units).quantity(1250, sugar)).toBe('١٫٢٥ كغ');
    expect(makeFormatter('ar', 'latn', units).quantity(1250, sugar)).toBe('1.25 كغ');
    expect(makeFormatter('en', 'arab', (unit) => unit).quantity(1250, sugar)).toBe('1.25 kg');
  });

  it('writes identifiers digit by digit, without grouping', () => {
    expect(makeFormatter('ar', 'arab', units).digits('123456789012')).toBe('١٢٣٤٥٦٧٨٩٠١٢');
    expect(makeFormatter('ar', 'latn', units).digits('123456789012')).toBe('123456789012');
  });

  it('keeps the Gregorian calendar in Arabic', () => {
    expect(makeFormatter('ar', 'latn', units).date('2026-03-01T12:00:00Z')).toContain('2026');
  });
});

describe('CSV header', () => {
  it('reads a quoted, semicolon-separated header with a byte-order mark and rewrites only it', () => {
    const text = '\uFEFF"Given; name";area\r\nسعاد;SY06\r\n';
    const header = readCsvHeader(text);
    expect(header.cells).toEqual(['Given; name', 'area']);
    expect(header.delimiter).toBe(';');
    expect(replaceCsvHeader(text, header, ['head_given_name', 'area_pcode'])).toBe(
      'head_given_name;area_pcode\r\nسعاد;SY06\r\n',
    );
  });

  it('handles a header with no rows under it', () => {
    const header = readCsvHeader('a,b');
    expect(header.cells).toEqual(['a', 'b']);
    expect(replaceCsvHeader('a,b', header, ['x', 'y'])).toBe('x,y\r\n');
  });
});

describe('problem paths', () => {
  it('names the field a problem points at', () => {
    expect(fieldOfPath('body/head_given_name')).toBe('head_given_name');
    expect(fieldOfPath('/members/0/name')).toBe('members.0.name');
    expect(fieldOfPath('/rules/items/1/per_person')).toBe('rules.items.1.per_person');
  });
});

describe('field errors', () => {
  const t = i18n.getFixedT('ar');
  const problem = (errors: ConstructorParameters<typeof ApiError>[3]) =>
    new ApiError(400, 'validation-failed', '', errors, {});

  it('name the rule in plain Arabic, with its limit in Arabic-Indic digits', () => {
    const error = problem([
      {
        path: 'body/password',
        message: 'must NOT have fewer than 10 characters',
        code: 'too-short',
        params: { limit: 10 },
      },
      { path: '/ends_on', message: 'must not be before starts_on', code: 'ends-before-starts' },
      { path: 'body/code', message: 'must match pattern', code: 'pattern' },
      { path: '/area_pcodes/1', message: 'is outside your scope', code: 'area-outside-scope' },
      { path: 'body/display_name', message: 'is required', code: 'required' },
    ]);
    expect(fieldErrors(t, error)).toEqual({
      password: 'كلمة المرور قصيرة: ١٠ أحرف على الأقل.',
      ends_on: 'يجب ألّا يسبق تاريخ البداية.',
      code: 'الرمز: حروف لاتينية صغيرة وأرقام و«-» و«_» فقط، يبدأ بحرف أو رقم، حتى ٤٠ خانة.',
      'area_pcodes.1': 'هذه المنطقة خارج نطاق صلاحياتك.',
      area_pcodes: 'هذه المنطقة خارج نطاق صلاحياتك.',
      display_name: 'هذا الحقل مطلوب.',
    });
    // The alert above the form names each field too.
    expect(problemMessage(t, error)).toContain('تاريخ النهاية: يجب ألّا يسبق تاريخ البداية.');
  });

  it('fall back to the message, then to "invalid", for answers without a rule', () => {
    expect(
      fieldErrors(t, problem([{ path: '/programme_id', message: 'is not a known programme' }])),
    ).toEqual({
      programme_id: 'برنامج غير معروف.',
    });
    expect(fieldErrors(t, problem([{ path: '/x', message: 'something new' }]))).toEqual({
      x: 'القيمة غير صالحة.',
    });
  });
});
