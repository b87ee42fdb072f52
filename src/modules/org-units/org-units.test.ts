import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { loadShippedAreas } from '../areas/areas.service.js';
import { createOrgUnit, getOrgUnit, listOrgUnits, updateOrgUnit } from './org-units.service.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');
const admin: Actor = {
  kind: 'user',
  userId: 'admin-1',
  role: 'admin',
  scope: { kind: 'all' },
  requestId: null,
};

describeEachDialect('org units', (storage) => {
  let branchId = '';
  let sectionId = '';
  let unitId = '';

  it('builds a tree whose paths are the parent path plus the id', async () => {
    await loadShippedAreas(storage(), clock);
    const branch = await createOrgUnit(
      storage(),
      admin,
      {
        kind: 'branch',
        name_ar: 'فرع اللاذقية',
        name_en: 'Lattakia branch',
        area_pcodes: ['SY06'],
      },
      clock,
    );
    expect(branch).toMatchObject({
      parent_id: null,
      path: `/${branch.id}/`,
      area_pcodes: ['SY06'],
    });
    const section = await createOrgUnit(
      storage(),
      admin,
      {
        parent_id: branch.id,
        kind: 'section',
        name_ar: 'شعبة جبلة',
        name_en: 'Jableh section',
        area_pcodes: ['SY0602'],
      },
      clock,
    );
    expect(section.path).toBe(`/${branch.id}/${section.id}/`);
    const unit = await createOrgUnit(
      storage(),
      admin,
      {
        parent_id: section.id,
        kind: 'unit',
        name_ar: 'وحدة ريف جبلة',
        name_en: 'Jableh countryside unit',
        area_pcodes: ['SY060205', 'SY060201', 'SY060201'],
      },
      clock,
    );
    expect(unit.path).toBe(`/${branch.id}/${section.id}/${unit.id}/`);
    expect(unit.area_pcodes).toEqual(['SY060201', 'SY060205']);
    [branchId, sectionId, unitId] = [branch.id, section.id, unit.id];

    const listed = await listOrgUnits(storage().db);
    expect(listed.map((item) => item.id)).toEqual([branch.id, section.id, unit.id]);
    expect(listed[2]).toMatchObject({ parent_id: section.id, kind: 'unit' });
    const events = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'org_unit')
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'org_unit.create', entity_id: branch.id },
      { action: 'org_unit.create', entity_id: section.id },
      { action: 'org_unit.create', entity_id: unit.id },
    ]);
  });

  it("refuses areas outside the parent's, unknown areas and unknown parents", async () => {
    const input = {
      parent_id: sectionId,
      kind: 'unit' as const,
      name_ar: 'وحدة',
      name_en: 'Unit',
      area_pcodes: ['SY060201', 'SY060000', 'SY999999'],
    };
    const error = await createOrgUnit(storage(), admin, input, clock).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: '/area_pcodes/1', message: "is outside the parent org unit's areas" },
      { path: '/area_pcodes/2', message: 'is not a known area' },
    ]);
    await expect(
      createOrgUnit(storage(), admin, { ...input, parent_id: 'missing', area_pcodes: [] }, clock),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await listOrgUnits(storage().db)).toHaveLength(3);
  });

  it('renames and re-covers a unit, within its parent and above its children', async () => {
    const renamed = await updateOrgUnit(
      storage(),
      admin,
      unitId,
      { name_en: 'Jableh hills unit', area_pcodes: ['SY060204'] },
      clock,
    );
    expect(renamed).toMatchObject({
      name_ar: 'وحدة ريف جبلة',
      name_en: 'Jableh hills unit',
      area_pcodes: ['SY060204'],
    });
    await expect(
      updateOrgUnit(storage(), admin, unitId, { area_pcodes: ['SY060400'] }, clock),
    ).rejects.toBeInstanceOf(ValidationError);
    const shrinking = await updateOrgUnit(
      storage(),
      admin,
      sectionId,
      { area_pcodes: ['SY060200'] },
      clock,
    ).catch((caught: unknown) => caught);
    expect(shrinking).toBeInstanceOf(ConflictError);
    expect((shrinking as ConflictError).code).toBe('org-unit-areas-in-use');
    expect((await getOrgUnit(storage().db, sectionId)).area_pcodes).toEqual(['SY0602']);
    await expect(
      updateOrgUnit(storage(), admin, 'missing', { name_ar: 'لا' }, clock),
    ).rejects.toBeInstanceOf(NotFoundError);
    const event = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id', 'fields_json'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      action: 'org_unit.update',
      entity_id: unitId,
      fields_json: '["area_pcodes","name_en"]',
    });
    expect((await getOrgUnit(storage().db, branchId)).kind).toBe('branch');
  });
});
