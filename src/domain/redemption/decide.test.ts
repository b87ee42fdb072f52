import { describe, expect, it } from 'vitest';
import { stockAccountId } from '../entitlement/accounts.js';
import { TransferFlags } from '../ledger/ledger.js';
import {
  decideRedemptions,
  type EntitlementState,
  type RedemptionRequest,
  type RedemptionSnapshot,
} from './decide.js';

const household = { id: 'h1', area_path: 'SY06/SY0600/', status: 'active' };

function entitlement(overrides: Partial<EntitlementState>): EntitlementState {
  return {
    accountId: `ent:${overrides.cycleId ?? 'c1'}:h1:${overrides.commodity ?? 'sugar'}`,
    cycleId: 'c1',
    commodity: 'sugar',
    programmeId: 'p1',
    status: 'open',
    startsOn: '2026-12-01',
    endsOn: '2026-12-31',
    perDayMax: null,
    perVisitMax: null,
    available: 1000,
    ...overrides,
  };
}

function snapshot(overrides: Partial<RedemptionSnapshot> = {}): RedemptionSnapshot {
  return {
    today: '2026-12-05',
    createdAt: '2026-12-05T09:00:00.000Z',
    stored: new Map(),
    cards: new Map([['card-1', { ok: true, household }]]),
    servicePoints: new Map([
      ['sp1', { areaPath: 'SY06/SY0600/', commodities: null }],
      ['sp2', { areaPath: 'SY06/SY0600/', commodities: null }],
    ]),
    userServicePoints: new Map(),
    homeServicePoints: new Map(),
    handedToday: new Map(),
    collectors: new Map(),
    entitlements: new Map([['h1', [entitlement({})]]]),
    stock: new Map([[stockAccountId('sp1', 'sugar'), 5000]]),
    ...overrides,
  };
}

let ids = 0;
function request(overrides: Partial<RedemptionRequest> = {}): RedemptionRequest {
  ids += 1;
  return {
    id: `r${ids}`,
    card: 'card-1',
    service_point_id: 'sp1',
    items: [{ commodity: 'sugar', quantity: 400 }],
    requestHash: `hash-${ids}`,
    handOverId: `ho${ids}`,
    userId: 'u1',
    scope: { kind: 'all' },
    overrideHomeServicePoint: false,
    ...overrides,
  };
}

describe('decideRedemptions', () => {
  it('accepts a hand-over as one linked chain: entitlement to delivered, stock to distributed', () => {
    const state = snapshot();
    const [decision] = decideRedemptions([request({ id: 'a', handOverId: 'x' })], state);
    expect(decision?.ok).toBe(true);
    if (!decision?.ok) return;
    expect(decision.created).toBe(true);
    expect(decision.redemption).toMatchObject({
      id: 'a',
      household_id: 'h1',
      items: [{ commodity: 'sugar', quantity: 400 }],
      remaining: [{ cycle_id: 'c1', commodity: 'sugar', remaining: 600 }],
    });
    expect(
      decision.transfers.map((transfer) => [transfer.debit_account_id, transfer.amount]),
    ).toEqual([
      ['ent:c1:h1:sugar', 400],
      [stockAccountId('sp1', 'sugar'), 400],
    ]);
    expect(decision.transfers.map((transfer) => transfer.flags)).toEqual([TransferFlags.linked, 0]);
    expect(state.stock.get(stockAccountId('sp1', 'sugar'))).toBe(4600);
  });

  it('takes from the earliest-ending redeemable cycle first, then the next', () => {
    const state = snapshot({
      entitlements: new Map([
        [
          'h1',
          [
            entitlement({ cycleId: 'early', endsOn: '2026-12-10', available: 300 }),
            entitlement({ cycleId: 'late', endsOn: '2026-12-31', available: 1000 }),
          ],
        ],
      ]),
    });
    const [decision] = decideRedemptions([request()], state);
    if (!decision?.ok) throw new Error('refused');
    expect(decision.transfers.slice(0, 2).map((transfer) => transfer.amount)).toEqual([300, 100]);
    expect(decision.redemption.remaining.map((entry) => entry.remaining)).toEqual([0, 900]);
  });

  it('lets a later request of the batch see what the earlier ones took', () => {
    const decisions = decideRedemptions(
      [request({ items: [{ commodity: 'sugar', quantity: 700 }] }), request()],
      snapshot(),
    );
    expect(decisions[0]?.ok).toBe(true);
    expect(decisions[1]).toEqual({
      ok: false,
      refusal: {
        code: 'insufficient-entitlement',
        commodity: 'sugar',
        available: 300,
        remaining: [{ cycle_id: 'c1', commodity: 'sugar', remaining: 300 }],
      },
    });
  });

  it('answers a retry with the first answer, and refuses the id with another body', () => {
    const first = request({ id: 'same', requestHash: 'h' });
    const decisions = decideRedemptions(
      [first, { ...first, handOverId: 'other' }, { ...first, requestHash: 'changed' }],
      snapshot(),
    );
    expect(decisions[1]).toMatchObject({ ok: true, created: false, transfers: [] });
    expect(decisions[2]).toEqual({ ok: false, refusal: { code: 'id-conflict' } });
  });

  it('answers a stored redemption only inside the scope of its household', () => {
    const first = request({ id: 'kept', requestHash: 'h' });
    const [stored] = decideRedemptions([first], snapshot());
    if (!stored?.ok) throw new Error('refused');
    const state = snapshot({
      stored: new Map([
        [
          'kept',
          {
            requestHash: 'h',
            householdAreaPath: household.area_path,
            redemption: stored.redemption,
          },
        ],
      ]),
    });
    expect(decideRedemptions([first], state)[0]).toMatchObject({ ok: true, created: false });
    expect(
      decideRedemptions([{ ...first, scope: { kind: 'areas', paths: ['SY07/'] } }], state)[0],
    ).toEqual({ ok: false, refusal: { code: 'household-not-found' } });
  });

  it('refuses each expected case with a value and takes nothing', () => {
    const cases: [Partial<RedemptionRequest>, Partial<RedemptionSnapshot>, unknown][] = [
      [
        {
          items: [
            { commodity: 'sugar', quantity: 1 },
            { commodity: 'sugar', quantity: 1 },
          ],
        },
        {},
        { code: 'item-repeated', index: 1 },
      ],
      [{ card: 'unknown' }, {}, { code: 'card-invalid' }],
      [
        {},
        { cards: new Map([['card-1', { ok: false, code: 'card-revoked' }]]) },
        { code: 'card-revoked' },
      ],
      [{ scope: { kind: 'areas', paths: ['SY07/'] } }, {}, { code: 'household-not-found' }],
      [{ service_point_id: 'elsewhere' }, {}, { code: 'service-point-not-found' }],
      [
        {},
        { entitlements: new Map([['h1', [entitlement({ status: 'closed' })]]]) },
        { code: 'cycle-closed', commodity: 'sugar' },
      ],
      [
        {},
        { entitlements: new Map([['h1', [entitlement({ endsOn: '2026-12-04' })]]]) },
        { code: 'cycle-closed', commodity: 'sugar' },
      ],
      [
        {},
        { stock: new Map([[stockAccountId('sp1', 'sugar'), 399]]) },
        { code: 'insufficient-stock', commodity: 'sugar', available: 399 },
      ],
      [
        {},
        {
          cards: new Map([['card-1', { ok: true, household: { ...household, status: 'moved' } }]]),
        },
        { code: 'household-not-active', status: 'moved' },
      ],
      [
        {},
        {
          servicePoints: new Map([['sp1', { areaPath: 'SY06/SY0600/', commodities: ['bread'] }]]),
        },
        { code: 'commodity-not-served', commodity: 'sugar' },
      ],
      [
        {},
        { userServicePoints: new Map([['u1', ['sp2']]]) },
        { code: 'service-point-not-assigned' },
      ],
      [{ collected_by: 'proxy:nobody' }, {}, { code: 'collector-unknown' }],
      [
        {},
        { entitlements: new Map([['h1', [entitlement({ startsOn: '2026-12-08' })]]]) },
        { code: 'cycle-not-started', commodity: 'sugar', starts_on: '2026-12-08' },
      ],
      [
        {},
        { homeServicePoints: new Map([['h1', new Map([['p1', 'sp2']])]]) },
        { code: 'wrong-service-point', commodity: 'sugar', home_service_point_id: 'sp2' },
      ],
      [
        {},
        { entitlements: new Map([['h1', [entitlement({ perVisitMax: 300 })]]]) },
        { code: 'visit-limit-reached', commodity: 'sugar', per_visit_max: 300 },
      ],
      [
        {},
        {
          entitlements: new Map([['h1', [entitlement({ perDayMax: 500 })]]]),
          handedToday: new Map([['h1', new Map([['sugar', 200]])]]),
        },
        { code: 'daily-limit-reached', commodity: 'sugar', left_today: 300 },
      ],
      [
        { items: [{ commodity: 'tea', quantity: 1 }] },
        {},
        {
          code: 'insufficient-entitlement',
          commodity: 'tea',
          available: 0,
          remaining: [{ cycle_id: 'c1', commodity: 'sugar', remaining: 1000 }],
        },
      ],
    ];
    for (const [asked, state, refusal] of cases) {
      const snap = snapshot(state);
      const before = JSON.stringify([...snap.stock, ...snap.entitlements]);
      expect(decideRedemptions([request(asked)], snap)).toEqual([{ ok: false, refusal }]);
      expect(JSON.stringify([...snap.stock, ...snap.entitlements])).toBe(before);
    }
  });

  it('counts a daily limit over the batch and says what is left today', () => {
    const state = snapshot({
      entitlements: new Map([['h1', [entitlement({ perDayMax: 500, perVisitMax: 400 })]]]),
      handedToday: new Map([['h1', new Map()]]),
    });
    const decisions = decideRedemptions([request(), request()], state);
    expect(decisions[0]).toMatchObject({
      ok: true,
      redemption: { left_today: [{ commodity: 'sugar', left_today: 100 }] },
    });
    expect(decisions[1]).toEqual({
      ok: false,
      refusal: { code: 'daily-limit-reached', commodity: 'sugar', left_today: 100 },
    });
  });

  it("takes only from cycles whose programme's home service point is here, unless overridden", () => {
    const state = snapshot({
      entitlements: new Map([
        [
          'h1',
          [
            entitlement({ cycleId: 'tied', programmeId: 'p1', endsOn: '2026-12-10' }),
            entitlement({ cycleId: 'free', programmeId: 'p2' }),
          ],
        ],
      ]),
      homeServicePoints: new Map([['h1', new Map([['p1', 'sp2']])]]),
    });
    const [here] = decideRedemptions([request()], state);
    if (!here?.ok) throw new Error('refused');
    expect(here.transfers[0]?.debit_account_id).toBe('ent:free:h1:sugar');
    const [overridden] = decideRedemptions([request({ overrideHomeServicePoint: true })], state);
    if (!overridden?.ok) throw new Error('refused');
    expect(overridden.transfers[0]?.debit_account_id).toBe('ent:tied:h1:sugar');
  });

  it('records who collected when they belong to the household', () => {
    for (const collected_by of ['head', 'member:2', 'proxy:p9']) {
      const state = snapshot({ collectors: new Map([['h1', new Set(['proxy:p9', 'member:2'])]]) });
      const [decision] = decideRedemptions([request({ collected_by })], state);
      expect(decision).toMatchObject({ ok: true, redemption: { collected_by } });
    }
  });
});
