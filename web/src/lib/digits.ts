/** Digits typed in any script become ASCII, so "١٢٣" and "۱۲۳" reach the API as "123". */
export function toWesternDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/gu, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** A decimal number typed by a person (any digits, Arabic decimal separator), or null. */
export function parseDecimal(text: string): number | null {
  const western = toWesternDigits(text.trim()).replace(/[\u066B,]/gu, '.');
  if (!/^\d+(\.\d+)?$/u.test(western)) return null;
  return Number(western);
}
