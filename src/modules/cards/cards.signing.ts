/**
 * The signed QR payload of a ration card, so a forged or altered card fails even on an offline
 * device that holds only the public key:
 *
 *   AWN1.<base64url(JSON {"c": card number, "h": household id, "d": issue date})>.<base64url(signature)>
 *
 * The Ed25519 signature covers the ASCII text before the last dot ("AWN1.<body>").
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  parseCardPayload,
  payloadVersion,
  type CardClaims,
} from '../../domain/identity/card-payload.js';

export {
  isCardPayload,
  payloadVersion,
  type CardClaims,
} from '../../domain/identity/card-payload.js';

export interface CardKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type PayloadCheck = ({ ok: true } & CardClaims) | { ok: false; code: 'card-invalid' };

const INVALID: PayloadCheck = { ok: false, code: 'card-invalid' };

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

/**
 * Checks a payload's shape, signature and card check digits, and returns its claims; any
 * failure is `card-invalid` (which part failed is not told to a possible forger).
 */
export function verifyCardPayload(text: string, publicKey: KeyObject): PayloadCheck {
  const parts = parseCardPayload(text);
  if (!parts) return INVALID;
  try {
    if (!verify(null, Buffer.from(parts.signed, 'ascii'), publicKey, parts.signature)) {
      return INVALID;
    }
  } catch {
    return INVALID;
  }
  return { ok: true, ...parts.claims };
}

/** The public key as PEM (SPKI) and as the raw 32 bytes in base64, for offline verifiers. */
export function publishPublicKey(publicKey: KeyObject): { pem: string; raw_base64: string } {
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    raw_base64: Buffer.from(jwk.x ?? '', 'base64url').toString('base64'),
  };
}
