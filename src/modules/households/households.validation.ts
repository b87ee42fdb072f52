/**
 * The one validation of a household's input, pure, shared by the API and the CSV/XLSX import so
 * that a row is accepted or refused for the same reasons whichever way it arrives. It accepts
 * what people type: text or numbers, Arabic-Indic digits, tags as an array or a `;` list.
 */
import { checkCardNumber } from '../../domain/identity/card-number.js';
import { normalizePhone } from '../../domain/identity/phone.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import { cleanText } from '../../domain/text/clean.js';
import {
  memberRelations,
  memberSexes,
  type MemberRelation,
  type MemberSex,
} from '../../shared/vocabulary.js';
import type { HouseholdConfig } from './households.config.js';

export { memberRelations, memberSexes, type MemberRelation, type MemberSex };

export interface HouseholdMember {
  name: string;
  sex: MemberSex | null;
  birth_year: number | null;
  relation: MemberRelation | null;
}

/** A household input that passed validation: cleaned, normalised, ready to store. */
export interface ValidHousehold {
  card_number: string | null;
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  head_name_latin: string | null;
  national_id: string | null;
  /** E.164. */
  phone: string | null;
  household_size: number;
  area_pcode: string;
  address: string | null;
  tags: string[];
  members: HouseholdMember[];
  latitude: number | null;
  longitude: number | null;
  consent_date: string | null;
}

export interface InputIssue {
  /** The input field ("phone", "members/0/sex"): a column name for an import row. */
  field: string;
  code: string;
  message: string;
}

export interface HouseholdValidation {
  /** Null exactly when there are issues. */
  value: ValidHousehold | null;
  issues: InputIssue[];
  warnings: InputIssue[];
}

export const limits = {
  nameLength: 100,
  latinNameLength: 200,
  addressLength: 500,
  householdSize: 50,
  members: 50,
  tags: 20,
} as const;

export { templateFields } from '../../shared/import-columns.js';

const letter = /\p{L}/u;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/u;
const tagSeparators = /[;؛,،]/u;

class Collector {
  readonly issues: InputIssue[] = [];
  readonly warnings: InputIssue[] = [];
  issue(field: string, code: string, message: string): void {
    this.issues.push({ field, code, message });
  }
}

/** Text trimmed, with empty meaning absent; numbers become their decimal text. */
function optionalText(raw: unknown): string | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

function readName(
  raw: unknown,
  field: string,
  required: boolean,
  maxLength: number,
  out: Collector,
): string | null {
  const text = optionalText(raw);
  if (text === undefined) {
    out.issue(field, 'invalid-type', 'must be text');
    return null;
  }
  if (text === null) {
    if (required) out.issue(field, 'required', 'is required');
    return null;
  }
  if (text.length > maxLength) {
    out.issue(field, 'too-long', `must be at most ${maxLength} characters`);
    return null;
  }
  if (!letter.test(text)) {
    out.issue(field, 'name-invalid', 'must contain letters');
    return null;
  }
  return text;
}

/**
 * The value with the one text rule applied to every string in it (spreadsheet cells reach here
 * unchecked): control characters are an issue on their field, invisible marks are removed.
 * Line breaks and tabs pass, as the fields collapse whitespace.
 */
function cleanTexts(value: unknown, field: string, out: Collector): unknown {
  if (typeof value === 'string') {
    const cleaned = cleanText(value, 'multiline');
    if (cleaned.ok) return cleaned.value;
    out.issue(field, 'control-character', cleaned.message);
    return null;
  }
  const at = (key: string | number) => (field === '' ? String(key) : `${field}/${key}`);
  if (Array.isArray(value)) return value.map((item, index) => cleanTexts(item, at(index), out));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, cleanTexts(item, at(key), out)]),
    );
  }
  return value;
}

/** An integer typed as a number or as digits (ASCII or Arabic-Indic); undefined when not one. */
function readInteger(raw: unknown): number | null | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  const text = optionalText(raw);
  if (text === null || text === undefined) return text;
  const digits = toAsciiDigits(text);
  return /^-?\d{1,9}$/u.test(digits) ? Number(digits) : undefined;
}

function readDecimal(raw: unknown): number | null | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const text = optionalText(raw);
  if (text === null || text === undefined) return text;
  // Arabic decimal separator (٫) as well as the dot.
  const ascii = toAsciiDigits(text).replace('\u066B', '.');
  return /^-?\d{1,3}(\.\d{1,12})?$/u.test(ascii) ? Number(ascii) : undefined;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const match = isoDate.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function readDate(raw: unknown, field: string, config: HouseholdConfig, out: Collector) {
  const text = optionalText(raw);
  if (text === null) return null;
  const ascii = text === undefined ? undefined : toAsciiDigits(text);
  if (ascii === undefined || !isCalendarDate(ascii)) {
    out.issue(field, 'date-invalid', 'must be a date written YYYY-MM-DD');
    return null;
  }
  if (config.today !== undefined && ascii > config.today) {
    out.issue(field, 'date-in-future', 'must not be after today');
    return null;
  }
  return ascii;
}

function readTags(raw: unknown, config: HouseholdConfig, out: Collector): string[] {
  let entries: unknown[];
  if (raw === undefined || raw === null) entries = [];
  else if (Array.isArray(raw)) entries = raw;
  else if (typeof raw === 'string') entries = raw.split(tagSeparators);
  else {
    out.issue('tags', 'invalid-type', 'must be a list of tags');
    return [];
  }
  const byName = new Map<string, string>();
  for (const tag of config.tags) {
    byName.set(tag.code, tag.code);
    byName.set(tag.label_ar.trim(), tag.code);
    byName.set(tag.label_en.trim().toLowerCase(), tag.code);
  }
  const codes = new Set<string>();
  for (const entry of entries) {
    const text = typeof entry === 'string' ? entry.trim() : undefined;
    if (text === '') continue;
    const code =
      text === undefined ? undefined : (byName.get(text) ?? byName.get(text.toLowerCase()));
    if (code === undefined) {
      out.issue('tags', 'tag-unknown', `unknown tag "${String(entry).slice(0, 40)}"`);
      continue;
    }
    codes.add(code);
  }
  if (codes.size > limits.tags) out.issue('tags', 'too-many', `at most ${limits.tags} tags`);
  return [...codes].sort();
}

function readMembers(raw: unknown, config: HouseholdConfig, out: Collector): HouseholdMember[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    out.issue('members', 'invalid-type', 'must be a list of members');
    return [];
  }
  if (raw.length > limits.members) {
    out.issue('members', 'too-many', `at most ${limits.members} members`);
    return [];
  }
  const latestYear = config.today === undefined ? 9999 : Number(config.today.slice(0, 4));
  return raw.map((entry: unknown, index): HouseholdMember => {
    const field = (name: string) => `members/${index}/${name}`;
    const member: Record<string, unknown> =
      entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      out.issue(`members/${index}`, 'invalid-type', 'must be an object');
    }
    const name = readName(member.name, field('name'), true, limits.nameLength, out) ?? '';

    let sex: MemberSex | null = null;
    const sexText = optionalText(member.sex);
    if (sexText !== null) {
      if (memberSexes.includes(sexText as MemberSex)) sex = sexText as MemberSex;
      else out.issue(field('sex'), 'sex-invalid', `must be one of ${memberSexes.join(', ')}`);
    }

    const birthYear = readInteger(member.birth_year);
    if (
      birthYear === undefined ||
      (birthYear !== null && (birthYear < 1900 || birthYear > latestYear))
    ) {
      out.issue(
        field('birth_year'),
        'birth-year-invalid',
        `must be a year from 1900 to ${latestYear}`,
      );
    }

    let relation: MemberRelation | null = null;
    const relationText = optionalText(member.relation);
    if (relationText !== null) {
      if (memberRelations.includes(relationText as MemberRelation)) {
        relation = relationText as MemberRelation;
      } else {
        out.issue(
          field('relation'),
          'relation-invalid',
          `must be one of ${memberRelations.join(', ')}`,
        );
      }
    }
    return { name, sex, birth_year: birthYear ?? null, relation };
  });
}

/**
 * Validates one household input and returns it cleaned (phone in E.164, national id and card
 * number checked, tags as codes, size from the members when not entered) or every issue found,
 * each naming its field; never throws on bad input.
 */
export function validateHouseholdInput(
  input: Readonly<Record<string, unknown>>,
  config: HouseholdConfig,
): HouseholdValidation {
  const out = new Collector();
  const raw = cleanTexts(input, '', out) as Readonly<Record<string, unknown>>;

  let cardNumber: string | null = null;
  const cardText = optionalText(raw.card_number);
  if (cardText === undefined) out.issue('card_number', 'invalid-type', 'must be text');
  else if (cardText !== null) {
    const checked = checkCardNumber(cardText);
    if (checked.ok) cardNumber = checked.cardNumber;
    else
      out.issue('card_number', 'card-number-invalid', 'is not a valid card number (check digits)');
  }

  const given = readName(raw.head_given_name, 'head_given_name', true, limits.nameLength, out);
  const father = readName(raw.head_father_name, 'head_father_name', true, limits.nameLength, out);
  const grandfather = readName(
    raw.head_grandfather_name,
    'head_grandfather_name',
    false,
    limits.nameLength,
    out,
  );
  const family = readName(raw.head_family_name, 'head_family_name', true, limits.nameLength, out);
  const latin = readName(
    raw.head_name_latin,
    'head_name_latin',
    false,
    limits.latinNameLength,
    out,
  );

  let nationalId: string | null = null;
  const nationalText = optionalText(raw.national_id);
  if (nationalText === undefined) out.issue('national_id', 'invalid-type', 'must be text');
  else if (nationalText !== null) {
    const checked = config.nationalId(nationalText);
    if (checked.ok) nationalId = checked.nationalId;
    else out.issue('national_id', 'national-id-invalid', 'is not a valid national id');
  }

  let phone: string | null = null;
  const phoneText = optionalText(raw.phone);
  if (phoneText === undefined) out.issue('phone', 'invalid-type', 'must be text');
  else if (phoneText !== null) {
    const checked = normalizePhone(phoneText, config.phoneCountry);
    if (checked.ok) phone = checked.e164;
    else out.issue('phone', 'phone-invalid', 'is not a valid phone number');
  }

  const members = readMembers(raw.members, config, out);
  let householdSize = readInteger(raw.household_size);
  if (householdSize === undefined) {
    out.issue('household_size', 'size-invalid', 'must be a whole number');
  } else if (householdSize === null) {
    // Not entered: the head plus the listed members (the head alone when none are listed).
    householdSize = members.length + 1;
  } else if (householdSize < 1 || householdSize > limits.householdSize) {
    out.issue('household_size', 'size-invalid', `must be from 1 to ${limits.householdSize}`);
  } else if (householdSize < members.length + 1) {
    out.issue(
      'household_size',
      'size-less-than-members',
      'is less than the head and listed members',
    );
  } else if (members.length > 0 && householdSize !== members.length + 1) {
    // Allowed (not everyone may be listed), but worth a second look.
    out.warnings.push({
      field: 'household_size',
      code: 'size-differs-from-members',
      message: 'differs from the head and listed members',
    });
  }

  let areaPcode: string | null = null;
  const areaText = optionalText(raw.area_pcode);
  if (areaText === undefined) out.issue('area_pcode', 'invalid-type', 'must be text');
  else if (areaText === null) out.issue('area_pcode', 'required', 'is required');
  else {
    const pcode = toAsciiDigits(areaText).toUpperCase();
    const area = config.areas?.get(pcode);
    if (config.areas && !area) out.issue('area_pcode', 'area-unknown', 'is not a known area');
    else if (area && area.level !== 'community' && area.level !== 'subdistrict') {
      out.issue('area_pcode', 'area-level', 'must be a community or a subdistrict');
    } else areaPcode = pcode;
  }

  const address = optionalText(raw.address);
  if (address === undefined) out.issue('address', 'invalid-type', 'must be text');
  else if (address !== null && address.length > limits.addressLength) {
    out.issue('address', 'too-long', `must be at most ${limits.addressLength} characters`);
  }

  const tags = readTags(raw.tags, config, out);

  const latitude = readDecimal(raw.latitude);
  const longitude = readDecimal(raw.longitude);
  if (latitude === undefined || (latitude !== null && Math.abs(latitude) > 90)) {
    out.issue('latitude', 'latitude-invalid', 'must be a number from -90 to 90');
  }
  if (longitude === undefined || (longitude !== null && Math.abs(longitude) > 180)) {
    out.issue('longitude', 'longitude-invalid', 'must be a number from -180 to 180');
  }
  if ((latitude === null) !== (longitude === null)) {
    out.issue(
      latitude === null ? 'latitude' : 'longitude',
      'location-incomplete',
      'give both latitude and longitude',
    );
  }

  const consentDate = readDate(raw.consent_date, 'consent_date', config, out);

  if (out.issues.length > 0) {
    // A refused cell was read as empty: only the control character is its issue.
    const refused = new Set(
      out.issues.filter((issue) => issue.code === 'control-character').map((issue) => issue.field),
    );
    const issues = out.issues.filter(
      (issue) => issue.code === 'control-character' || !refused.has(issue.field),
    );
    return { value: null, issues, warnings: out.warnings };
  }
  return {
    value: {
      card_number: cardNumber,
      head_given_name: given ?? '',
      head_father_name: father ?? '',
      head_grandfather_name: grandfather,
      head_family_name: family ?? '',
      head_name_latin: latin,
      national_id: nationalId,
      phone,
      household_size: householdSize ?? 1,
      area_pcode: areaPcode ?? '',
      address: address ?? null,
      tags,
      members,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
      consent_date: consentDate,
    },
    issues: [],
    warnings: out.warnings,
  };
}
