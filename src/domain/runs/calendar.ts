/**
 * Calendar days in the deployment's time zone: a run's `date` is a local day, and its
 * reservations expire at the end of that day (plus a grace). Pure: Intl only, no I/O.
 */
import { toAsciiDigits } from '../text/arabic.js';

/** YYYY-MM-DD (ASCII or Arabic-Indic digits) naming a real calendar day, as ASCII; else null. */
export function parseDay(value: string): string | null {
  const day = toAsciiDigits(value.trim());
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null;
}

/** The day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** `day` plus `days` (may be negative). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when Intl knows the time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** The local calendar day of an instant in the time zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = localParts(instant, timeZone);
  const pad = (value: number | undefined, width: number) => String(value ?? 0).padStart(width, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

/** The local wall-clock time `HH:MM` of an instant in the time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const parts = localParts(instant, timeZone);
  return `${String(parts.hour ?? 0).padStart(2, '0')}:${String(parts.minute ?? 0).padStart(2, '0')}`;
}

/** How far the zone's wall clock is ahead of UTC at the instant, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = localParts(instant, timeZone);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the local day ends (midnight starting the next day) in the time zone. */
export function endOfLocalDay(day: string, timeZone: string): Date {
  const midnight = Date.parse(`${nextDay(day)}T00:00:00.000Z`);
  // Two passes settle the offset across a daylight-saving change.
  let guess = midnight - offsetMs(new Date(midnight), timeZone);
  guess = midnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}
