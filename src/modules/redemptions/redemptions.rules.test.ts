/**
 * The rules a hand-over needs beyond entitlement and stock (issue 16 §1), through the service
 * and over HTTP, on both databases: only active households, a cycle only within its dates,
 * what a service point hands out, daily and per-visit limits, and replays only in scope.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/app.js';
import { cardPayloads, revokeHouseholdCards } from '../cards/cards.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
  seedTestCommodities,
} from '../cycles/cycles.fixtures.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { redeem } from './redemptions.service.js';

// 23:50 in Damascus (UTC+3) on 5 December; the day ends at 21:00 UTC.
let now = new Date('2026-12-05T20:50:00.000Z');
const clock = () => now;
const clerkActor: Actor = { ...systemActor, kind: 'user', role: 'outlet_clerk' };

describeEachDialect('redemption rules', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let clerk: SignedIn;
  let otherClerk: SignedIn;
  let shop = '';
  let bakery = '';
  const cards: string[] = [];

  const post = (who: SignedIn, url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers: who.headers, payload });
  const redeemAs = (
    who: SignedIn,
    cardIndex: number,
    servicePointId: string,
    items: { commodity: string; quantity: number }[],
    id = randomUUID(),
  ) =>
    post(who, '/api/v1/redemptions', {
      id,
      card: cards[cardIndex] ?? '',
      service_point_id: servicePointId,
      items,
    });

  beforeAll(async () => {
    now = new Date('2026-12-05T20:50:00.000Z');
    app = await buildTestApp(storage(), { clock });
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['bread', 'sugar', 'tea']);
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    clerk = await loginAs(app, storage(), 'outlet_clerk', ['SY0600']);
    otherClerk = await loginAs(app, storage(), 'outlet_clerk', ['SY0601']);
    const households = await insertTestHouseholds(storage().db, [
      { area_pcode: 'SY060000' },
      { area_pcode: 'SY060000', status: 'suspended' },
      { area_pcode: 'SY060001' },
    ]);
    const payloads = await cardPayloads(storage().db, households);
    for (const id of households) cards.push(payloads.get(id)?.card_number ?? '');
    const rations = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'rations',
        name_ar: 'خبز وسكر',
        name_en: 'Bread and sugar',
        rules: {
          eligibility: { statuses: ['active', 'suspended'] },
          items: [
            { commodity: 'bread', tiers: [{ quantity: 30 }], per_day_max: 2, per_visit_max: 2 },
            { commodity: 'sugar', tiers: [{ quantity: 5000 }] },
          ],
        },
      },
      clock,
    );
    const winter = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'winter',
        name_ar: 'شتاء',
        name_en: 'Winter',
        rules: { items: [{ commodity: 'tea', tiers: [{ quantity: 500 }] }] },
      },
      clock,
    );
    for (const [programme, starts_on] of [
      [rations.id, '2026-12-01'],
      [winter.id, '2026-12-20'],
    ] as const) {
      const cycle = await createCycle(
        storage(),
        systemActor,
        { programme_id: programme, starts_on, ends_on: '2026-12-31', area_pcodes: ['SY06'] },
        clock,
      );
      await openCycle(storage(), systemActor, cycle.id, clock);
    }
    shop = await insertTestServicePoint(storage().db, 'SY060000');
    bakery = await insertTestServicePoint(storage().db, 'SY060001');
    for (const servicePoint of [shop, bakery]) {
      for (const commodity of ['bread', 'sugar', 'tea']) {
        await receiveStock(
          storage(),
          systemActor,
          servicePoint,
          { id: randomUUID(), commodity, quantity: 100_000 },
          clock,
        );
      }
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves only active households: 409 household-not-active naming the status', async () => {
    const refused = await redeemAs(clerk, 1, shop, [{ commodity: 'sugar', quantity: 100 }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'household-not-active', status: 'suspended' });
    await expect(
      redeem(
        storage(),
        clerkActor,
        {
          id: randomUUID(),
          card: cards[1] ?? '',
          service_point_id: shop,
          items: [{ commodity: 'sugar', quantity: 100 }],
        },
        clock,
      ),
    ).rejects.toMatchObject({ code: 'household-not-active', extra: { status: 'suspended' } });
    const entitlements = await app.inject({
      method: 'GET',
      url: `/api/v1/redemptions?service_point_id=${shop}`,
      headers: clerk.headers,
    });
    expect(entitlements.json().items).toEqual([]);
  });

  it('serves a cycle only within its dates: 409 cycle-not-started before its first day', async () => {
    const early = await redeemAs(clerk, 0, shop, [{ commodity: 'tea', quantity: 100 }]);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'cycle-not-started',
      commodity: 'tea',
      starts_on: '2026-12-20',
    });
    await expect(
      redeem(
        storage(),
        clerkActor,
        {
          id: randomUUID(),
          card: cards[0] ?? '',
          service_point_id: shop,
          items: [{ commodity: 'tea', quantity: 1 }],
        },
        clock,
      ),
    ).rejects.toMatchObject({ code: 'cycle-not-started' });
  });

  it('hands out at a service point only what it declares: 409 commodity-not-served', async () => {
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/service-points/${bakery}`,
      headers: coordinator.headers,
      payload: { commodities: ['bread'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: bakery, commodities: ['bread'] });
    const unknown = await app.inject({
      method: 'PATCH',
      url: `/api/v1/service-points/${bakery}`,
      headers: coordinator.headers,
      payload: { commodities: ['bread', 'caviar'] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { path: '/commodities/1', message: 'is not a known commodity' },
    ]);
    const created = await post(coordinator, '/api/v1/service-points', {
      name_ar: 'مخبز',
      name_en: 'Bakery',
      area_pcode: 'SY060000',
      commodities: ['bread'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ commodities: ['bread'] });

    const refused = await redeemAs(clerk, 0, bakery, [
      { commodity: 'bread', quantity: 1 },
      { commodity: 'sugar', quantity: 100 },
    ]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'commodity-not-served', commodity: 'sugar' });
    await expect(
      redeem(
        storage(),
        clerkActor,
        {
          id: randomUUID(),
          card: cards[0] ?? '',
          service_point_id: bakery,
          items: [{ commodity: 'sugar', quantity: 1 }],
        },
        clock,
      ),
    ).rejects.toMatchObject({ code: 'commodity-not-served' });
    // Absent (null): every commodity again.
    const everything = await app.inject({
      method: 'PATCH',
      url: `/api/v1/service-points/${created.json<{ id: string }>().id}`,
      headers: coordinator.headers,
      payload: { commodities: null },
    });
    expect(everything.json()).toMatchObject({ commodities: null });
  });

  it('limits a commodity per visit and per day (days in Damascus): 409 daily-limit-reached with what is left', async () => {
    const tooMany = await redeemAs(clerk, 2, bakery, [{ commodity: 'bread', quantity: 3 }]);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({
      code: 'visit-limit-reached',
      commodity: 'bread',
      per_visit_max: 2,
    });
    const first = await redeemAs(clerk, 2, bakery, [{ commodity: 'bread', quantity: 1 }]);
    expect(first.statusCode).toBe(201);
    expect(first.json().left_today).toEqual([{ commodity: 'bread', left_today: 1 }]);
    const over = await redeemAs(clerk, 2, bakery, [{ commodity: 'bread', quantity: 2 }]);
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({
      code: 'daily-limit-reached',
      commodity: 'bread',
      left_today: 1,
    });
    expect(over.json().detail).toContain('1');
    expect(
      (await redeemAs(clerk, 2, bakery, [{ commodity: 'bread', quantity: 1 }])).statusCode,
    ).toBe(201);
    await expect(
      redeem(
        storage(),
        clerkActor,
        {
          id: randomUUID(),
          card: cards[2] ?? '',
          service_point_id: bakery,
          items: [{ commodity: 'bread', quantity: 1 }],
        },
        clock,
      ),
    ).rejects.toMatchObject({ code: 'daily-limit-reached', extra: { left_today: 0 } });

    // 21:05 UTC is already the next day in Damascus: the limit starts again.
    now = new Date('2026-12-05T21:05:00.000Z');
    try {
      const nextDay = await redeemAs(clerk, 2, bakery, [{ commodity: 'bread', quantity: 2 }]);
      expect(nextDay.statusCode).toBe(201);
      expect(nextDay.json().left_today).toEqual([{ commodity: 'bread', left_today: 0 }]);
    } finally {
      now = new Date('2026-12-05T20:50:00.000Z');
    }
  });

  it('tells the counter the limits and what is left today', async () => {
    const households = await insertTestHouseholds(storage().db, [{ area_pcode: 'SY060000' }]);
    // Not in the cycle (registered after it opened): nothing to show yet.
    const view = await app.inject({
      method: 'GET',
      url: `/api/v1/households/${households[0]}/entitlements`,
      headers: clerk.headers,
    });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ household_status: 'active', left_today: [] });

    const served = await app.inject({
      method: 'GET',
      url: `/api/v1/redemptions?service_point_id=${bakery}`,
      headers: clerk.headers,
    });
    const householdId = served.json<{ items: { household_id: string }[] }>().items[0]?.household_id;
    const limited = await app.inject({
      method: 'GET',
      url: `/api/v1/households/${householdId}/entitlements`,
      headers: clerk.headers,
    });
    expect(limited.json()).toMatchObject({
      household_status: 'active',
      left_today: [{ commodity: 'bread', left_today: 0 }],
    });
    expect(limited.json().items).toContainEqual(
      expect.objectContaining({ commodity: 'bread', per_day_max: 2, per_visit_max: 2 }),
    );
  });

  it('answers a replay of an out-of-scope redemption with 404, as any out-of-scope record', async () => {
    const id = randomUUID();
    const body = [{ commodity: 'sugar', quantity: 10 }];
    expect((await redeemAs(clerk, 0, shop, body, id)).statusCode).toBe(201);
    expect((await redeemAs(clerk, 0, shop, body, id)).statusCode).toBe(200);
    const replay = await redeemAs(otherClerk, 0, shop, body, id);
    expect(replay.statusCode).toBe(404);
    expect(replay.body).not.toContain(cards[0]);
  });

  it('checks a card at lookup as a hand-over would: forged 400, revoked 409, out of scope 404', async () => {
    const [household] = await insertTestHouseholds(storage().db, [{ area_pcode: 'SY060000' }]);
    const payload = (await cardPayloads(storage().db, [household ?? ''])).get(household ?? '');
    if (!payload) throw new Error('no card');
    const check = (who: SignedIn, card: string) =>
      post(who, '/api/v1/redemptions/card-check', { card });
    const ok = await check(clerk, payload.payload);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      household_id: household,
      card_number: payload.card_number,
      household_status: 'active',
    });
    expect((await check(clerk, cards[1] ?? '')).json()).toMatchObject({
      household_status: 'suspended',
    });
    const last = payload.payload.at(-2) === 'A' ? 'B' : 'A';
    const forged = await check(
      clerk,
      `${payload.payload.slice(0, -2)}${last}${payload.payload.slice(-1)}`,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'card-invalid' });
    expect((await check(otherClerk, payload.card_number)).statusCode).toBe(404);
    await revokeHouseholdCards(storage().db, household ?? '', 'lost', clock);
    const revoked = await check(clerk, payload.payload);
    expect(revoked.statusCode).toBe(409);
    expect(revoked.json()).toMatchObject({ code: 'card-revoked' });
  });
});
