/** All SQL on org_units and org_unit_areas. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type OrgUnitRecord = Row<'org_units'>;

export async function findOrgUnit(db: Executor, id: string): Promise<OrgUnitRecord | undefined> {
  return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every org unit, parents before children. */
export async function listOrgUnits(db: Executor): Promise<OrgUnitRecord[]> {
  return db.selectFrom('org_units').selectAll().orderBy('path').execute();
}

export async function listChildOrgUnits(db: Executor, parentId: string): Promise<OrgUnitRecord[]> {
  return db.selectFrom('org_units').selectAll().where('parent_id', '=', parentId).execute();
}

export async function countOrgUnits(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('org_units')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The covered areas' p-codes of each unit (all units when `ids` is absent), sorted. */
export async function findOrgUnitAreaPcodes(
  db: Executor,
  ids?: string[],
): Promise<Map<string, string[]>> {
  let query = db
    .selectFrom('org_unit_areas')
    .select(['org_unit_id', 'area_pcode'])
    .orderBy('org_unit_id')
    .orderBy('area_pcode');
  if (ids !== undefined) {
    if (ids.length === 0) return new Map();
    query = query.where('org_unit_id', 'in', ids);
  }
  const byUnit = new Map<string, string[]>();
  for (const row of await query.execute()) {
    const pcodes = byUnit.get(row.org_unit_id) ?? [];
    pcodes.push(row.area_pcode);
    byUnit.set(row.org_unit_id, pcodes);
  }
  return byUnit;
}

/** The paths of the areas a unit covers. */
export async function findOrgUnitAreaPaths(db: Executor, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('org_unit_areas')
    .innerJoin('areas', 'areas.pcode', 'org_unit_areas.area_pcode')
    .select('areas.path')
    .where('org_unit_areas.org_unit_id', '=', id)
    .execute();
  return rows.map((row) => row.path);
}

export async function insertOrgUnit(db: Executor, row: OrgUnitRecord): Promise<void> {
  await db.insertInto('org_units').values(row).execute();
}

export async function updateOrgUnitNames(
  db: Executor,
  id: string,
  names: { name_ar?: string; name_en?: string },
): Promise<void> {
  await db.updateTable('org_units').set(names).where('id', '=', id).execute();
}

/** Makes `pcodes` exactly the areas the unit covers. */
export async function replaceOrgUnitAreas(
  db: Executor,
  id: string,
  pcodes: string[],
): Promise<void> {
  await db.deleteFrom('org_unit_areas').where('org_unit_id', '=', id).execute();
  if (pcodes.length === 0) return;
  for (let start = 0; start < pcodes.length; start += 1000) {
    await db
      .insertInto('org_unit_areas')
      .values(
        pcodes.slice(start, start + 1000).map((pcode) => ({ org_unit_id: id, area_pcode: pcode })),
      )
      .execute();
  }
}
