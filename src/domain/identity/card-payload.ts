/**
 * The text of a ration card's QR, read the same way by the server, the counter and the field
 * app (pure: no Node API, so browsers bundle it):
 *
 *   AWN1.<base64url(JSON {"c": card number, "h": household id, "d": issue date})>.<base64url(signature)>
 *
 * The Ed25519 signature covers the ASCII text before the last dot ("AWN1.<body>"); checking it
 * is the reader's part (node:crypto on the server, WebCrypto in a browser).
 */
import { checkCardNumber } from './card-number.js';

export const payloadVersion = 'AWN1';

export interface CardClaims {
  card_number: string;
  household_id: string;
  /** YYYY-MM-DD. */
  issued_on: string;
}

/** A payload taken apart: its claims, the text the signature covers, and the signature. */
export interface CardPayloadParts {
  claims: CardClaims;
  signed: string;
  signature: Uint8Array;
}

/** Far above any real payload (~200 characters); bounds the work spent on hostile input. */
const maxPayloadLength = 1000;
const base64url = /^[A-Za-z0-9_-]+$/u;
const isoDate = /^\d{4}-\d{2}-\d{2}$/u;

/** True when the text looks like a card payload rather than a card number. */
export function isCardPayload(text: string): boolean {
  return text.trim().startsWith(`${payloadVersion}.`);
}

export function base64urlBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/gu, '+').replace(/_/gu, '/'));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

/**
 * The payload's parts when its shape, claims and card check digits are sound; null otherwise
 * (which part failed is not told to a possible forger). The signature is not checked here.
 */
export function parseCardPayload(text: string): CardPayloadParts | null {
  const payload = text.trim();
  if (payload.length > maxPayloadLength) return null;
  const parts = payload.split('.');
  if (parts.length !== 3) return null;
  const [version, body, signature] = parts as [string, string, string];
  if (version !== payloadVersion || !base64url.test(body) || !base64url.test(signature)) {
    return null;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlBytes(body)));
  } catch {
    return null;
  }
  const { c, h, d } = (claims ?? {}) as Record<string, unknown>;
  if (typeof c !== 'string' || typeof h !== 'string' || typeof d !== 'string') return null;
  if (!checkCardNumber(c).ok || !isoDate.test(d) || h === '') return null;
  return {
    claims: { card_number: c, household_id: h, issued_on: d },
    signed: `${version}.${body}`,
    signature: base64urlBytes(signature),
  };
}
