import { describe, expect, it } from 'vitest';
import {
  fieldForHeader,
  fieldForHxl,
  isHxlRow,
  mapColumns,
  neutraliseCell,
  restoreCell,
} from './import-columns.js';

describe('fieldForHeader', () => {
  it('matches canonical names and aliases regardless of case, spaces, underscores and hamza', () => {
    expect(fieldForHeader('head_given_name')).toBe('head_given_name');
    expect(fieldForHeader('Head Given Name')).toBe('head_given_name');
    expect(fieldForHeader('  FIRST-NAME ')).toBe('head_given_name');
    expect(fieldForHeader('الاسم')).toBe('head_given_name');
    expect(fieldForHeader('اسم رب الاسره')).toBe('head_given_name');
    expect(fieldForHeader('اسم الاب')).toBe('head_father_name');
    expect(fieldForHeader('الرقم الوطني')).toBe('national_id');
    expect(fieldForHeader('رقم الهاتف')).toBe('phone');
    expect(fieldForHeader('Mobile')).toBe('phone');
    expect(fieldForHeader('P-Code')).toBe('area_pcode');
    expect(fieldForHeader('admin4Pcode')).toBe('area_pcode');
    expect(fieldForHeader('رمز المنطقة')).toBe('area_pcode');
    expect(fieldForHeader('عدد الافراد')).toBe('household_size');
    expect(fieldForHeader('size')).toBe('household_size');
    expect(fieldForHeader('الفئات')).toBe('tags');
    expect(fieldForHeader('رقم البطاقة')).toBe('card_number');
    expect(fieldForHeader('favourite colour')).toBeUndefined();
  });
});

describe('fieldForHxl', () => {
  it('matches hashtags by their attributes in any order, allowing extra ones', () => {
    expect(fieldForHxl('#beneficiary+name+first')).toBe('head_given_name');
    expect(fieldForHxl('#Beneficiary +first +name +i_ar')).toBe('head_given_name');
    expect(fieldForHxl('#contact+phone')).toBe('phone');
    expect(fieldForHxl('#adm3+code')).toBe('area_pcode');
    expect(fieldForHxl('#adm4+code+v_pcode')).toBe('area_pcode');
    expect(fieldForHxl('#beneficiary+id+national')).toBe('national_id');
    expect(fieldForHxl('#population+hh+size')).toBe('household_size');
    expect(fieldForHxl('#beneficiary+name')).toBeUndefined();
    expect(fieldForHxl('not a tag')).toBeUndefined();
  });
});

describe('isHxlRow', () => {
  it('is true when every non-empty cell starts with #', () => {
    expect(isHxlRow(['#contact+phone', '', null, ' #adm3+code'])).toBe(true);
    expect(isHxlRow(['#contact+phone', 'أحمد'])).toBe(false);
    expect(isHxlRow(['', null])).toBe(false);
    expect(isHxlRow(['#x', 5])).toBe(false);
  });
});

describe('mapColumns', () => {
  it('maps headers, prefers a recognised HXL tag, and reports unknown, missing and repeated columns', () => {
    const mapping = mapColumns(
      ['الاسم', 'Mystery', 'father name', 'given name', 'x'],
      ['', '', '', '', '#contact+phone'],
    );
    expect(mapping.fields).toEqual([
      'head_given_name',
      null,
      'head_father_name',
      'head_given_name',
      'phone',
    ]);
    expect(mapping.warnings).toEqual([
      expect.objectContaining({ position: 2, header: 'Mystery', code: 'column-unknown' }),
    ]);
    expect(mapping.repeated).toEqual(['head_given_name']);
    expect(mapping.missing).toEqual(['head_family_name', 'household_size', 'area_pcode']);
  });
});

describe('neutraliseCell', () => {
  it('quotes what a spreadsheet would run, and restoreCell undoes it', () => {
    for (const dangerous of ['=1+1', '+963933', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseCell(dangerous)).toBe(`'${dangerous}`);
      expect(restoreCell(neutraliseCell(dangerous))).toBe(dangerous);
    }
    expect(neutraliseCell('أحمد')).toBe('أحمد');
    expect(neutraliseCell('آل-حسن')).toBe('آل-حسن');
    expect(neutraliseCell('شارع 5، بناء 2')).toBe('شارع 5، بناء 2');
    expect(restoreCell("'quoted")).toBe("'quoted");
  });

  it('also quotes a formula after a separator or a quote inside the cell (OWASP)', () => {
    for (const hidden of [
      ';=A1+B1',
      'x;=A1+B1',
      'x,-2+3',
      "a\"=cmd|' /C calc'!A0",
      "'=x",
      ' =1+1',
      '"@SUM(A1)',
      'x|+1',
      'a\n=1',
      '\u0000x',
    ]) {
      expect(neutraliseCell(hidden)).toBe(`'${hidden}`);
      expect(restoreCell(neutraliseCell(hidden))).toBe(hidden);
    }
  });
});
