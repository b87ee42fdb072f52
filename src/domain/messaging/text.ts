/** Message text: placeholders filled from values, and how many SMS segments a text takes. */

/** `{{name}}` placeholders (letters, digits and underscores). */
const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/gu;

/** The placeholder names a template uses, each once, in order. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(placeholderPattern)].map((match) => match[1] ?? ''))];
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/** Fills every placeholder; a placeholder without a value is reported, never left in. */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
): RenderResult {
  const missing = placeholdersOf(template).filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    text: template.replace(placeholderPattern, (_match, name: string) => String(values[name])),
  };
}

/** GSM 03.38's basic characters (one septet each). */
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38's extension characters (an escape and a septet: two each). */
const gsmExtension = new Set('^{}\\[~]|€\f');

export interface SmsLength {
  /** gsm: 7-bit, 160 a single message, 153 a part; ucs2 (Arabic, say): 70 and 67. */
  encoding: 'gsm' | 'ucs2';
  /** Characters as the network counts them (septets, or UTF-16 units). */
  characters: number;
  segments: number;
  /** Characters one segment holds for this text (the single or the concatenated size). */
  per_segment: number;
}

/**
 * The SMS length of a text: GSM 7-bit when every character is in the GSM alphabet (160 in
 * one message, 153 a part when split), else UCS-2, as Arabic always is (70 in one, 67 a part).
 */
export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const character of text) {
    if (gsmBasic.has(character)) septets += 1;
    else if (gsmExtension.has(character)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const segments = septets <= 160 ? 1 : Math.ceil(septets / 153);
    return {
      encoding: 'gsm',
      characters: septets,
      segments,
      per_segment: segments === 1 ? 160 : 153,
    };
  }
  const units = text.length;
  const segments = units <= 70 ? 1 : Math.ceil(units / 67);
  return { encoding: 'ucs2', characters: units, segments, per_segment: segments === 1 ? 70 : 67 };
}
