import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveLotStatus,
  lotAccountId,
  parseLotAccountId,
  pickFirstExpiry,
} from './accounts.js';

describe('lot accounts', () => {
  it('parse back to their parts, and nothing else parses', () => {
    const id = lotAccountId('lot-1', 'team', 'team-9', 'allocated');
    expect(parseLotAccountId(id)).toEqual({
      lotId: 'lot-1',
      holderKind: 'team',
      holderId: 'team-9',
      state: 'allocated',
    });
    expect(parseLotAccountId('stock:sp:bread')).toBeNull();
    expect(parseLotAccountId('lot:a:moon:b:available')).toBeNull();
  });

  it('an expiry date past today makes a quarantined or released lot expired, never a rejected one', () => {
    expect(effectiveLotStatus('released', '2026-12-01', '2026-12-08')).toBe('expired');
    expect(effectiveLotStatus('quarantined', '2026-12-07', '2026-12-08')).toBe('expired');
    expect(effectiveLotStatus('released', '2026-12-08', '2026-12-08')).toBe('released');
    expect(effectiveLotStatus('rejected', '2020-01-01', '2026-12-08')).toBe('rejected');
    expect(effectiveLotStatus('released', null, '2026-12-08')).toBe('released');
  });
});

describe('pickFirstExpiry', () => {
  const lots = fc.array(
    fc.record({
      id: fc.uuid(),
      number: fc.string({ maxLength: 4 }),
      expires_on: fc.option(
        fc
          .date({ min: new Date('2026-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10)),
        { nil: null },
      ),
      available: fc.integer({ min: 0, max: 1000 }),
    }),
    { maxLength: 8 },
  );

  it('takes exactly the quantity, never more than a lot has, earliest expiry first', () => {
    fc.assert(
      fc.property(lots, fc.integer({ min: 1, max: 5000 }), (candidates, quantity) => {
        const total = candidates.reduce((sum, lot) => sum + lot.available, 0);
        const picks = pickFirstExpiry(candidates, quantity);
        if (total < quantity) {
          expect(picks).toBeNull();
          return;
        }
        expect(picks).not.toBeNull();
        expect(picks!.reduce((sum, pick) => sum + pick.quantity, 0)).toBe(quantity);
        for (const pick of picks!) {
          expect(pick.quantity).toBeGreaterThan(0);
          expect(pick.quantity).toBeLessThanOrEqual(pick.lot.available);
        }
        // Every lot but the last picked is emptied, and none expiring later is touched first.
        for (const pick of picks!.slice(0, -1)) expect(pick.quantity).toBe(pick.lot.available);
        const key = (date: string | null) => date ?? '9999-12-31';
        for (let index = 1; index < picks!.length; index++) {
          expect(key(picks![index - 1]!.lot.expires_on) <= key(picks![index]!.lot.expires_on)).toBe(
            true,
          );
        }
      }),
    );
  });
});
