import { describe, expect, it } from 'vitest';
import { configuredTimeZone, localDay, localDayBounds } from './time-zone.js';

describe('time zone', () => {
  it('counts days in the configured zone, Asia/Damascus by default', () => {
    expect(configuredTimeZone({})).toBe('Asia/Damascus');
    expect(configuredTimeZone({ AWN_TIME_ZONE: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(() => configuredTimeZone({ AWN_TIME_ZONE: 'Mars/Olympus' })).toThrow(/AWN_TIME_ZONE/);
    // Damascus is UTC+3: 22:30 UTC is already the next day there.
    expect(localDay(new Date('2026-12-05T22:30:00Z'), 'Asia/Damascus')).toBe('2026-12-06');
    expect(localDay(new Date('2026-12-05T20:59:59Z'), 'Asia/Damascus')).toBe('2026-12-05');
    expect(localDayBounds('2026-12-06', 'Asia/Damascus')).toEqual({
      start: '2026-12-05T21:00:00.000Z',
      end: '2026-12-06T21:00:00.000Z',
    });
  });

  it('gives a day that changes offset its real length', () => {
    // Berlin moves from UTC+1 to UTC+2 on 2026-03-29: that day has 23 hours.
    expect(localDayBounds('2026-03-29', 'Europe/Berlin')).toEqual({
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T22:00:00.000Z',
    });
  });
});
