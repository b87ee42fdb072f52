/**
 * Org units: the organisation's tree of any depth (branch > sections > units > ...), each
 * covering areas. A unit covers only areas inside its parent's, so that whoever is scoped to
 * a unit also sees everything its sub-units cover.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findOrgUnit,
  findOrgUnitAreaPaths,
  findOrgUnitAreaPcodes,
  insertOrgUnit,
  listChildOrgUnits,
  listOrgUnits as selectOrgUnits,
  replaceOrgUnitAreas,
  updateOrgUnitNames,
  type OrgUnitRecord,
} from './org-units.repository.js';
import type { CreateOrgUnitInput, OrgUnitView, UpdateOrgUnitInput } from './org-units.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export { countOrgUnits } from './org-units.repository.js';

function presentOrgUnit(row: OrgUnitRecord, areaPcodes: string[]): OrgUnitView {
  return {
    id: row.id,
    parent_id: row.parent_id,
    kind: row.kind,
    name_ar: row.name_ar,
    name_en: row.name_en,
    path: row.path,
    area_pcodes: areaPcodes,
  };
}

/** Every unit with its areas, parents before children. */
export async function listOrgUnits(db: Executor): Promise<OrgUnitView[]> {
  const rows = await selectOrgUnits(db);
  const areas = await findOrgUnitAreaPcodes(db);
  return rows.map((row) => presentOrgUnit(row, areas.get(row.id) ?? []));
}

/** Returns the unit with its areas or throws NotFoundError. */
export async function getOrgUnit(db: Executor, id: string): Promise<OrgUnitView> {
  const row = await findOrgUnit(db, id);
  if (!row) throw new NotFoundError('org unit');
  const areas = await findOrgUnitAreaPcodes(db, [id]);
  return presentOrgUnit(row, areas.get(id) ?? []);
}

/** True when the area path lies at or beneath one of the covering paths. */
function covered(coveringPaths: string[], areaPath: string): boolean {
  return coveringPaths.some((path) => areaPath.startsWith(path));
}

/**
 * Checks that every p-code is a known area inside `parentPaths` (null: no parent, anything
 * goes) and returns the areas' paths; issues name '/area_pcodes/<index>'.
 */
async function checkAreas(
  trx: Executor,
  pcodes: readonly string[],
  parentPaths: string[] | null,
): Promise<string[]> {
  const areas = await findAreas(trx, pcodes);
  const issues: FieldIssue[] = [];
  const paths: string[] = [];
  pcodes.forEach((pcode, index) => {
    const area = areas.get(pcode);
    if (!area) {
      issues.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
    } else if (parentPaths !== null && !covered(parentPaths, area.path)) {
      issues.push({
        path: `/area_pcodes/${index}`,
        message: "is outside the parent org unit's areas",
      });
    } else {
      paths.push(area.path);
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return paths;
}

/** Inside the caller's transaction: creates the unit under its parent with its areas. */
export async function createOrgUnitIn(
  trx: Executor,
  actor: Actor,
  input: CreateOrgUnitInput,
  clock: Clock,
): Promise<OrgUnitView> {
  const parentId = input.parent_id ?? null;
  let parent: OrgUnitRecord | undefined;
  if (parentId !== null) {
    parent = await findOrgUnit(trx, parentId);
    if (!parent)
      throw new ValidationError([{ path: '/parent_id', message: 'is not a known org unit' }]);
  }
  await checkAreas(
    trx,
    input.area_pcodes,
    parent ? await findOrgUnitAreaPaths(trx, parent.id) : null,
  );
  const areaPcodes = [...new Set(input.area_pcodes)].sort();
  const id = randomUUID();
  const row: OrgUnitRecord = {
    id,
    parent_id: parentId,
    kind: input.kind,
    name_ar: input.name_ar.trim(),
    name_en: input.name_en.trim(),
    path: `${parent?.path ?? '/'}${id}/`,
    created_at: clock().toISOString(),
  };
  await insertOrgUnit(trx, row);
  await replaceOrgUnitAreas(trx, id, areaPcodes);
  await appendAuditEvent(
    trx,
    {
      actor,
      action: 'org_unit.create',
      entity: 'org_unit',
      entityId: id,
      fields: Object.keys(input),
    },
    clock,
  );
  return presentOrgUnit(row, areaPcodes);
}

/**
 * Creates an org unit. Throws ValidationError for an unknown parent or area, or an area
 * outside the parent's areas.
 */
export async function createOrgUnit(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateOrgUnitInput,
  clock: Clock,
): Promise<OrgUnitView> {
  return writeTransaction(storage, (trx) => createOrgUnitIn(trx, actor, input, clock));
}

/**
 * Renames a unit and/or replaces its areas. New areas must lie within the parent's; a change
 * that would leave a sub-unit covering an area outside the new areas is refused with
 * ConflictError('org-unit-areas-in-use').
 */
export async function updateOrgUnit(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  input: UpdateOrgUnitInput,
  clock: Clock,
): Promise<OrgUnitView> {
  return writeTransaction(storage, async (trx) => {
    const unit = await findOrgUnit(trx, id);
    if (!unit) throw new NotFoundError('org unit');
    const names: { name_ar?: string; name_en?: string } = {};
    if (input.name_ar !== undefined) names.name_ar = input.name_ar.trim();
    if (input.name_en !== undefined) names.name_en = input.name_en.trim();
    if (Object.keys(names).length > 0) await updateOrgUnitNames(trx, id, names);
    if (input.area_pcodes !== undefined) {
      const parentPaths =
        unit.parent_id === null ? null : await findOrgUnitAreaPaths(trx, unit.parent_id);
      const newPaths = await checkAreas(trx, input.area_pcodes, parentPaths);
      const areaPcodes = [...new Set(input.area_pcodes)].sort();
      for (const child of await listChildOrgUnits(trx, id)) {
        const childPaths = await findOrgUnitAreaPaths(trx, child.id);
        if (childPaths.some((path) => !covered(newPaths, path))) {
          throw new ConflictError(
            'org-unit-areas-in-use',
            'A sub-unit covers areas outside the new areas; change the sub-unit first.',
            { org_unit_id: child.id },
          );
        }
      }
      await replaceOrgUnitAreas(trx, id, areaPcodes);
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'org_unit.update',
        entity: 'org_unit',
        entityId: id,
        fields: Object.keys(input),
      },
      clock,
    );
    return getOrgUnit(trx, id);
  });
}
