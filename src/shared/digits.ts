/** The two digit styles the web app and printed pages show numbers in (a user's setting). */
export const digitStyles = ['arab', 'latn'] as const;
/** `arab`: Arabic-Indic digits (٠١٢٣); `latn`: Western digits (0123). */
export type DigitStyle = (typeof digitStyles)[number];

/** The text with its Western digits written in the style (identifiers, dates, counts alike). */
export function inDigitStyle(text: string, style: DigitStyle): string {
  return style === 'latn'
    ? text
    : text.replace(/[0-9]/gu, (digit) => String.fromCharCode(0x0660 + Number(digit)));
}
