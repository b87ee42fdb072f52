/** Identifiers for registry rows. */
import { randomFillSync, randomInt } from 'node:crypto';
import { makeCardNumber } from '../../domain/identity/card-number.js';

let lastMillis = 0;
let sequence = 0;

/** Random bytes drawn a few thousand at a time (as node:crypto does for randomUUID). */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomSixteen(): Buffer {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 16;
  return Buffer.from(pool.subarray(poolOffset - 16, poolOffset));
}

/**
 * Returns a UUIDv7 (RFC 9562): time-ordered, so ids sort by creation and keep B-tree inserts
 * at the end of the index; within one millisecond a counter in the random bits keeps order.
 */
export function newTimeOrderedId(now: number = Date.now()): string {
  if (now <= lastMillis) {
    sequence += 1;
    // 4,096 ids in one millisecond: borrow the next millisecond rather than lose the order.
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
    now = lastMillis;
  } else {
    lastMillis = now;
    sequence = randomInt(0, 0x400);
  }
  const bytes = randomSixteen();
  bytes.writeUIntBE(now, 0, 6);
  // The 12 bits of "rand_a" carry the counter.
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Returns a fresh card number from a random 10-digit serial (never starting with 0) and its
 * check digits: random rather than sequential so a neighbour's card number cannot be guessed.
 * Uniqueness is the caller's to check against `cards`.
 */
export function randomCardNumber(): string {
  return makeCardNumber(randomInt(1_000_000_000, 10_000_000_000));
}
