import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { buildHouseholdInput, seedTestAreas, testAreas } from './households.factories.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');

describeEachDialect('households HTTP', (storage) => {
  let app: AwnApp;
  let registrar: SignedIn;
  let clerk: SignedIn;
  let auditor: SignedIn;
  let localRegistrar: SignedIn;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { clock });
    registrar = await loginAs(app, storage(), 'registrar', [testAreas.governorate]);
    clerk = await loginAs(app, storage(), 'outlet_clerk', [testAreas.governorate]);
    auditor = await loginAs(app, storage(), 'auditor');
    localRegistrar = await loginAs(app, storage(), 'registrar', [testAreas.otherSubdistrict]);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (who: SignedIn, url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
  const get = (who: SignedIn, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

  it('POST /households answers 201 with id and card_number, accepting Arabic-Indic digits', async () => {
    const response = await post(
      registrar,
      '/api/v1/households',
      buildHouseholdInput({
        head_given_name: 'مروان',
        phone: '٠٩٣٣ ٢٢٢ ٣٣٣',
        household_size: '٢',
        members: [{ name: 'سلمى', sex: 'female', birth_year: 1985, relation: 'spouse' }],
      }),
    );
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      head_given_name: 'مروان',
      phone: '+963933222333',
      household_size: 2,
      members: [{ name: 'سلمى', sex: 'female', birth_year: 1985, relation: 'spouse' }],
      warnings: [],
      duplicate_candidates: [],
    });
    expect(typeof body.id).toBe('string');
    expect(body.card_number).toMatch(/^\d{12}$/u);

    const read = await get(registrar, `/api/v1/households/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: body.id, card_number: body.card_number });
  });

  it('refuses unknown and invalid fields with problem+json naming each', async () => {
    const unknown = await post(registrar, '/api/v1/households', {
      ...buildHouseholdInput(),
      favourite_colour: 'blue',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ path: expect.stringContaining('favourite_colour') }),
    ]);

    const invalid = await post(
      registrar,
      '/api/v1/households',
      buildHouseholdInput({ phone: 'abc', national_id: '12', tags: ['nobody'] }),
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'validation-failed' });
    expect(invalid.json().errors.map((error: { path: string }) => error.path)).toEqual([
      '/national_id',
      '/phone',
      '/tags',
    ]);
  });

  it('answers 409 naming the household that holds the national id, and warns of a shared phone', async () => {
    const input = buildHouseholdInput({ head_given_name: 'غسان', phone: '0933 777 666' });
    const first = (await post(registrar, '/api/v1/households', input)).json();
    const again = await post(registrar, '/api/v1/households', {
      ...input,
      head_given_name: 'حسان',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'duplicate-national-id', household_id: first.id });

    const sharing = await post(
      registrar,
      '/api/v1/households',
      buildHouseholdInput({
        head_given_name: 'حسان',
        head_family_name: 'نعمة',
        phone: '0933777666',
      }),
    );
    expect(sharing.statusCode).toBe(201);
    expect(sharing.json().warnings).toEqual([
      expect.objectContaining({ code: 'phone-shared', household_id: first.id }),
    ]);
  });

  it('lists with q and a cursor, in scope only', async () => {
    const created: string[] = [];
    for (const family of ['الشامي', 'الشامى', 'شامي']) {
      const response = await post(
        registrar,
        '/api/v1/households',
        buildHouseholdInput({
          head_given_name: 'إياد',
          head_family_name: family,
          household_size: created.length + 1,
          area_pcode: testAreas.otherCommunity,
        }),
      );
      created.push(response.json().id);
    }
    const first = await get(registrar, '/api/v1/households?q=اياد&limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.json().next_cursor).toEqual(expect.any(String));
    const second = await get(
      registrar,
      `/api/v1/households?q=اياد&limit=2&cursor=${first.json().next_cursor}`,
    );
    expect(second.json()).toMatchObject({ next_cursor: null });
    expect(
      [...first.json().items, ...second.json().items].map((item: { id: string }) => item.id),
    ).toEqual(created);

    const local = await get(
      localRegistrar,
      `/api/v1/households?area=${testAreas.district}&limit=200`,
    );
    const localIds = local.json().items.map((item: { area_pcode: string }) => item.area_pcode);
    expect(new Set(localIds)).toEqual(new Set([testAreas.otherCommunity]));

    const bad = await get(registrar, '/api/v1/households?cursor=!!');
    expect(bad.statusCode).toBe(400);
  });

  it('hides a household outside the scope (404) and shows a clerk only who it is', async () => {
    const created = (
      await post(
        registrar,
        '/api/v1/households',
        buildHouseholdInput({ head_given_name: 'عماد', phone: '0944 321 321' }),
      )
    ).json();
    expect((await get(localRegistrar, `/api/v1/households/${created.id}`)).statusCode).toBe(404);
    const byClerk = await get(clerk, `/api/v1/households/${created.id}`);
    expect(byClerk.statusCode).toBe(200);
    expect(byClerk.json()).toMatchObject({
      head_given_name: 'عماد',
      card_number: created.card_number,
    });
    expect(byClerk.json()).not.toHaveProperty('phone');
    expect(byClerk.json()).not.toHaveProperty('members');
    const byAuditor = await get(auditor, `/api/v1/households/${created.id}`);
    expect(byAuditor.json()).toMatchObject({ phone: '+963944321321' });
    // Readers may not write.
    expect((await post(clerk, '/api/v1/households', buildHouseholdInput())).statusCode).toBe(403);
    expect((await post(auditor, '/api/v1/households', buildHouseholdInput())).statusCode).toBe(403);
  });

  it('PATCH changes the status with a reason and date', async () => {
    const created = (await post(registrar, '/api/v1/households', buildHouseholdInput())).json();
    const patch = (payload: unknown) =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/households/${created.id}`,
        headers: registrar.headers,
        payload: payload as object,
      });
    expect((await patch({ status: 'deceased' })).statusCode).toBe(400);
    const changed = await patch({
      status: 'suspended',
      status_reason: 'تحقق من الوثائق',
      status_changed_on: '٢٠٢٦-١١-٢٠',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      status: 'suspended',
      status_reason: 'تحقق من الوثائق',
      status_changed_on: '2026-11-20',
      warnings: [],
    });
    expect((await patch({ status: 'merged', status_reason: 'x' })).statusCode).toBe(400);
    expect((await patch({})).statusCode).toBe(400);
  });

  it('lists likely duplicates and resolves one by keeping both', async () => {
    const input = {
      head_given_name: 'نبيل',
      head_father_name: 'سمير',
      head_grandfather_name: 'خليل',
      head_family_name: 'العلي',
      household_size: 5,
    };
    const first = (await post(registrar, '/api/v1/households', buildHouseholdInput(input))).json();
    const second = (
      await post(
        registrar,
        '/api/v1/households',
        buildHouseholdInput({ ...input, head_family_name: 'علي', head_grandfather_name: 'خليل' }),
      )
    ).json();
    expect(second.duplicate_candidates).toEqual([
      expect.objectContaining({ other_household_id: first.id }),
    ]);
    const candidateId = second.duplicate_candidates[0].id as string;
    const listed = await get(registrar, '/api/v1/duplicates?limit=200');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toContainEqual(
      expect.objectContaining({
        id: candidateId,
        household_id: second.id,
        other_household_id: first.id,
        status: 'open',
        other_household: expect.objectContaining({ id: first.id }),
      }),
    );
    expect(
      (await get(localRegistrar, '/api/v1/duplicates?limit=200')).json().items,
    ).not.toContainEqual(expect.objectContaining({ id: candidateId }));
    const counted = await get(registrar, '/api/v1/duplicates?count=only');
    expect(counted.statusCode).toBe(200);
    expect(counted.json()).toEqual({
      items: [],
      next_cursor: null,
      total: listed.json().items.length,
    });
    expect((await get(registrar, '/api/v1/duplicates?count=all')).statusCode).toBe(400);
    const resolved = await post(registrar, `/api/v1/duplicates/${candidateId}/resolve`, {
      action: 'keep_both',
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ candidate: { status: 'kept' }, transfers: [] });
    const again = await post(registrar, `/api/v1/duplicates/${candidateId}/resolve`, {
      action: 'keep_both',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('duplicate-resolved');
  });

  it('serves the vulnerability tags', async () => {
    const response = await get(clerk, '/api/v1/households/tags');
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toContainEqual({
      code: 'female_headed',
      label_ar: expect.any(String),
      label_en: 'Female-headed',
    });
  });
});
