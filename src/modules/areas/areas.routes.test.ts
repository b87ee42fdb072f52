import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { loadShippedAreas } from './areas.service.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

describeEachDialect('areas over HTTP', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let volunteer: SignedIn;

  beforeAll(async () => {
    await loadShippedAreas(storage(), clock);
    app = await buildTestApp(storage(), { clock });
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY0600']);
    volunteer = await loginAs(app, storage(), 'volunteer', ['SY060200']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets any role read areas, which are not scoped', async () => {
    const districts = await app.inject({
      method: 'GET',
      url: '/api/v1/areas?parent=SY06',
      headers: volunteer.headers,
    });
    expect(districts.statusCode).toBe(200);
    expect(
      districts.json<{ items: { pcode: string }[] }>().items.map((area) => area.pcode),
    ).toEqual(['SY0600', 'SY0602', 'SY0603', 'SY0604']);
    const idleb = await app.inject({
      method: 'GET',
      url: '/api/v1/areas/SY07',
      headers: volunteer.headers,
    });
    expect(idleb.json()).toMatchObject({
      pcode: 'SY07',
      name_ar: 'إدلب',
      level: 'governorate',
      path: '/SY07/',
    });
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/areas/SY99',
      headers: volunteer.headers,
    });
    expect(missing.statusCode).toBe(404);
    const badLevel = await app.inject({
      method: 'GET',
      url: '/api/v1/areas?level=province',
      headers: volunteer.headers,
    });
    expect(badLevel.statusCode).toBe(400);
  });

  it('lets a coordinator add a community in scope; 409 for a taken p-code', async () => {
    const payload = {
      pcode: 'SY060000-01',
      parent_pcode: 'SY060000',
      kind: 'neighbourhood',
      name_ar: 'الصليبة',
      name_en: 'Al-Sleibeh',
    };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/areas',
      headers: coordinator.headers,
      payload,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      level: 'community',
      path: '/SY06/SY0600/SY060000/SY060000-01/',
    });
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/areas',
      headers: coordinator.headers,
      payload,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'area-exists' });
    const byVolunteer = await app.inject({
      method: 'POST',
      url: '/api/v1/areas',
      headers: volunteer.headers,
      payload: { ...payload, pcode: 'SY060000-02' },
    });
    expect(byVolunteer.statusCode).toBe(403);
    const underDistrict = await app.inject({
      method: 'POST',
      url: '/api/v1/areas',
      headers: coordinator.headers,
      payload: { ...payload, pcode: 'SY0600-02', parent_pcode: 'SY0600' },
    });
    expect(underDistrict.statusCode).toBe(400);
    expect(underDistrict.json()).toMatchObject({ errors: [{ path: '/parent_pcode' }] });
    const badKind = await app.inject({
      method: 'POST',
      url: '/api/v1/areas',
      headers: coordinator.headers,
      payload: { ...payload, pcode: 'SY060000-03', kind: 'city' },
    });
    expect(badKind.statusCode).toBe(400);
  });
});
