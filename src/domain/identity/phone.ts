/**
 * Phone numbers as people actually type them, reduced to E.164 ("+963933123456") so one
 * number is stored and matched in one form.
 */
import { toAsciiDigits } from '../text/arabic.js';

export type PhoneResult = { ok: true; e164: string } | { ok: false; code: 'phone-invalid' };

const INVALID: PhoneResult = { ok: false, code: 'phone-invalid' };
const SYRIA = '963';

/** Longer input is not a phone number; refusing it early bounds the work done. */
const MAX_INPUT_LENGTH = 64;
/** E.164 allows at most 15 digits; fewer than 8 is no real subscriber number anywhere. */
const MIN_E164_DIGITS = 8;
const MAX_E164_DIGITS = 15;

/** Separators people type or paste between digit groups, including bidi marks from RTL text. */
const SEPARATORS = /[\s\-\u2010-\u2015.()/\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/**
 * Syrian national significant numbers: mobiles are 9 digits starting with 9; landlines are a
 * two-digit area code (11 Damascus … 52 Hasakah, first digit 1-5) and a 6-7 digit subscriber.
 */
const SYRIAN_MOBILE = /^9\d{8}$/u;
const SYRIAN_LANDLINE = /^[1-5]\d{7,8}$/u;

function isSyrianNationalNumber(national: string): boolean {
  return SYRIAN_MOBILE.test(national) || SYRIAN_LANDLINE.test(national);
}

/** Builds the E.164 form from a country code and the digits after it, or rejects it. */
function toE164(countryCode: string, national: string): PhoneResult {
  if (countryCode === SYRIA) {
    // "+963 (0) 933 …" is common; the trunk 0 never belongs after the country code.
    const withoutTrunk = national.startsWith('0') ? national.slice(1) : national;
    return isSyrianNationalNumber(withoutTrunk)
      ? { ok: true, e164: `+${SYRIA}${withoutTrunk}` }
      : INVALID;
  }
  const digits = countryCode + national;
  if (digits.length < MIN_E164_DIGITS || digits.length > MAX_E164_DIGITS) return INVALID;
  return { ok: true, e164: `+${digits}` };
}

/**
 * Returns the E.164 form of a phone number written locally ("0933 123 456", "933123456",
 * "041 234567") or internationally ("+963…", "00963…", "+44…"), in ASCII or Arabic-Indic
 * digits; anything else is 'phone-invalid'.
 */
export function normalizePhone(input: string, defaultCountry = SYRIA): PhoneResult {
  if (!/^[1-9]\d{0,2}$/u.test(defaultCountry)) {
    throw new RangeError(
      `defaultCountry must be a 1-3 digit country code, got "${defaultCountry}"`,
    );
  }
  if (input.length > MAX_INPUT_LENGTH) return INVALID;

  // NFKC folds full-width digits and plus sign; toAsciiDigits handles ٠-٩ and ۰-۹.
  const compact = toAsciiDigits(input.normalize('NFKC')).replace(SEPARATORS, '');
  const match = /^(\+|00)?(\d+)$/u.exec(compact);
  if (!match) return INVALID;
  const international = match[1] !== undefined;
  const digits = match[2] ?? '';

  if (international) {
    // Country codes never start with 0, and the shortest valid number still has 8 digits.
    if (digits.startsWith('0')) return INVALID;
    if (digits.startsWith(SYRIA)) return toE164(SYRIA, digits.slice(SYRIA.length));
    return toE164('', digits);
  }

  // "963933123456" without + or 00: 11-12 digits starting 963 cannot be a Syrian national
  // number (those have 8-9 digits), so it is the international form with the prefix dropped.
  if (
    defaultCountry === SYRIA &&
    digits.startsWith(SYRIA) &&
    (digits.length === 11 || digits.length === 12)
  ) {
    return toE164(SYRIA, digits.slice(SYRIA.length));
  }

  // A national number: drop the trunk prefix 0 (used by Syria and its neighbours).
  const national = digits.startsWith('0') ? digits.slice(1) : digits;
  if (national.startsWith('0')) return INVALID;
  return toE164(defaultCountry, national);
}
