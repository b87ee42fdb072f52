/**
 * Password hashing with scrypt from node:crypto.
 * Parameters: N = 2^15 (cost), r = 8 (block size), p = 1 (parallelism), a 64-byte key and a
 * 16-byte random salt; scrypt needs 128 * N * r bytes = 32 MiB, so maxmem is raised to 64 MiB
 * (Node's default stops at 32 MiB). Stored as `scrypt$N$r$p$<salt base64>$<hash base64>`,
 * so the parameters can be raised later without invalidating existing hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const cost = 2 ** 15;
const blockSize = 8;
const parallelism = 1;
const keyLength = 64;
const saltLength = 16;

/** Shortest password accepted anywhere (API and CLI). */
export const minimumPasswordLength = 10;
/** Longest accepted: scrypt hashes any length, but nobody needs more. */
export const maximumPasswordLength = 1024;

function deriveKey(
  password: string,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 2 * 128 * N * r * p };
}

/** A fresh salted hash of the password in the encoded form above. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await deriveKey(
    password,
    salt,
    keyLength,
    scryptOptions(cost, blockSize, parallelism),
  );
  return [
    'scrypt',
    cost,
    blockSize,
    parallelism,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/**
 * True when the password matches the encoded hash; compares in constant time.
 * A malformed hash (or absurd parameters) is false, never an exception.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map((part) => Number.parseInt(part ?? '', 10));
  if (
    N === undefined ||
    r === undefined ||
    p === undefined ||
    !(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0) ||
    !(r >= 1 && r <= 32) ||
    !(p >= 1 && p <= 16)
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(password, salt, expected.length, scryptOptions(N, r, p));
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * A valid hash of a random password: verifying against it when the user does not exist takes
 * as long as a real check, so response times do not reveal which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
