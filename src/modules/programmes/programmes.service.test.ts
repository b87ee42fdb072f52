import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AwnApp } from '../../server/types.js';
import {
  insertTestHouseholds,
  seedTestAreas,
  seedTestCommodities,
} from '../cycles/cycles.fixtures.js';
import { closeCycle, createCycle, openCycle } from '../cycles/cycles.service.js';
import type { RulesInput } from './programmes.schema.js';
import { createProgramme, getProgramme, updateProgramme } from './programmes.service.js';

const clock = () => new Date('2026-12-01T08:00:00.000Z');

const rules: RulesInput = {
  eligibility: { tags_none: ['displaced'] },
  items: [{ commodity: 'sugar', per_person: 1000, min: 1000, max: 5000 }],
};
const moreSugar: RulesInput = {
  items: [{ commodity: 'sugar', per_person: 2000 }],
};

describeEachDialect('programmes: editing names and rules', (storage) => {
  let serial = 0;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['sugar', 'bread']);
    await insertTestHouseholds(storage().db, [
      { household_size: 2, area_pcode: 'SY060000' },
      { household_size: 4, area_pcode: 'SY060001' },
    ]);
  });

  async function newProgramme() {
    serial += 1;
    return createProgramme(
      storage(),
      systemActor,
      { code: `edit-${serial}`, name_ar: 'برنامج', name_en: 'Programme', rules },
      clock,
    );
  }

  async function newCycle(programmeId: string) {
    return createCycle(
      storage(),
      systemActor,
      {
        programme_id: programmeId,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY0600'],
      },
      clock,
    );
  }

  async function auditFields(programmeId: string): Promise<string[][]> {
    const rows = await storage()
      .db.selectFrom('audit_events')
      .select('fields_json')
      .where('entity', '=', 'programme')
      .where('entity_id', '=', programmeId)
      .where('action', '=', 'programme.update')
      .orderBy('seq')
      .execute();
    return rows.map((row) => JSON.parse(row.fields_json) as string[]);
  }

  it('changes only the fields given, and audits the names of those that changed', async () => {
    const programme = await newProgramme();
    const renamed = await updateProgramme(
      storage(),
      systemActor,
      programme.id,
      { name_ar: 'سكر الشتاء', name_en: 'Programme' },
      clock,
    );
    expect(renamed).toMatchObject({
      id: programme.id,
      code: programme.code,
      name_ar: 'سكر الشتاء',
      name_en: 'Programme',
      rules,
    });
    const changed = await updateProgramme(
      storage(),
      systemActor,
      programme.id,
      { rules: moreSugar },
      clock,
    );
    expect(changed.rules).toEqual(moreSugar);
    expect(await getProgramme(storage().db, programme.id)).toEqual(changed);
    expect(await auditFields(programme.id)).toEqual([['name_ar'], ['rules']]);
  });

  it('writes and audits nothing when nothing differs (the same rules in another key order)', async () => {
    const programme = await newProgramme();
    const reordered = {
      items: [{ max: 5000, min: 1000, per_person: 1000, commodity: 'sugar' }],
      eligibility: { tags_none: ['displaced'] },
    } satisfies RulesInput;
    const same = await updateProgramme(
      storage(),
      systemActor,
      programme.id,
      { name_ar: programme.name_ar, rules: reordered },
      clock,
    );
    expect(same).toEqual(programme);
    expect(await auditFields(programme.id)).toEqual([]);
  });

  it('checks changed rules as at creation', async () => {
    const programme = await newProgramme();
    const attempt = updateProgramme(
      storage(),
      systemActor,
      programme.id,
      {
        rules: {
          eligibility: { tags_any: ['no-such-tag'] },
          items: [
            { commodity: 'salt', per_person: 1 },
            { commodity: 'sugar', per_person: 1000, min: 5000, max: 1000 },
          ],
        },
      },
      clock,
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const paths = await attempt.catch((error: ValidationError) =>
      error.issues.map((issue) => issue.path),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        '/rules/items/0/commodity',
        '/rules/eligibility/tags_any/0',
        expect.stringMatching(/^\/rules\/items\/1\//u),
      ]),
    );
    expect((await getProgramme(storage().db, programme.id)).rules).toEqual(rules);
  });

  it('is a NotFoundError for an unknown programme', async () => {
    await expect(
      updateProgramme(storage(), systemActor, 'no-such-programme', { name_ar: 'س' }, clock),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses new rules while a cycle is open (names may change), and allows them in draft and after closing', async () => {
    const programme = await newProgramme();
    const cycle = await newCycle(programme.id);
    // A draft has credited nobody: it will be opened with the rules as they are then.
    await updateProgramme(storage(), systemActor, programme.id, { rules: moreSugar }, clock);
    await openCycle(storage(), systemActor, cycle.id, clock);

    const refused = await updateProgramme(
      storage(),
      systemActor,
      programme.id,
      { name_en: 'Renamed', rules },
      clock,
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'programme-in-use', extra: { cycle_ids: [cycle.id] } });
    // Nothing of the refused change was written, the name included.
    expect(await getProgramme(storage().db, programme.id)).toMatchObject({
      name_en: 'Programme',
      rules: moreSugar,
    });

    // The names alone, or the unchanged rules with them, may change while the cycle is open.
    const renamed = await updateProgramme(
      storage(),
      systemActor,
      programme.id,
      { name_en: 'Renamed', rules: moreSugar },
      clock,
    );
    expect(renamed).toMatchObject({ name_en: 'Renamed', rules: moreSugar });

    await closeCycle(storage(), systemActor, cycle.id, clock);
    const after = await updateProgramme(storage(), systemActor, programme.id, { rules }, clock);
    expect(after.rules).toEqual(rules);
    expect(await auditFields(programme.id)).toEqual([['rules'], ['name_en'], ['rules']]);
  });

  describeHttp(storage);
});

/** PATCH /api/v1/programmes/:id through the app: status codes and problem bodies. */
function describeHttp(storage: () => Storage) {
  let app: AwnApp;
  let coordinator: SignedIn;

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
  });
  afterAll(async () => {
    await app?.close();
  });

  function patch(id: string, payload: object, headers = coordinator.headers) {
    return app.inject({
      method: 'PATCH',
      url: `/api/v1/programmes/${id}`,
      headers,
      payload,
    });
  }

  it('answers 200 with the programme, 400 for an empty or unknown field, 404 for no programme', async () => {
    const programme = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'http-edit',
        name_ar: 'برنامج',
        name_en: 'Programme',
        rules,
        owner_area_pcode: 'SY06',
      },
      clock,
    );
    const ok = await patch(programme.id, { name_ar: 'برنامج الشتاء' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: programme.id, name_ar: 'برنامج الشتاء', rules });

    expect((await patch(programme.id, {})).statusCode).toBe(400);
    const code = await patch(programme.id, { code: 'renamed' });
    expect(code.statusCode).toBe(400);
    expect(code.json()).toMatchObject({ code: 'validation-failed' });
    const badRules = await patch(programme.id, {
      rules: { items: [{ commodity: 'salt', per_person: 1 }] },
    });
    expect(badRules.statusCode).toBe(400);
    expect(badRules.json().errors).toContainEqual(
      expect.objectContaining({ path: '/rules/items/0/commodity' }),
    );
    expect((await patch('no-such-programme', { name_ar: 'س' })).statusCode).toBe(404);
  });

  it('answers 409 programme-in-use while a cycle is open, and 403 to a registrar', async () => {
    const programme = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'http-in-use',
        name_ar: 'برنامج',
        name_en: 'Programme',
        rules,
        owner_area_pcode: 'SY0600',
      },
      clock,
    );
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: programme.id,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY0600'],
      },
      clock,
    );
    await openCycle(storage(), systemActor, cycle.id, clock);
    const refused = await patch(programme.id, { rules: moreSugar });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'programme-in-use', cycle_ids: [cycle.id] });

    const registrar = await loginAs(app, storage(), 'registrar');
    expect((await patch(programme.id, { name_ar: 'س' }, registrar.headers)).statusCode).toBe(403);
  });

  it('lets only users whose scope covers its owning area change a programme (403 programme-out-of-scope)', async () => {
    const wide = await createProgramme(
      storage(),
      systemActor,
      { code: 'http-wide', name_ar: 'برنامج', name_en: 'Programme', rules },
      clock,
    );
    expect(wide.owner_area_pcode).toBeNull();
    // A coordinator of one governorate may not rename or rewrite an organisation-wide programme.
    const refused = await patch(wide.id, { name_en: 'Renamed', rules: moreSugar });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'programme-out-of-scope' });

    const district = await loginAs(app, storage(), 'coordinator', ['SY0600']);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: district.headers,
      payload: { code: 'http-district', name_ar: 'برنامج', name_en: 'Programme', rules },
    });
    expect(created.statusCode).toBe(201);
    // Scoped to one area, the owner defaults to it.
    expect(created.json()).toMatchObject({
      owner_area_pcode: 'SY0600',
      late_registrations_join: true,
    });
    const id = created.json<{ id: string }>().id;
    // Owned by the district: its coordinator and the governorate's may change it.
    expect((await patch(id, { name_en: 'District' }, district.headers)).statusCode).toBe(200);
    expect((await patch(id, { late_registrations_join: false })).json()).toMatchObject({
      late_registrations_join: false,
    });
    // Moving it out of one's own scope, or to the whole organisation, is refused.
    expect((await patch(id, { owner_area_pcode: 'SY06' }, district.headers)).statusCode).toBe(404);
    expect((await patch(id, { owner_area_pcode: null }, district.headers)).statusCode).toBe(403);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: district.headers,
      payload: {
        code: 'http-elsewhere',
        name_ar: 'برنامج',
        name_en: 'Programme',
        rules,
        owner_area_pcode: 'SY06',
      },
    });
    expect(elsewhere.statusCode).toBe(404);
  });
}
