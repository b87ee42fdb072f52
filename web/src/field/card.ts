/**
 * Checks a household's card offline: a typed card number by its MOD 97-10 check digits, a
 * scanned QR payload by its Ed25519 signature against the card public key downloaded with the
 * runs (WebCrypto). Parsing both is the server's own pure code (src/domain/identity).
 */
import { checkCardNumber } from '../../../src/domain/identity/card-number';
import { isCardPayload, parseCardPayload } from '../../../src/domain/identity/card-payload';

export type CardCheck =
  | { ok: true; card_number: string; household_id?: string; payload?: string }
  | { ok: false; code: 'card-number-invalid' | 'card-invalid' | 'card-unverifiable' };

/** The Ed25519 public key (raw 32 bytes, base64) as a WebCrypto key, or null where unsupported. */
export async function importCardKey(rawBase64: string): Promise<CryptoKey | null> {
  try {
    const raw = Uint8Array.from(atob(rawBase64), (character) => character.charCodeAt(0));
    return await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
}

/**
 * Checks what was scanned or typed: a payload must carry a valid signature and card number
 * (`card-invalid` otherwise; `card-unverifiable` when this browser has no Ed25519), a typed
 * number its check digits (`card-number-invalid`).
 */
export async function checkCard(text: string, key: CryptoKey | null): Promise<CardCheck> {
  if (!isCardPayload(text)) {
    const typed = checkCardNumber(text);
    return typed.ok ? { ok: true, card_number: typed.cardNumber } : typed;
  }
  const parts = parseCardPayload(text);
  if (!parts) return { ok: false, code: 'card-invalid' };
  if (!key) return { ok: false, code: 'card-unverifiable' };
  try {
    const valid = await crypto.subtle.verify(
      'Ed25519',
      key,
      new Uint8Array(parts.signature),
      new TextEncoder().encode(parts.signed),
    );
    if (!valid) return { ok: false, code: 'card-invalid' };
  } catch {
    return { ok: false, code: 'card-invalid' };
  }
  return {
    ok: true,
    card_number: parts.claims.card_number,
    household_id: parts.claims.household_id,
    payload: text.trim(),
  };
}
