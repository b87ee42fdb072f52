import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import { loadShippedAreas } from '../areas/areas.service.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

describeEachDialect('service points and partners over HTTP', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  let lattakiaCoordinator: SignedIn;
  let jablehClerk: SignedIn;
  let registrar: SignedIn;
  let partnerId = '';
  let lattakiaPointId = '';
  let jablehPointId = '';

  beforeAll(async () => {
    await loadShippedAreas(storage(), clock);
    app = await buildTestApp(storage(), { clock });
    admin = await loginAs(app, storage(), 'admin');
    lattakiaCoordinator = await loginAs(app, storage(), 'coordinator', ['SY0600']);
    jablehClerk = await loginAs(app, storage(), 'outlet_clerk', ['SY060200']);
    registrar = await loginAs(app, storage(), 'registrar', ['SY06']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a partner and service points (201 with the id)', async () => {
    const partner = await app.inject({
      method: 'POST',
      url: '/api/v1/partners',
      headers: admin.headers,
      payload: {
        kind: 'bakery',
        name_ar: 'مخبز جبلة الآلي',
        name_en: 'Jableh bakery',
        area_pcode: 'SY060200',
      },
    });
    expect(partner.statusCode).toBe(201);
    partnerId = partner.json<{ id: string }>().id;

    const jableh = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: admin.headers,
      payload: {
        name_ar: 'مخبز جبلة الآلي',
        name_en: 'Jableh bakery',
        area_pcode: 'SY060200',
        partner_id: partnerId,
      },
    });
    expect(jableh.statusCode).toBe(201);
    expect(jableh.json()).toMatchObject({ partner_id: partnerId, area_pcode: 'SY060200' });
    jablehPointId = jableh.json<{ id: string }>().id;

    const lattakia = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: lattakiaCoordinator.headers,
      payload: {
        name_ar: 'صالة الشيخ ضاهر',
        name_en: 'Al-Sheikh Daher hall',
        area_pcode: 'SY060000',
      },
    });
    expect(lattakia.statusCode).toBe(201);
    lattakiaPointId = lattakia.json<{ id: string }>().id;
    expect(lattakia.json()).toMatchObject({ id: lattakiaPointId, partner_id: null });
  });

  it('lists and reads service points within each actor scope, 404 outside it', async () => {
    const list = async (who: SignedIn) => {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/service-points',
        headers: who.headers,
      });
      expect(response.statusCode).toBe(200);
      return response
        .json<{ items: { id: string }[] }>()
        .items.map((item) => item.id)
        .sort();
    };
    expect(await list(admin)).toEqual([jablehPointId, lattakiaPointId].sort());
    expect(await list(registrar)).toEqual([jablehPointId, lattakiaPointId].sort());
    expect(await list(lattakiaCoordinator)).toEqual([lattakiaPointId]);
    expect(await list(jablehClerk)).toEqual([jablehPointId]);

    const inside = await app.inject({
      method: 'GET',
      url: `/api/v1/service-points/${jablehPointId}`,
      headers: jablehClerk.headers,
    });
    expect(inside.statusCode).toBe(200);
    const outside = await app.inject({
      method: 'GET',
      url: `/api/v1/service-points/${lattakiaPointId}`,
      headers: jablehClerk.headers,
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.headers['content-type']).toContain('application/problem+json');
  });

  it('lets only administrators and coordinators create, and only in scope', async () => {
    const payload = { name_ar: 'منفذ', name_en: 'Outlet', area_pcode: 'SY060201' };
    const byRegistrar = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: registrar.headers,
      payload,
    });
    expect(byRegistrar.statusCode).toBe(403);
    const outsideScope = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: lattakiaCoordinator.headers,
      payload,
    });
    expect(outsideScope.statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/service-points' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers bad input with problem+json naming the field', async () => {
    const unknownField = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: admin.headers,
      payload: { name_ar: 'منفذ', name_en: 'Outlet', area_pcode: 'SY060201', colour: 'red' },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(
      unknownField.json<{ errors: { path: string }[] }>().errors.map((issue) => issue.path),
    ).toContain('body/colour');
    const unknownPartner = await app.inject({
      method: 'POST',
      url: '/api/v1/service-points',
      headers: admin.headers,
      payload: {
        name_ar: 'منفذ',
        name_en: 'Outlet',
        area_pcode: 'SY060201',
        partner_id: 'missing',
      },
    });
    expect(unknownPartner.statusCode).toBe(400);
    expect(unknownPartner.json()).toMatchObject({
      code: 'validation-failed',
      errors: [{ path: '/partner_id', message: 'is not a known partner' }],
    });
  });

  it('lets every role read partners', async () => {
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/partners',
      headers: jablehClerk.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(1);
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/partners/${partnerId}`,
      headers: registrar.headers,
    });
    expect(one.json()).toMatchObject({ id: partnerId, kind: 'bakery' });
    const bakeries = await app.inject({
      method: 'GET',
      url: '/api/v1/partners?kind=municipality',
      headers: registrar.headers,
    });
    expect(bakeries.json()).toEqual({ items: [] });
  });
});
