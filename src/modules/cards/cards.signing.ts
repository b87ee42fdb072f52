/**
 * The signed QR payload of a ration card, so a forged or altered card fails even on an offline
 * device that holds only the public key:
 *
 *   AWN1.<base64url(JSON {"c": card number, "h": household id, "d": issue date})>.<base64url(signature)>
 *
 * The Ed25519 signature covers the ASCII text before the last dot ("AWN1.<body>").
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { checkCardNumber } from '../../domain/identity/card-number.js';

export const payloadVersion = 'AWN1';

export interface CardClaims {
  card_number: string;
  household_id: string;
  /** YYYY-MM-DD. */
  issued_on: string;
}

export interface CardKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type PayloadCheck = ({ ok: true } & CardClaims) | { ok: false; code: 'card-invalid' };

const INVALID: PayloadCheck = { ok: false, code: 'card-invalid' };
/** Far above any real payload (~200 characters); bounds the work spent on hostile input. */
const MAX_PAYLOAD_LENGTH = 1000;
const base64url = /^[A-Za-z0-9_-]+$/u;
const isoDate = /^\d{4}-\d{2}-\d{2}$/u;

/** Parses an Ed25519 private key given as PEM or as base64 of its PKCS#8 DER; throws otherwise. */
export function parsePrivateKey(text: string): CardKeys {
  const trimmed = text.trim();
  const privateKey = trimmed.includes('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `the card signing key must be Ed25519, not ${String(privateKey.asymmetricKeyType)}`,
    );
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Returns the signed payload text for a card. */
export function signCardPayload(claims: CardClaims, keys: Pick<CardKeys, 'privateKey'>): string {
  const body = Buffer.from(
    JSON.stringify({ c: claims.card_number, h: claims.household_id, d: claims.issued_on }),
    'utf8',
  ).toString('base64url');
  const signed = `${payloadVersion}.${body}`;
  const signature = sign(null, Buffer.from(signed, 'ascii'), keys.privateKey).toString('base64url');
  return `${signed}.${signature}`;
}

/** True when the text looks like a card payload rather than a card number. */
export function isCardPayload(text: string): boolean {
  return text.trim().startsWith(`${payloadVersion}.`);
}

/**
 * Checks a payload's shape, signature and card check digits, and returns its claims; any
 * failure is `card-invalid` (which part failed is not told to a possible forger).
 */
export function verifyCardPayload(text: string, publicKey: KeyObject): PayloadCheck {
  const payload = text.trim();
  if (payload.length > MAX_PAYLOAD_LENGTH) return INVALID;
  const parts = payload.split('.');
  if (parts.length !== 3) return INVALID;
  const [version, body, signature] = parts as [string, string, string];
  if (version !== payloadVersion || !base64url.test(body) || !base64url.test(signature)) {
    return INVALID;
  }
  let valid: boolean;
  try {
    valid = verify(
      null,
      Buffer.from(`${version}.${body}`, 'ascii'),
      publicKey,
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return INVALID;
  }
  if (!valid) return INVALID;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return INVALID;
  }
  const { c, h, d } = (claims ?? {}) as Record<string, unknown>;
  if (typeof c !== 'string' || typeof h !== 'string' || typeof d !== 'string') return INVALID;
  if (!checkCardNumber(c).ok || !isoDate.test(d) || h === '') return INVALID;
  return { ok: true, card_number: c, household_id: h, issued_on: d };
}

/** The public key as PEM (SPKI) and as the raw 32 bytes in base64, for offline verifiers. */
export function publishPublicKey(publicKey: KeyObject): { pem: string; raw_base64: string } {
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    raw_base64: Buffer.from(jwk.x ?? '', 'base64url').toString('base64'),
  };
}
