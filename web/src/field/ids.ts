/**
 * Time-ordered client ids for field ops (UUIDv7, RFC 9562: 48 bits of milliseconds, then a
 * 12-bit counter, then random bits), so ops sort by when they were recorded even within one
 * millisecond, and a phone's clock stepping back never reorders them.
 */
let lastMillis = 0;
let sequence = 0;

/** Returns a UUIDv7 greater than every id this page returned before. */
export function newOpId(now: number = Date.now()): string {
  if (now <= lastMillis) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
    now = lastMillis;
  } else {
    lastMillis = now;
    sequence = 0;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (let index = 5, rest = now; index >= 0; index--, rest = Math.floor(rest / 256)) {
    bytes[index] = rest % 256;
  }
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The milliseconds an id was made at (its first 48 bits). */
export function opIdTime_ms(id: string): number {
  return parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}
