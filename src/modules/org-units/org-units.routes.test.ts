import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { loadShippedAreas } from '../areas/areas.service.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

describeEachDialect('org units over HTTP', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  let coordinator: SignedIn;

  beforeAll(async () => {
    await loadShippedAreas(storage(), clock);
    app = await buildTestApp(storage(), { clock });
    admin = await loginAs(app, storage(), 'admin');
    coordinator = await loginAs(app, storage(), 'coordinator');
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets administrators build and change the tree and coordinators read it', async () => {
    const branch = await app.inject({
      method: 'POST',
      url: '/api/v1/org-units',
      headers: admin.headers,
      payload: {
        kind: 'branch',
        name_ar: 'فرع اللاذقية',
        name_en: 'Lattakia branch',
        area_pcodes: ['SY06'],
      },
    });
    expect(branch.statusCode).toBe(201);
    const branchId = branch.json<{ id: string }>().id;
    const section = await app.inject({
      method: 'POST',
      url: '/api/v1/org-units',
      headers: admin.headers,
      payload: {
        parent_id: branchId,
        kind: 'section',
        name_ar: 'شعبة القرداحة',
        name_en: 'Qardaha section',
        area_pcodes: ['SY0604'],
      },
    });
    expect(section.statusCode).toBe(201);
    const sectionId = section.json<{ id: string }>().id;
    expect(section.json()).toMatchObject({
      parent_id: branchId,
      path: `/${branchId}/${sectionId}/`,
    });

    const byCoordinator = await app.inject({
      method: 'POST',
      url: '/api/v1/org-units',
      headers: coordinator.headers,
      payload: { kind: 'branch', name_ar: 'فرع', name_en: 'Branch', area_pcodes: [] },
    });
    expect(byCoordinator.statusCode).toBe(403);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/org-units/${sectionId}`,
      headers: admin.headers,
      payload: { name_ar: 'شعبة منطقة القرداحة' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name_ar: 'شعبة منطقة القرداحة',
      area_pcodes: ['SY0604'],
    });
    const empty = await app.inject({
      method: 'PATCH',
      url: `/api/v1/org-units/${sectionId}`,
      headers: admin.headers,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/org-units',
      headers: coordinator.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string; parent_id: string | null }[] }>().items).toMatchObject([
      { id: branchId, parent_id: null },
      { id: sectionId, parent_id: branchId },
    ]);
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/org-units/${sectionId}`,
      headers: coordinator.headers,
    });
    expect(one.json()).toMatchObject({ kind: 'section', area_pcodes: ['SY0604'] });
  });
});
