/**
 * National identity numbers. The format differs by country, so the validator is built from a
 * configuration; the default is Syria's 11-digit national number.
 */
import { toAsciiDigits } from '../text/arabic.js';

export type NationalIdResult =
  { ok: true; nationalId: string } | { ok: false; code: 'national-id-invalid' };

export interface NationalIdFormat {
  /**
   * The whole cleaned id (separators gone, Latin letters uppercased) must match; the pattern is
   * anchored for you and g/y flags are ignored.
   */
  pattern?: RegExp;
  /** Exact number of characters after cleaning. */
  length?: number;
}

export type NationalIdValidator = (input: string) => NationalIdResult;

export const SYRIAN_NATIONAL_ID_LENGTH = 11;

const INVALID: NationalIdResult = { ok: false, code: 'national-id-invalid' };
const MAX_INPUT_LENGTH = 64;
/** Spaces, dashes, dots and slashes people put between digit groups, plus invisible bidi marks. */
const SEPARATORS = /[\s\-\u2010-\u2015./\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const DIGITS_ONLY = /^[0-9]+$/u;

/** Anchors a configured pattern and drops stateful flags: `test` becomes a whole-string check. */
function wholeMatch(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/gu, ''));
}

/** Returns the id with Arabic-Indic digits made ASCII, separators removed and Latin uppercased. */
export function cleanNationalId(input: string): string {
  return toAsciiDigits(input.normalize('NFKC')).replace(SEPARATORS, '').toUpperCase();
}

/**
 * Returns a validator that accepts exactly the ids matching the format (digits only of the given
 * length by default, Syria's 11 when nothing is configured) and yields them cleaned.
 */
export function makeNationalIdValidator(format: NationalIdFormat = {}): NationalIdValidator {
  const { length } = format;
  if (length !== undefined && (!Number.isInteger(length) || length < 1)) {
    throw new RangeError(`national id length must be a positive integer, got ${length}`);
  }
  // With no pattern, ids are digits; with no pattern and no length, Syria's 11 digits.
  const pattern = format.pattern ? wholeMatch(format.pattern) : DIGITS_ONLY;
  const requiredLength =
    length ?? (format.pattern === undefined ? SYRIAN_NATIONAL_ID_LENGTH : undefined);

  return (input: string): NationalIdResult => {
    if (input.length > MAX_INPUT_LENGTH) return INVALID;
    const nationalId = cleanNationalId(input);
    if (nationalId === '') return INVALID;
    if (requiredLength !== undefined && nationalId.length !== requiredLength) return INVALID;
    if (!pattern.test(nationalId)) return INVALID;
    return { ok: true, nationalId };
  };
}

/** Validates a Syrian national number: 11 digits, Arabic-Indic digits and separators accepted. */
export const validateSyrianNationalId: NationalIdValidator = makeNationalIdValidator();
