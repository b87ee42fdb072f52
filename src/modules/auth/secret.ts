/** Random secrets (session ids, tokens) and the one-way hash under which they are stored. */
import { hash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, hex: what the database keeps instead of a session id or token. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret);
}
