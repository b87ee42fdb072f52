import { describe, expect, it } from 'vitest';
import { makeCardNumber } from '../../domain/identity/card-number.js';
import { makeNationalIdValidator } from '../../domain/identity/national-id.js';
import { defaultHouseholdConfig, type AreaRef, type HouseholdConfig } from './households.config.js';
import { nameKeys, searchTokens } from './households.names.js';
import { validateHouseholdInput } from './households.validation.js';

const areas = new Map<string, AreaRef>([
  ['SY060000', { pcode: 'SY060000', level: 'subdistrict', path: '/SY06/SY0600/SY060000/' }],
  [
    'SY06000001',
    { pcode: 'SY06000001', level: 'community', path: '/SY06/SY0600/SY060000/SY06000001/' },
  ],
  ['SY0600', { pcode: 'SY0600', level: 'district', path: '/SY06/SY0600/' }],
]);
const config: HouseholdConfig = { ...defaultHouseholdConfig, areas, today: '2026-11-29' };

const valid = {
  head_given_name: 'محمد',
  head_father_name: 'أحمد',
  head_grandfather_name: 'علي',
  head_family_name: 'الخطيب',
  national_id: '01234567890',
  phone: '0933 123 456',
  household_size: 4,
  area_pcode: 'SY06000001',
  address: 'حي الصليبة، جانب الجامع',
  tags: ['elderly', 'displaced'],
};

function issuesOf(raw: Record<string, unknown>, withConfig = config) {
  return validateHouseholdInput(raw, withConfig).issues.map((issue) => [issue.field, issue.code]);
}

describe('validateHouseholdInput', () => {
  it('accepts a complete household and cleans it', () => {
    const result = validateHouseholdInput(valid, config);
    expect(result.issues).toEqual([]);
    expect(result.value).toMatchObject({
      head_given_name: 'محمد',
      national_id: '01234567890',
      phone: '+963933123456',
      household_size: 4,
      area_pcode: 'SY06000001',
      tags: ['displaced', 'elderly'],
      card_number: null,
      members: [],
    });
  });

  it('names every missing required field', () => {
    expect(issuesOf({})).toEqual([
      ['head_given_name', 'required'],
      ['head_father_name', 'required'],
      ['head_family_name', 'required'],
      ['area_pcode', 'required'],
    ]);
  });

  it.each([
    ['card_number', '123456789012', 'card-number-invalid'],
    ['head_given_name', '12345', 'name-invalid'],
    ['head_family_name', 'ا'.repeat(101), 'too-long'],
    ['national_id', '1234', 'national-id-invalid'],
    ['phone', '12', 'phone-invalid'],
    ['household_size', 0, 'size-invalid'],
    ['household_size', 'خمسة', 'size-invalid'],
    ['household_size', 51, 'size-invalid'],
    ['area_pcode', 'SY0699', 'area-unknown'],
    ['area_pcode', 'SY0600', 'area-level'],
    ['address', 'x'.repeat(501), 'too-long'],
    ['tags', ['elderly', 'rich'], 'tag-unknown'],
    ['latitude', 95, 'latitude-invalid'],
    ['consent_date', '2026-02-30', 'date-invalid'],
    ['consent_date', '2027-01-01', 'date-in-future'],
  ])('refuses a bad %s (%j) with %s', (field, value, code) => {
    const raw = { ...valid, latitude: 35.5, longitude: 35.8, [field]: value };
    expect(issuesOf(raw)).toContainEqual([field, code]);
    expect(validateHouseholdInput(raw, config).value).toBeNull();
  });

  it('accepts Arabic-Indic digits wherever digits are', () => {
    const card = makeCardNumber(1234567890);
    const arabicCard = card.replace(/\d/gu, (digit) => String.fromCharCode(0x0660 + Number(digit)));
    const result = validateHouseholdInput(
      {
        ...valid,
        card_number: arabicCard,
        national_id: '٠١٢٣٤٥٦٧٨٩٠',
        phone: '٠٩٣٣ ١٢٣ ٤٥٦',
        household_size: '٥',
        latitude: '٣٥٫٥',
        longitude: '35.8',
        consent_date: '٢٠٢٦-١١-٠١',
      },
      config,
    );
    expect(result.issues).toEqual([]);
    expect(result.value).toMatchObject({
      card_number: card,
      national_id: '01234567890',
      phone: '+963933123456',
      household_size: 5,
      latitude: 35.5,
      consent_date: '2026-11-01',
    });
  });

  it.each([
    ['0933 123 456'],
    ['0933123456'],
    ['933123456'],
    ['+963 933 123 456'],
    ['00963933123456'],
    ['963933123456'],
    ['٠٩٣٣١٢٣٤٥٦'],
    ['+963 (0) 933-123-456'],
  ])('normalises the phone form %s to E.164', (phone) => {
    expect(validateHouseholdInput({ ...valid, phone }, config).value?.phone).toBe('+963933123456');
  });

  it('takes tags as a ; list with Arabic or English labels, as an import row gives them', () => {
    const result = validateHouseholdInput({ ...valid, tags: 'مسنّون; Displaced ;wounded' }, config);
    expect(result.value?.tags).toEqual(['displaced', 'elderly', 'wounded']);
  });

  it('counts the size from the members when it is not entered, and checks each member', () => {
    const members = [
      { name: 'فاطمة', sex: 'female', birth_year: 1980, relation: 'spouse' },
      { name: 'أحمد', sex: 'male', birth_year: '٢٠١٠', relation: 'son' },
    ];
    const result = validateHouseholdInput({ ...valid, household_size: null, members }, config);
    expect(result.value?.household_size).toBe(3);
    expect(result.value?.members[1]?.birth_year).toBe(2010);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped on purpose
    const { household_size: _size, ...withoutSize } = valid;
    expect(validateHouseholdInput(withoutSize, config).value?.household_size).toBe(1);

    expect(
      issuesOf({
        ...valid,
        members: [{ name: '', sex: 'x', birth_year: 2030, relation: 'cousin' }],
      }),
    ).toEqual([
      ['members/0/name', 'required'],
      ['members/0/sex', 'sex-invalid'],
      ['members/0/birth_year', 'birth-year-invalid'],
      ['members/0/relation', 'relation-invalid'],
    ]);
    expect(issuesOf({ ...valid, household_size: 1, members })).toEqual([
      ['household_size', 'size-less-than-members'],
    ]);
    expect(
      validateHouseholdInput({ ...valid, household_size: 5, members }, config).warnings,
    ).toEqual([
      expect.objectContaining({ field: 'household_size', code: 'size-differs-from-members' }),
    ]);
  });

  it('wants both coordinates or neither', () => {
    expect(issuesOf({ ...valid, latitude: 35.5 })).toEqual([['longitude', 'location-incomplete']]);
  });

  it('follows a configured national id format', () => {
    const passports: HouseholdConfig = {
      ...config,
      nationalId: makeNationalIdValidator({ pattern: /[A-Z]{2}\d{6}/u }),
    };
    expect(issuesOf({ ...valid, national_id: 'ab123456' }, passports)).toEqual([]);
    expect(issuesOf({ ...valid, national_id: '01234567890' }, passports)).toEqual([
      ['national_id', 'national-id-invalid'],
    ]);
  });
});

describe('name keys', () => {
  it('gives every spelling of a name the same tokens', () => {
    const a = nameKeys({
      head_given_name: 'عبد الله',
      head_father_name: 'أحمد',
      head_grandfather_name: null,
      head_family_name: 'الخطيب',
      head_name_latin: 'Abdullah Al-Khatib',
    });
    const b = nameKeys({
      head_given_name: 'عبدالله',
      head_father_name: 'احمد',
      head_grandfather_name: null,
      head_family_name: 'خطيب',
      head_name_latin: null,
    });
    expect(a.tokens).toEqual(
      expect.arrayContaining(['عبدالله', 'احمد', 'الخطيب', 'abdullah', 'al', 'khatib']),
    );
    expect(a.given_father_key).toBe(b.given_father_key);
    expect(a.family_key).toBe(b.family_key);
    expect(searchTokens('عبد الله أحمد')).toEqual(['عبدالله', 'احمد']);
  });
});
