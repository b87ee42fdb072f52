/**
 * The counter's desk (issue 16 §1, §2), over HTTP on both databases: who serves where (a
 * clerk's service points, a household's home service point set in bulk or one by one, a
 * coordinator's audited override, the card sheet), who collected (proxies, members, the
 * head), late registrations joining an open cycle (both settings), and the day close.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/app.js';
import { cardPayloads } from '../cards/cards.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
  seedTestCommodities,
} from '../cycles/cycles.fixtures.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import {
  abandonedImportMs,
  undoAbandonedImports,
} from '../household-files/household-files.service.js';
import { buildHouseholdInput } from '../households/households.factories.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { receiveStock } from '../stock/stock.service.js';

// 13:00 in Damascus on 5 December 2026.
const clock = () => new Date('2026-12-05T10:00:00.000Z');

describeEachDialect('the counter desk', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  let coordinator: SignedIn;
  let registrar: SignedIn;
  let clerk: SignedIn;
  let shop = '';
  let bakery = '';
  let rationsId = '';
  let households: string[] = [];
  const cards: string[] = [];

  const send = (
    who: SignedIn,
    method: 'POST' | 'PATCH' | 'PUT' | 'GET' | 'DELETE',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const redeemAs = (who: SignedIn, card: string, servicePointId: string, extra: object = {}) =>
    send(who, 'POST', '/api/v1/redemptions', {
      id: randomUUID(),
      card,
      service_point_id: servicePointId,
      items: [{ commodity: 'sugar', quantity: 100 }],
      ...extra,
    });

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['bread', 'sugar']);
    admin = await loginAs(app, storage(), 'admin');
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    registrar = await loginAs(app, storage(), 'registrar', ['SY06']);
    clerk = await loginAs(app, storage(), 'outlet_clerk', ['SY06']);
    households = await insertTestHouseholds(storage().db, [
      { area_pcode: 'SY060000' },
      { area_pcode: 'SY060000' },
      { area_pcode: 'SY060001' },
    ]);
    const payloads = await cardPayloads(storage().db, households);
    for (const id of households) cards.push(payloads.get(id)?.card_number ?? '');
    const rations = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'rations',
        name_ar: 'سكر',
        name_en: 'Sugar',
        rules: { items: [{ commodity: 'sugar', tiers: [{ quantity: 5000 }] }] },
      },
      clock,
    );
    rationsId = rations.id;
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: rations.id,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY06'],
      },
      clock,
    );
    await openCycle(storage(), systemActor, cycle.id, clock);
    shop = await insertTestServicePoint(storage().db, 'SY060000');
    bakery = await insertTestServicePoint(storage().db, 'SY060001');
    for (const servicePoint of [shop, bakery]) {
      await receiveStock(
        storage(),
        systemActor,
        servicePoint,
        { id: randomUUID(), commodity: 'sugar', quantity: 100_000 },
        clock,
      );
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('ties a clerk to service points: 409 service-point-not-assigned elsewhere', async () => {
    const unknown = await send(admin, 'PATCH', `/api/v1/users/${clerk.user.id}`, {
      service_points: [shop, 'nowhere'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { path: '/service_points/1', message: 'is not a known service point' },
    ]);
    const tied = await send(admin, 'PATCH', `/api/v1/users/${clerk.user.id}`, {
      service_points: [shop],
    });
    expect(tied.statusCode).toBe(200);
    expect(tied.json().service_points).toEqual([shop]);
    const elsewhere = await redeemAs(clerk, cards[0] ?? '', bakery);
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json()).toMatchObject({ code: 'service-point-not-assigned' });
    expect((await redeemAs(clerk, cards[0] ?? '', shop)).statusCode).toBe(201);
    // A new user can be created tied to a service point too.
    const created = await send(admin, 'POST', '/api/v1/users', {
      username: `clerk-${randomUUID().slice(0, 8)}`,
      display_name: 'Bakery clerk',
      role: 'outlet_clerk',
      password: 'a long enough password',
      scope: ['SY06'],
      service_points: [bakery],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().service_points).toEqual([bakery]);
    // Untied again: any service point in scope.
    await send(admin, 'PATCH', `/api/v1/users/${clerk.user.id}`, { service_points: [] });
    expect((await redeemAs(clerk, cards[0] ?? '', bakery)).statusCode).toBe(201);
  });

  it('assigns home service points by area: 409 wrong-service-point elsewhere, an audited override by a coordinator', async () => {
    const bulk = await send(coordinator, 'POST', `/api/v1/service-points/${shop}/households`, {
      programme_id: rationsId,
      area_pcodes: ['SY060000'],
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().assigned).toBe(2);
    const badArea = await send(coordinator, 'POST', `/api/v1/service-points/${shop}/households`, {
      programme_id: rationsId,
      area_pcodes: ['SY999999'],
    });
    expect(badArea.statusCode).toBe(400);

    const away = await redeemAs(clerk, cards[1] ?? '', bakery);
    expect(away.statusCode).toBe(409);
    expect(away.json()).toMatchObject({
      code: 'wrong-service-point',
      commodity: 'sugar',
      home_service_point_id: shop,
    });
    // Not its home programme's service point, so the third household is served anywhere.
    expect((await redeemAs(clerk, cards[2] ?? '', shop)).statusCode).toBe(201);

    const clerkOverride = await redeemAs(clerk, cards[1] ?? '', bakery, {
      override_reason: 'the shop is shut today',
    });
    expect(clerkOverride.statusCode).toBe(403);
    const override = await redeemAs(coordinator, cards[1] ?? '', bakery, {
      override_reason: 'the shop is shut today',
    });
    expect(override.statusCode).toBe(201);
    const history = await send(
      coordinator,
      'GET',
      `/api/v1/redemptions?household_id=${households[1]}`,
    );
    const items = history.json<{ items: { id: string }[] }>().items;
    expect(items.find((item) => item.id === override.json().id)).toMatchObject({
      home_override: true,
    });
    const audit = await send(
      admin,
      'GET',
      `/api/v1/audit-events?entity=redemption&entity_id=${override.json().id}`,
    );
    expect(audit.body).toContain('redemption.override');
    expect(audit.body).toContain('override_reason');
  });

  it('sets one household home on its page and prints it on the card sheet', async () => {
    const set = await send(
      registrar,
      'PUT',
      `/api/v1/households/${households[2]}/home-service-points`,
      {
        programme_id: rationsId,
        service_point_id: bakery,
      },
    );
    expect(set.statusCode).toBe(200);
    expect(set.json().items).toEqual([
      expect.objectContaining({
        programme_id: rationsId,
        programme_code: 'rations',
        service_point_id: bakery,
      }),
    ]);
    expect((await redeemAs(clerk, cards[2] ?? '', shop)).json()).toMatchObject({
      code: 'wrong-service-point',
    });
    const sheet = await send(registrar, 'GET', `/api/v1/cards/sheet?household_id=${households[2]}`);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toContain('منفذ سكر: فرن');
    const removed = await send(
      registrar,
      'PUT',
      `/api/v1/households/${households[2]}/home-service-points`,
      {
        programme_id: rationsId,
        service_point_id: null,
      },
    );
    expect(removed.json().items).toEqual([]);
    expect((await redeemAs(clerk, cards[2] ?? '', shop)).statusCode).toBe(201);
  });

  it('records who collected: the head, a member or a registered proxy; anyone else is refused', async () => {
    const created = await send(registrar, 'POST', `/api/v1/households/${households[0]}/proxies`, {
      name: 'سعاد الجارة',
      relation: 'جارة',
      national_id: '٠١٢٣٤٥٦٧٨٩',
    });
    expect(created.statusCode).toBe(201);
    const proxy = created.json<{ id: string; national_id: string }>();
    expect(proxy.national_id).toBe('0123456789');
    const patched = await send(
      registrar,
      'PATCH',
      `/api/v1/households/${households[0]}/proxies/${proxy.id}`,
      { relation: 'ابنة العم' },
    );
    expect(patched.json()).toMatchObject({ relation: 'ابنة العم' });
    expect(
      (await send(registrar, 'GET', `/api/v1/households/${households[0]}/proxies`)).json().items,
    ).toHaveLength(1);
    const collectors = await send(clerk, 'GET', `/api/v1/households/${households[0]}/collectors`);
    expect(collectors.statusCode).toBe(200);
    expect(collectors.json().items.map((item: { collector: string }) => item.collector)).toEqual([
      'head',
      `proxy:${proxy.id}`,
    ]);

    const byProxy = await redeemAs(clerk, cards[0] ?? '', shop, {
      collected_by: `proxy:${proxy.id}`,
    });
    expect(byProxy.statusCode).toBe(201);
    expect(byProxy.json().collected_by).toBe(`proxy:${proxy.id}`);
    const stranger = await redeemAs(clerk, cards[0] ?? '', shop, { collected_by: 'member:7' });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().errors).toEqual([
      expect.objectContaining({ path: '/collected_by', code: 'collector-unknown' }),
    ]);
    // Another household's proxy is a stranger here.
    const otherHousehold = await redeemAs(clerk, cards[2] ?? '', shop, {
      collected_by: `proxy:${proxy.id}`,
    });
    expect(otherHousehold.statusCode).toBe(400);
    const history = await send(clerk, 'GET', `/api/v1/redemptions?household_id=${households[0]}`);
    const items = history.json<{ items: { id: string }[] }>().items;
    expect(items.find((item) => item.id === byProxy.json().id)).toMatchObject({
      collected_by: `proxy:${proxy.id}`,
      home_override: false,
    });
    expect(
      (await send(registrar, 'DELETE', `/api/v1/households/${households[0]}/proxies/${proxy.id}`))
        .statusCode,
    ).toBe(204);
    expect(
      (await redeemAs(clerk, cards[0] ?? '', shop, { collected_by: `proxy:${proxy.id}` }))
        .statusCode,
    ).toBe(400);
  });

  describe('late registrations', () => {
    it('join an open cycle when the programme says so, and not when it does not', async () => {
      const register = async () => {
        const created = await send(
          registrar,
          'POST',
          '/api/v1/households',
          buildHouseholdInput({ area_pcode: 'SY060000' }),
        );
        expect(created.statusCode).toBe(201);
        return created.json<{ id: string }>().id;
      };
      const entitled = async (id: string) =>
        (await send(registrar, 'GET', `/api/v1/households/${id}/entitlements`)).json().items as {
          commodity: string;
          entitled: number;
        }[];
      const joined = await register();
      expect(await entitled(joined)).toEqual([
        expect.objectContaining({ commodity: 'sugar', entitled: 5000, remaining: 5000 }),
      ]);
      const patched = await send(admin, 'PATCH', `/api/v1/programmes/${rationsId}`, {
        late_registrations_join: false,
      });
      expect(patched.statusCode).toBe(200);
      const waiting = await register();
      expect(await entitled(waiting)).toEqual([]);

      // Re-activated while the setting is on again: it joins then.
      await send(admin, 'PATCH', `/api/v1/programmes/${rationsId}`, {
        late_registrations_join: true,
      });
      const suspended = await send(registrar, 'PATCH', `/api/v1/households/${waiting}`, {
        status: 'suspended',
        status_reason: 'check papers',
      });
      expect(suspended.statusCode).toBe(200);
      expect(await entitled(waiting)).toEqual([]);
      await send(registrar, 'PATCH', `/api/v1/households/${waiting}`, {
        status: 'active',
        status_reason: 'papers checked',
      });
      expect(await entitled(waiting)).toEqual([
        expect.objectContaining({ commodity: 'sugar', entitled: 5000 }),
      ]);
      expect((await verifyLedger(storage().db)).ok).toBe(true);
    });

    it('an import joins after its commit, and a join cut short is finished by the sweep', async () => {
      const csv = (nationalIds: string[]) =>
        [
          'head_given_name,head_father_name,head_family_name,national_id,household_size,area_pcode',
          ...nationalIds.map((id, index) => `سمير${index},أحمد,الخطيب,${id},3,SY060000`),
        ].join('\n');
      const importIds = async (nationalIds: string[]) => {
        const imported = await app.inject({
          method: 'POST',
          url: '/api/v1/imports/households',
          headers: { ...registrar.headers, 'content-type': 'text/csv' },
          payload: csv(nationalIds),
        });
        expect(imported.statusCode).toBe(200);
        expect(imported.json()).toMatchObject({ committed: true, accepted: nationalIds.length });
        return (
          await storage()
            .db.selectFrom('households')
            .select(['id', 'import_id'])
            .where('national_id', 'in', nationalIds)
            .execute()
        ).map((row) => ({ id: row.id, importId: row.import_id ?? '' }));
      };
      const entitledCount = async (ids: string[]) => {
        let count = 0;
        for (const id of ids) {
          const items = (
            await send(registrar, 'GET', `/api/v1/households/${id}/entitlements`)
          ).json().items as unknown[];
          count += items.length;
        }
        return count;
      };

      const joined = await importIds(['71000000001', '71000000002', '71000000003']);
      expect(await entitledCount(joined.map((row) => row.id))).toBe(3);

      // A process that died after the commit, before joining: the sweep joins the households.
      await send(admin, 'PATCH', `/api/v1/programmes/${rationsId}`, {
        late_registrations_join: false,
      });
      const cut = await importIds(['71000000004', '71000000005']);
      expect(await entitledCount(cut.map((row) => row.id))).toBe(0);
      await send(admin, 'PATCH', `/api/v1/programmes/${rationsId}`, {
        late_registrations_join: true,
      });
      await storage()
        .db.updateTable('household_imports')
        .set({ joined_at: null })
        .where('id', '=', cut[0]?.importId ?? '')
        .execute();
      expect(await undoAbandonedImports(storage(), clock)).toBe(0); // its heartbeat is fresh
      const later = () => new Date(clock().getTime() + abandonedImportMs + 1_000);
      expect(await undoAbandonedImports(storage(), later)).toBe(1);
      expect(await entitledCount(cut.map((row) => row.id))).toBe(2);
      expect(await undoAbandonedImports(storage(), later)).toBe(0);
      expect((await verifyLedger(storage().db)).ok).toBe(true);
    });
  });

  it('closes the day at a service point: the count against the books, the difference posted, a printable sheet', async () => {
    const before = await send(
      clerk,
      'GET',
      `/api/v1/service-points/${shop}/day-close?date=2026-12-05`,
    );
    expect(before.statusCode).toBe(200);
    const line = before.json().lines[0];
    expect(before.json()).toMatchObject({ closed: false });
    expect(line).toMatchObject({ commodity: 'sugar', received: 100_000, counted: null });
    expect(line.handed_out).toBeGreaterThan(0);
    expect(line.on_hand_books).toBe(100_000 - line.handed_out);

    const notToday = await send(clerk, 'POST', `/api/v1/service-points/${shop}/day-close`, {
      date: '2026-12-04',
      counts: [{ commodity: 'sugar', quantity: 1 }],
    });
    expect(notToday.statusCode).toBe(400);
    expect(notToday.json().errors[0].path).toBe('/date');
    const notHeld = await send(clerk, 'POST', `/api/v1/service-points/${shop}/day-close`, {
      date: '2026-12-05',
      counts: [{ commodity: 'bread', quantity: 1 }],
    });
    expect(notHeld.statusCode).toBe(400);
    expect(notHeld.json().errors.map((error: { path: string }) => error.path)).toEqual([
      '/counts/0/commodity',
      '/counts',
    ]);

    const counted = line.on_hand_books - 300;
    const closed = await send(clerk, 'POST', `/api/v1/service-points/${shop}/day-close`, {
      date: '٢٠٢٦-١٢-٠٥',
      counts: [{ commodity: 'sugar', quantity: counted }],
    });
    expect(closed.statusCode).toBe(201);
    expect(closed.json()).toMatchObject({
      closed: true,
      date: '2026-12-05',
      lines: [{ commodity: 'sugar', counted, difference: -300 }],
    });
    const stock = await send(clerk, 'GET', `/api/v1/service-points/${shop}/stock`);
    expect(stock.json().items[0]).toMatchObject({ commodity: 'sugar', on_hand: counted });
    expect((await verifyLedger(storage().db)).ok).toBe(true);

    const again = await send(clerk, 'POST', `/api/v1/service-points/${shop}/day-close`, {
      date: '2026-12-05',
      counts: [{ commodity: 'sugar', quantity: counted }],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'day-already-closed' });

    const sheet = await send(
      clerk,
      'GET',
      `/api/v1/service-points/${shop}/day-sheet?date=2026-12-05`,
    );
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['content-type']).toContain('text/html');
    expect(sheet.body).toContain('إغلاق اليوم');
    expect(sheet.body).toContain('-300');
  });

  it('keeps vulnerability tags as a configurable list with labels; a tag in use cannot be dropped', async () => {
    const current = (await send(registrar, 'GET', '/api/v1/households/tags')).json<{
      items: { code: string; label_ar: string; label_en: string }[];
    }>().items;
    expect(
      (await send(registrar, 'PUT', '/api/v1/households/tags', { items: current })).statusCode,
    ).toBe(403);
    const dropped = await send(coordinator, 'PUT', '/api/v1/households/tags', {
      items: current.filter((tag) => tag.code !== 'elderly'),
    });
    expect(dropped.statusCode).toBe(409);
    expect(dropped.json()).toMatchObject({ code: 'tag-in-use', tags: ['elderly'] });
    const repeated = await send(coordinator, 'PUT', '/api/v1/households/tags', {
      items: [...current, current[0]],
    });
    expect(repeated.statusCode).toBe(400);
    const items = [
      ...current.map((tag) =>
        tag.code === 'elderly' ? { ...tag, label_ar: 'كبار السن', label_en: 'Older people' } : tag,
      ),
      { code: 'refugee', label_ar: 'لاجئون', label_en: 'Refugees' },
    ];
    const saved = await send(coordinator, 'PUT', '/api/v1/households/tags', { items });
    expect(saved.statusCode).toBe(200);
    const listed = (await send(clerk, 'GET', '/api/v1/households/tags')).json().items;
    expect(listed).toContainEqual({
      code: 'elderly',
      label_ar: 'كبار السن',
      label_en: 'Older people',
    });
    expect(listed).toContainEqual({ code: 'refugee', label_ar: 'لاجئون', label_en: 'Refugees' });
    // A household may now carry the new tag.
    const tagged = await send(
      registrar,
      'POST',
      '/api/v1/households',
      buildHouseholdInput({ area_pcode: 'SY060000', tags: ['refugee'] }),
    );
    expect(tagged.statusCode).toBe(201);
  });
});
