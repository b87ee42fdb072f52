/**
 * Checks a household's card offline: a typed card number by its MOD 97-10 check digits (the
 * server's own code), a scanned QR payload by its Ed25519 signature against the card public
 * key downloaded with the runs (WebCrypto; the payload layout is in src/modules/cards/cards.signing.ts).
 */
import { checkCardNumber } from '../../../src/domain/identity/card-number';

export type CardCheck =
  | { ok: true; card_number: string; household_id?: string; payload?: string }
  | { ok: false; code: 'card-number-invalid' | 'card-invalid' | 'card-unverifiable' };

const payloadVersion = 'AWN1';

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/gu, '+').replace(/_/gu, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

/** The Ed25519 public key (raw 32 bytes, base64) as a WebCrypto key, or null where unsupported. */
export async function importCardKey(rawBase64: string): Promise<CryptoKey | null> {
  try {
    const raw = Uint8Array.from(atob(rawBase64), (character) => character.charCodeAt(0));
    return await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
}

/** True when the text is a scanned card payload rather than a typed card number. */
export function isCardPayload(text: string): boolean {
  return text.trim().startsWith(`${payloadVersion}.`);
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
  const payload = text.trim();
  const parts = payload.split('.');
  const base64url = /^[A-Za-z0-9_-]+$/u;
  if (payload.length > 1000 || parts.length !== 3) return { ok: false, code: 'card-invalid' };
  const [version, body, signature] = parts as [string, string, string];
  if (!base64url.test(body) || !base64url.test(signature))
    return { ok: false, code: 'card-invalid' };
  if (!key) return { ok: false, code: 'card-unverifiable' };
  try {
    const signed = new TextEncoder().encode(`${version}.${body}`);
    const valid = await crypto.subtle.verify('Ed25519', key, fromBase64url(signature), signed);
    if (!valid) return { ok: false, code: 'card-invalid' };
    const claims = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as Record<
      string,
      unknown
    >;
    const { c, h } = claims;
    if (typeof c !== 'string' || typeof h !== 'string' || !checkCardNumber(c).ok) {
      return { ok: false, code: 'card-invalid' };
    }
    return { ok: true, card_number: c, household_id: h, payload };
  } catch {
    return { ok: false, code: 'card-invalid' };
  }
}
