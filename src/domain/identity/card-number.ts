/**
 * Ration-card numbers that catch typing mistakes before any lookup.
 *
 * Layout: 12 digits = a 10-digit body (optional prefix of up to 4 digits, then the serial
 * zero-padded to fill the body) + 2 check digits of ISO/IEC 7064 MOD 97-10 (the IBAN scheme).
 *
 * Why MOD 97-10 rather than a one-digit Damm or Verhoeff check: all three catch every single-digit
 * substitution and every adjacent transposition, but MOD 97-10 also catches every jump
 * transposition (a·c·b -> b·c·a) and about 99% of other random errors (a single check digit
 * catches about 90%), stays all-decimal (unlike MOD 11-2's "X"), and is plain bigint arithmetic.
 * The proof is short: changing the number by d·10^i (substitution, |d| <= 9), 9·d·10^i (adjacent
 * swap) or 99·d·10^i (jump swap) never yields a multiple of the prime 97. The fixed length
 * rejects dropped or doubled digits outright.
 */
import { toAsciiDigits } from '../text/arabic.js';

export type CardNumberResult =
  { ok: true; cardNumber: string } | { ok: false; code: 'card-number-invalid' };

export const CARD_NUMBER_LENGTH = 12;
const CHECK_DIGITS = 2;
const BODY_LENGTH = CARD_NUMBER_LENGTH - CHECK_DIGITS;
const MAX_PREFIX_LENGTH = 4;
const MODULUS = 97n;

const INVALID: CardNumberResult = { ok: false, code: 'card-number-invalid' };
const MAX_INPUT_LENGTH = 64;
const SEPARATORS = /[\s\-\u2010-\u2015.\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** The two check digits for a body: 98 - (body·100 mod 97), so the whole number is ≡ 1 (mod 97). */
function checkDigits(body: string): string {
  const remainder = (BigInt(body) * 100n) % MODULUS;
  return String(98n - remainder).padStart(CHECK_DIGITS, '0');
}

/**
 * Returns a 12-digit card number: the prefix (0-4 digits), the serial zero-padded to fill a
 * 10-digit body, and two MOD 97-10 check digits; throws RangeError if they do not fit.
 */
export function makeCardNumber(serial: number | bigint, prefix = ''): string {
  if (typeof serial === 'number' && !Number.isSafeInteger(serial)) {
    throw new RangeError(`card serial must be a safe integer, got ${serial}`);
  }
  const serialValue = BigInt(serial);
  if (serialValue < 0n) throw new RangeError(`card serial must not be negative, got ${serial}`);
  const prefixDigits = toAsciiDigits(prefix);
  if (!/^[0-9]*$/u.test(prefixDigits) || prefixDigits.length > MAX_PREFIX_LENGTH) {
    throw new RangeError(`card prefix must be 0-${MAX_PREFIX_LENGTH} digits, got "${prefix}"`);
  }
  const serialWidth = BODY_LENGTH - prefixDigits.length;
  const serialDigits = serialValue.toString();
  if (serialDigits.length > serialWidth) {
    throw new RangeError(`card serial ${serial} does not fit in ${serialWidth} digits`);
  }
  const body = prefixDigits + serialDigits.padStart(serialWidth, '0');
  return body + checkDigits(body);
}

/** Accepts exactly the 12-digit numbers passing MOD 97-10, in any digits and with separators. */
export function checkCardNumber(input: string): CardNumberResult {
  if (input.length > MAX_INPUT_LENGTH) return INVALID;
  const cardNumber = toAsciiDigits(input.normalize('NFKC')).replace(SEPARATORS, '');
  if (cardNumber.length !== CARD_NUMBER_LENGTH || !/^[0-9]+$/u.test(cardNumber)) return INVALID;
  return BigInt(cardNumber) % MODULUS === 1n ? { ok: true, cardNumber } : INVALID;
}

/** Returns the card number grouped in fours for printing ("1234 5678 9012"); digits unchanged. */
export function formatCardNumber(cardNumber: string): string {
  return cardNumber.replace(/(\d{4})(?=\d)/gu, '$1 ');
}
