import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/types.js';
import { cardPayloads, revokeHouseholdCards } from '../cards/cards.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
} from '../cycles/cycles.fixtures.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { redeem } from './redemptions.service.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');

describeEachDialect(
  'commodities, programmes, cycles, stock and redemptions over HTTP',
  (storage) => {
    let app: AwnApp;
    let coordinator: SignedIn;
    let clerk: SignedIn;
    let storekeeper: SignedIn;
    let servicePointId = '';
    let otherServicePointId = '';
    let households: string[] = [];
    let cards = new Map<string, { card_number: string; payload: string }>();
    let cycleId = '';
    let programmeId = '';

    const post = (who: SignedIn, url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
    const get = (who: SignedIn, url: string) =>
      app.inject({ method: 'GET', url, headers: who.headers });

    beforeAll(async () => {
      app = await buildTestApp(storage(), { clock });
      await seedTestAreas(storage().db);
      coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
      clerk = await loginAs(app, storage(), 'outlet_clerk', ['SY0600']);
      storekeeper = await loginAs(app, storage(), 'storekeeper', ['SY06']);
      servicePointId = await insertTestServicePoint(storage().db, 'SY060000');
      otherServicePointId = await insertTestServicePoint(storage().db, 'SY060100');
      households = await insertTestHouseholds(storage().db, [
        { household_size: 4, area_pcode: 'SY060000' },
        { household_size: 2, area_pcode: 'SY060001' },
        { household_size: 5, area_pcode: 'SY060100' },
        { household_size: 1, area_pcode: 'SY060000' },
      ]);
      const payloads = await cardPayloads(storage().db, households);
      cards = new Map([...payloads].map(([id, card]) => [id, card]));
    });

    afterAll(async () => {
      await app.close();
    });

    const card = (index: number) =>
      cards.get(households[index] ?? '') ?? { card_number: '', payload: '' };

    it('adds commodities (coordinator), refuses a taken code and other roles', async () => {
      for (const [code, unit] of [
        ['sugar', 'g'],
        ['bread', 'bundle'],
      ] as const) {
        const response = await post(coordinator, '/api/v1/commodities', {
          code,
          name_ar: code === 'sugar' ? 'سكر' : 'خبز',
          name_en: code,
          base_unit: unit,
          display_unit: unit === 'g' ? 'kg' : 'bundle',
          display_scale: unit === 'g' ? 1000 : 1,
        });
        expect(response.statusCode).toBe(201);
      }
      const again = await post(coordinator, '/api/v1/commodities', {
        code: 'sugar',
        name_ar: 'سكر',
        name_en: 'Sugar',
        base_unit: 'g',
        display_unit: 'kg',
        display_scale: 1000,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'commodity-exists' });
      const bad = await post(coordinator, '/api/v1/commodities', {
        code: 'Rice!',
        name_ar: 'رز',
        name_en: 'Rice',
        base_unit: 'kg',
        display_unit: 'kg',
        display_scale: 0,
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .errors.map((issue: { path: string }) => issue.path)
          .sort(),
      ).toEqual(['body/base_unit', 'body/code', 'body/display_scale']);
      expect((await post(clerk, '/api/v1/commodities', {})).statusCode).toBe(403);
      const list = await get(clerk, '/api/v1/commodities');
      expect(list.json().items.map((item: { code: string }) => item.code)).toEqual([
        'bread',
        'sugar',
      ]);
    });

    it('creates a programme, refuses unsound rules, previews its reach', async () => {
      const bad = await post(coordinator, '/api/v1/programmes', {
        code: 'bad',
        name_ar: 'سيء',
        name_en: 'Bad',
        rules: {
          eligibility: { tags_any: ['no_such_tag'] },
          items: [
            {
              commodity: 'bread',
              tiers: [{ size_max: 6, quantity: 2 }, { size_max: 3, quantity: 1 }, { quantity: 3 }],
            },
            { commodity: 'caviar', per_person: 1 },
          ],
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
        '/rules/items/0/tiers/1/size_max',
        '/rules/items/1/commodity',
        '/rules/eligibility/tags_any/0',
      ]);

      const rules = {
        items: [
          { commodity: 'sugar', per_person: 1000, min: 1000, max: 5000 },
          {
            commodity: 'bread',
            tiers: [{ size_max: 3, quantity: 1 }, { size_max: 6, quantity: 2 }, { quantity: 3 }],
          },
        ],
      };
      const created = await post(coordinator, '/api/v1/programmes', {
        code: 'ration',
        name_ar: 'الحصة التموينية',
        name_en: 'Ration',
        rules,
      });
      expect(created.statusCode).toBe(201);
      programmeId = created.json().id;
      expect(created.json().rules).toEqual(rules);

      const preview = await post(coordinator, `/api/v1/programmes/${programmeId}/preview`, {
        area_pcodes: ['SY0600'],
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toEqual({
        households: 3,
        totals: [
          { commodity: 'sugar', quantity: 4000 + 2000 + 1000 },
          { commodity: 'bread', quantity: 2 + 1 + 1 },
        ],
      });
      const unsaved = await post(coordinator, '/api/v1/programmes/preview', {
        rules: {
          eligibility: { area_pcodes: ['SY0601'] },
          items: [{ commodity: 'sugar', per_person: 500 }],
        },
      });
      expect(unsaved.json()).toEqual({
        households: 1,
        totals: [{ commodity: 'sugar', quantity: 2500 }],
      });
      expect((await post(clerk, `/api/v1/programmes/${programmeId}/preview`, {})).statusCode).toBe(
        403,
      );
      const bare = await app.inject({
        method: 'POST',
        url: `/api/v1/programmes/${programmeId}/preview`,
        headers: coordinator.headers,
      });
      expect(bare.statusCode).toBe(200);
      expect(bare.json().households).toBe(4);
    });

    it('creates a cycle in draft and opens it, crediting every eligible household', async () => {
      const created = await post(coordinator, '/api/v1/cycles', {
        programme_id: programmeId,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY06'],
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        status: 'draft',
        area_pcodes: ['SY06'],
        households_credited: 0,
      });
      cycleId = created.json().id;
      const opened = await post(coordinator, `/api/v1/cycles/${cycleId}/open`, {});
      expect(opened.statusCode).toBe(200);
      expect(opened.json()).toMatchObject({
        status: 'open',
        households_credited: 4,
        households_processed: 4,
      });
      expect((await get(coordinator, `/api/v1/cycles/${cycleId}`)).json().status).toBe('open');
      const list = await get(coordinator, '/api/v1/cycles?status=open');
      expect(list.json().items.map((cycle: { id: string }) => cycle.id)).toEqual([cycleId]);

      const entitlements = await get(clerk, `/api/v1/households/${households[0]}/entitlements`);
      expect(entitlements.statusCode).toBe(200);
      expect(entitlements.json()).toEqual({
        household_id: households[0],
        household_status: 'active',
        left_today: [],
        items: [
          {
            cycle_id: cycleId,
            commodity: 'bread',
            entitled: 2,
            reserved: 0,
            remaining: 2,
            ends_on: '2026-12-31',
            starts_on: '2026-12-01',
            per_day_max: null,
            per_visit_max: null,
            redeemable: true,
          },
          {
            cycle_id: cycleId,
            commodity: 'sugar',
            entitled: 4000,
            reserved: 0,
            remaining: 4000,
            ends_on: '2026-12-31',
            starts_on: '2026-12-01',
            per_day_max: null,
            per_visit_max: null,
            redeemable: true,
          },
        ],
      });
      // A household outside the clerk's scope is not found.
      expect(
        (await get(clerk, `/api/v1/households/${households[2]}/entitlements`)).statusCode,
      ).toBe(404);
    });

    it('receives stock idempotently and shows the balances', async () => {
      const receipt = { id: randomUUID(), commodity: 'sugar', quantity: 10000 };
      const first = await post(
        storekeeper,
        `/api/v1/service-points/${servicePointId}/stock`,
        receipt,
      );
      expect(first.statusCode).toBe(201);
      const again = await post(
        storekeeper,
        `/api/v1/service-points/${servicePointId}/stock`,
        receipt,
      );
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      const other = await post(storekeeper, `/api/v1/service-points/${servicePointId}/stock`, {
        ...receipt,
        quantity: 1,
      });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('id-conflict');
      expect(
        (
          await post(storekeeper, `/api/v1/service-points/${servicePointId}/stock`, {
            id: randomUUID(),
            commodity: 'bread',
            quantity: 1,
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (await post(clerk, `/api/v1/service-points/${servicePointId}/stock`, receipt)).statusCode,
      ).toBe(403);
      const stock = await get(clerk, `/api/v1/service-points/${servicePointId}/stock`);
      expect(stock.json()).toEqual({
        service_point_id: servicePointId,
        items: [
          { commodity: 'bread', on_hand: 1, reserved: 0, available: 1 },
          { commodity: 'sugar', on_hand: 10000, reserved: 0, available: 10000 },
        ],
      });
      expect(
        (await get(clerk, `/api/v1/service-points/${otherServicePointId}/stock`)).statusCode,
      ).toBe(404);
    });

    it('redeems: 201 with what remains, 200 for a retry, 409 id-conflict for another body', async () => {
      const body = {
        id: randomUUID(),
        card: card(0).payload,
        service_point_id: servicePointId,
        items: [{ commodity: 'sugar', quantity: 1500 }],
      };
      const eventsBefore = await countRows('audit_events');
      const first = await post(clerk, '/api/v1/redemptions', body);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        id: body.id,
        household_id: households[0],
        items: [{ commodity: 'sugar', quantity: 1500 }],
        remaining: [
          { cycle_id: cycleId, commodity: 'bread', remaining: 2 },
          { cycle_id: cycleId, commodity: 'sugar', remaining: 2500 },
        ],
      });
      expect(await countRows('audit_events')).toBe(eventsBefore + 1);

      const transfersBefore = await countRows('transfers');
      const retry = await post(clerk, '/api/v1/redemptions', body);
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toEqual(first.json());
      expect(await countRows('transfers')).toBe(transfersBefore);
      expect(await countRows('audit_events')).toBe(eventsBefore + 1);

      const conflict = await post(clerk, '/api/v1/redemptions', {
        ...body,
        items: [{ commodity: 'sugar', quantity: 1 }],
      });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json().code).toBe('id-conflict');

      // The typed card number works as well as the scanned payload.
      const typed = await post(clerk, '/api/v1/redemptions', {
        ...body,
        id: randomUUID(),
        card: card(0).card_number,
        items: [{ commodity: 'sugar', quantity: 500 }],
      });
      expect(typed.statusCode).toBe(201);
      expect(typed.json().remaining).toContainEqual({
        cycle_id: cycleId,
        commodity: 'sugar',
        remaining: 2000,
      });
    });

    it('refuses what is not owed, not in stock, or not in scope, writing nothing', async () => {
      const transfersBefore = await countRows('transfers');
      const redeemAs = (items: { commodity: string; quantity: number }[], extra: object = {}) =>
        post(clerk, '/api/v1/redemptions', {
          id: randomUUID(),
          card: card(0).payload,
          service_point_id: servicePointId,
          items,
          ...extra,
        });
      const tooMuch = await redeemAs([{ commodity: 'sugar', quantity: 2001 }]);
      expect(tooMuch.statusCode).toBe(409);
      expect(tooMuch.json()).toMatchObject({
        code: 'insufficient-entitlement',
        commodity: 'sugar',
        remaining: [
          { cycle_id: cycleId, commodity: 'bread', remaining: 2 },
          { cycle_id: cycleId, commodity: 'sugar', remaining: 2000 },
        ],
      });
      // Bread is owed (2) but the service point holds only 1; sugar alone would pass.
      const noStock = await redeemAs([
        { commodity: 'sugar', quantity: 100 },
        { commodity: 'bread', quantity: 2 },
      ]);
      expect(noStock.statusCode).toBe(409);
      expect(noStock.json()).toMatchObject({
        code: 'insufficient-stock',
        commodity: 'bread',
        available: 1,
      });

      const forged = await redeemAs([{ commodity: 'sugar', quantity: 1 }], {
        card: `${card(0).payload.slice(0, -4)}AAAA`,
      });
      expect(forged.statusCode).toBe(400);
      expect(forged.json().code).toBe('card-invalid');
      expect(
        (await redeemAs([{ commodity: 'sugar', quantity: 1 }], { card: '0000000000' })).json().code,
      ).toBe('card-invalid');

      const outside = await redeemAs([{ commodity: 'sugar', quantity: 1 }], {
        card: card(2).payload,
      });
      expect(outside.statusCode).toBe(404);
      const elsewhere = await redeemAs([{ commodity: 'sugar', quantity: 1 }], {
        service_point_id: otherServicePointId,
      });
      expect(elsewhere.statusCode).toBe(404);
      const twice = await redeemAs([
        { commodity: 'sugar', quantity: 1 },
        { commodity: 'sugar', quantity: 1 },
      ]);
      expect(twice.statusCode).toBe(400);
      expect((await post(storekeeper, '/api/v1/redemptions', {})).statusCode).toBe(403);
      const unknown = await redeemAs([{ commodity: 'caviar', quantity: 1 }]);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([
        { path: '/items/0/commodity', message: 'is not a known commodity' },
      ]);

      const revokedPayload = card(3).payload;
      await revokeHouseholdCards(storage().db, households[3] ?? '', 'lost', clock);
      const revoked = await redeemAs([{ commodity: 'sugar', quantity: 1 }], {
        card: revokedPayload,
      });
      expect(revoked.statusCode).toBe(409);
      expect(revoked.json().code).toBe('card-revoked');

      expect(await countRows('transfers')).toBe(transfersBefore);
      expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
    });

    it('gives exactly one of 100 concurrent redemptions of the last unit', async () => {
      // Household 1 has 1 bread left after this hand-over of... nothing yet: it is owed 1 bundle.
      const stock = await post(storekeeper, `/api/v1/service-points/${servicePointId}/stock`, {
        id: randomUUID(),
        commodity: 'bread',
        quantity: 100,
      });
      expect(stock.statusCode).toBe(201);
      const clerkActor = { ...systemActor, kind: 'user' as const, role: 'outlet_clerk' as const };
      const attempts = await Promise.allSettled(
        Array.from({ length: 100 }, () =>
          redeem(
            storage(),
            clerkActor,
            {
              id: randomUUID(),
              card: card(1).card_number,
              service_point_id: servicePointId,
              items: [{ commodity: 'bread', quantity: 1 }],
            },
            clock,
          ),
        ),
      );
      const succeeded = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const refusals = attempts.flatMap((attempt) =>
        attempt.status === 'rejected' ? [(attempt.reason as { code?: string }).code] : [],
      );
      expect(succeeded).toHaveLength(1);
      expect(new Set(refusals)).toEqual(new Set(['insufficient-entitlement']));
      expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
    });

    it('answers 20 concurrent retries of one redemption with one hand-over and 19 replays', async () => {
      const clerkActor = { ...systemActor, kind: 'user' as const, role: 'outlet_clerk' as const };
      const input = {
        id: randomUUID(),
        card: card(0).card_number,
        service_point_id: servicePointId,
        items: [{ commodity: 'sugar', quantity: 10 }],
      };
      const transfersBefore = await countRows('transfers');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => redeem(storage(), clerkActor, input, clock)),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      for (const result of results) expect(result.redemption).toEqual(results[0]?.redemption);
      // One entitlement debit and one stock move.
      expect(await countRows('transfers')).toBe(transfersBefore + 2);
    });

    it('lists redemptions newest first, a page at a time, only in scope, with no personal data', async () => {
      const rows = await storage()
        .db.selectFrom('redemptions')
        .select(['id', 'household_id', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      expect(rows.length).toBeGreaterThan(3);
      const auditor = await loginAs(app, storage(), 'auditor', ['SY06']);
      const pages: { id: string }[][] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/redemptions?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await get(auditor, url);
        expect(page.statusCode).toBe(200);
        const body = page.json() as { items: { id: string }[]; next_cursor: string | null };
        pages.push(body.items);
        cursor = body.next_cursor;
      } while (cursor !== null);
      expect(pages.flat().map((item) => item.id)).toEqual(rows.map((row) => row.id));
      expect(pages.every((page) => page.length <= 2)).toBe(true);

      const first = (await get(auditor, '/api/v1/redemptions?limit=1')).json().items[0];
      expect(Object.keys(first).sort()).toEqual([
        'collected_by',
        'created_at',
        'home_override',
        'household_id',
        'id',
        'items',
        'service_point_id',
      ]);
      expect(first.items[0]).toEqual({
        commodity: expect.any(String),
        quantity: expect.any(Number),
      });

      const mine = await get(auditor, `/api/v1/redemptions?household_id=${households[1]}`);
      expect(mine.json().items.map((item: { id: string }) => item.id)).toEqual(
        rows.filter((row) => row.household_id === households[1]).map((row) => row.id),
      );
      expect(
        (await get(auditor, `/api/v1/redemptions?service_point_id=${otherServicePointId}`)).json()
          .items,
      ).toEqual([]);
      // since: the clock's instant (with an offset) includes them all, a later one none.
      expect(
        (
          await get(auditor, '/api/v1/redemptions?limit=200&since=2026-12-05T11:00:00%2B02:00')
        ).json().items,
      ).toHaveLength(rows.length);
      expect(
        (await get(auditor, '/api/v1/redemptions?since=2026-12-05T09:00:00.001Z')).json().items,
      ).toEqual([]);
      expect((await get(auditor, '/api/v1/redemptions?since=yesterday')).statusCode).toBe(400);
      expect((await get(auditor, '/api/v1/redemptions?cursor=not-a-cursor')).statusCode).toBe(400);

      // A registrar of the other district sees none of these households' redemptions.
      const elsewhere = await loginAs(app, storage(), 'registrar', ['SY0601']);
      expect((await get(elsewhere, '/api/v1/redemptions')).json()).toEqual({
        items: [],
        next_cursor: null,
      });
      expect((await get(storekeeper, '/api/v1/redemptions')).statusCode).toBe(403);
    });

    it("shows the cycle's progress per subdistrict, computed from the ledger", async () => {
      const expected = await progressFromTransfers();
      const progress = await get(coordinator, `/api/v1/cycles/${cycleId}/progress`);
      expect(progress.statusCode).toBe(200);
      expect(progress.json()).toEqual(expected);
      expect(progress.json()).toMatchObject({
        cycle_id: cycleId,
        status: 'open',
        households_entitled: 4,
      });
      expect(progress.json().households_served).toBeGreaterThanOrEqual(2);
      expect(progress.json().areas.map((area: { area_pcode: string }) => area.area_pcode)).toEqual([
        'SY060000',
        'SY060001',
        'SY060100',
      ]);
      expect(progress.json().areas[0]).toMatchObject({ name_ar: 'منطقة SY060000' });
      expect((await get(clerk, `/api/v1/cycles/${cycleId}/progress`)).statusCode).toBe(403);
      const narrow = await loginAs(app, storage(), 'coordinator', ['SY0600']);
      expect((await get(narrow, `/api/v1/cycles/${cycleId}/progress`)).statusCode).toBe(404);
      expect((await get(coordinator, `/api/v1/cycles/${randomUUID()}/progress`)).statusCode).toBe(
        404,
      );
    });

    it('lists the households not yet served, with what is left, and prints their signature sheet', async () => {
      const progress = (await get(coordinator, `/api/v1/cycles/${cycleId}/progress`)).json();
      const unserved = await get(coordinator, `/api/v1/cycles/${cycleId}/unserved?limit=1`);
      expect(unserved.statusCode).toBe(200);
      expect(unserved.json().items).toHaveLength(1);
      expect(unserved.json().items[0].remaining.length).toBeGreaterThan(0);
      const all: { id: string; card_number: string }[] = [...unserved.json().items];
      let cursor: string | null = unserved.json().next_cursor;
      while (cursor !== null) {
        const next = await get(
          coordinator,
          `/api/v1/cycles/${cycleId}/unserved?limit=1&cursor=${cursor}`,
        );
        all.push(...next.json().items);
        cursor = next.json().next_cursor;
      }
      expect(all).toHaveLength(progress.households_entitled - progress.households_served);
      const served = await storage().db.selectFrom('redemptions').select('household_id').execute();
      for (const item of all) {
        expect(served.map((row) => row.household_id)).not.toContain(item.id);
      }

      const within = await get(coordinator, `/api/v1/cycles/${cycleId}/unserved?area_pcode=SY0601`);
      expect(within.statusCode).toBe(200);
      for (const item of within.json().items) expect(item.area_pcode).toMatch(/^SY0601/u);
      expect(
        (await get(coordinator, `/api/v1/cycles/${cycleId}/unserved?area_pcode=SY9999`)).statusCode,
      ).toBe(404);

      const sheet = await get(coordinator, `/api/v1/cycles/${cycleId}/signature-sheet`);
      expect(sheet.statusCode).toBe(200);
      expect(sheet.headers['content-type']).toContain('text/html');
      expect(sheet.body).toContain('كشف توقيع');
      for (const item of all) expect(sheet.body).toContain(item.card_number);
      expect((await get(clerk, `/api/v1/cycles/${cycleId}/unserved`)).statusCode).toBe(403);
      const narrow = await loginAs(app, storage(), 'coordinator', ['SY0600']);
      expect((await get(narrow, `/api/v1/cycles/${cycleId}/unserved`)).statusCode).toBe(404);
    });

    it('refuses redemptions once the cycle is closed, and after its last day', async () => {
      const body = {
        card: card(0).payload,
        service_point_id: servicePointId,
        items: [{ commodity: 'sugar', quantity: 1 }],
      };
      // After the cycle's last day (UTC) it is refused, though not closed yet.
      const clerkActor = { ...systemActor, kind: 'user' as const, role: 'outlet_clerk' as const };
      await expect(
        redeem(
          storage(),
          clerkActor,
          { ...body, id: randomUUID() },
          () => new Date('2027-01-01T00:00:01.000Z'),
        ),
      ).rejects.toMatchObject({ code: 'cycle-closed' });

      const closed = await post(coordinator, `/api/v1/cycles/${cycleId}/close`, {});
      expect(closed.statusCode).toBe(200);
      expect(closed.json().status).toBe('closed');
      const refused = await post(clerk, '/api/v1/redemptions', { ...body, id: randomUUID() });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('cycle-closed');
      const entitlements = await get(clerk, `/api/v1/households/${households[0]}/entitlements`);
      expect(entitlements.json().items).toEqual([]);
      expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
    });

    it('counts what expired at close as neither redeemed nor served', async () => {
      const progress = (await get(coordinator, `/api/v1/cycles/${cycleId}/progress`)).json();
      const expected = await progressFromTransfers();
      expect(progress).toEqual({ ...expected, status: 'closed' });
      const expired = await storage()
        .db.selectFrom('transfers')
        .select((eb) => eb.fn.count<number | string>('id').as('count'))
        .where('code', '=', 'entitlement_expiry')
        .executeTakeFirstOrThrow();
      expect(Number(expired.count)).toBeGreaterThan(0);
    });

    /** The progress recomputed by hand from credits and redemption transfers. */
    async function progressFromTransfers() {
      const db = storage().db;
      const credited = await db
        .selectFrom('cycle_households')
        .innerJoin('households', 'households.id', 'cycle_households.household_id')
        .select(['households.id', 'households.area_pcode'])
        .where('cycle_id', '=', cycleId)
        .execute();
      const transfers = await db
        .selectFrom('transfers')
        .select(['id', 'code', 'amount', 'commodity', 'references_json'])
        .where('code', 'in', ['entitlement_credit', 'redemption'])
        .execute();
      const areaOf = new Map(credited.map((row) => [row.id, row.area_pcode]));
      const areas = new Map<
        string,
        { households: Set<string>; served: Set<string>; items: Map<string, [number, number]> }
      >();
      for (const row of credited) {
        const area = areas.get(row.area_pcode) ?? {
          households: new Set(),
          served: new Set(),
          items: new Map(),
        };
        area.households.add(row.id);
        areas.set(row.area_pcode, area);
      }
      for (const transfer of transfers) {
        // Credits are named credit:<cycle>:<household>:<commodity>; redemptions carry references.
        const [kind, creditCycle, creditHousehold] = transfer.id.split(':');
        const references =
          kind === 'credit'
            ? { cycle_id: creditCycle, household_id: creditHousehold }
            : (JSON.parse(transfer.references_json ?? '{}') as {
                cycle_id?: string;
                household_id?: string;
              });
        if (references.cycle_id !== cycleId) continue;
        const area = areas.get(areaOf.get(references.household_id ?? '') ?? '');
        if (!area) continue;
        const item = area.items.get(transfer.commodity) ?? [0, 0];
        if (transfer.code === 'redemption') {
          item[1] += Number(transfer.amount);
          area.served.add(references.household_id ?? '');
        } else item[0] += Number(transfer.amount);
        area.items.set(transfer.commodity, item);
      }
      const list = [...areas.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([pcode, area]) => ({
          area_pcode: pcode,
          name_ar: `منطقة ${pcode}`,
          name_en: `Area ${pcode}`,
          households_entitled: area.households.size,
          households_served: area.served.size,
          commodities: [...area.items.entries()]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([commodity, [entitled, redeemed]]) => ({ commodity, entitled, redeemed })),
        }));
      const totals = new Map<string, { commodity: string; entitled: number; redeemed: number }>();
      for (const area of list) {
        for (const item of area.commodities) {
          const total = totals.get(item.commodity) ?? { ...item, entitled: 0, redeemed: 0 };
          total.entitled += item.entitled;
          total.redeemed += item.redeemed;
          totals.set(item.commodity, total);
        }
      }
      return {
        cycle_id: cycleId,
        status: 'open',
        households_entitled: list.reduce((sum, area) => sum + area.households_entitled, 0),
        households_served: list.reduce((sum, area) => sum + area.households_served, 0),
        areas: list,
        commodities: [...totals.values()].sort((a, b) => (a.commodity < b.commodity ? -1 : 1)),
      };
    }

    async function countRows(table: 'transfers' | 'audit_events'): Promise<number> {
      const row = await storage()
        .db.selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    }
  },
);
