/**
 * The deployment's time zone, in which days are counted (daily limits, a cycle's first and last
 * day, a service point's day close): `AWN_TIME_ZONE`, an IANA name, default Asia/Damascus.
 */
export const defaultTimeZone = 'Asia/Damascus';

/** The configured time zone; throws at start when the variable names no known zone. */
export function configuredTimeZone(env: Record<string, string | undefined> = process.env): string {
  const zone = env.AWN_TIME_ZONE?.trim() || defaultTimeZone;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
  } catch {
    throw new Error(`AWN_TIME_ZONE=${zone} is not a known IANA time zone`);
  }
  return zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a time zone, as a UTC timestamp in milliseconds. */
function wallClockMilliseconds(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The day (YYYY-MM-DD) an instant falls on in the time zone. */
export function localDay(instant: Date, timeZone: string): string {
  return new Date(wallClockMilliseconds(instant, timeZone)).toISOString().slice(0, 10);
}

/**
 * The instants a local day starts and ends (exclusive) at, as ISO strings comparable with
 * stored `created_at` values. Offsets are read at the day's start and end, so a day that
 * changes offset (daylight saving) is 23 or 25 hours long.
 */
export function localDayBounds(day: string, timeZone: string): { start: string; end: string } {
  const at = (midnightUtc: number): string => {
    // The zone's offset near that midnight, applied once and checked once (it may differ by
    // an hour on a day that changes offset).
    let guess = midnightUtc;
    for (let step = 0; step < 2; step++) {
      const offset = wallClockMilliseconds(new Date(guess), timeZone) - guess;
      guess = midnightUtc - offset;
    }
    return new Date(guess).toISOString();
  };
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return { start: at(start), end: at(start + 86_400_000) };
}
