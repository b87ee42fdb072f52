/**
 * Areas: the shipped Syrian admin levels 1–3, communities added by administrators, and whole
 * trees imported from a file. Areas are reference data: any signed-in role reads all of them.
 */
import { readFile } from 'node:fs/promises';
import type { Storage } from '../../db/connect.js';
import type { NewRow } from '../../db/database.js';
import { assertAreaInScope } from '../../db/scope.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { normalizeArabic } from '../../domain/text/arabic.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findArea,
  findAreas,
  insertAreas,
  isUniqueViolation,
  listAreas as selectAreas,
  type AreaRecord,
} from './areas.repository.js';
import {
  parentLevel,
  type AreaListInput,
  type AreaRow,
  type AreaView,
  type CreateCommunityInput,
} from './areas.schema.js';
import {
  importColumns,
  parseAreaFile,
  tooManyIssues,
  validateRows,
  type NumberedAreaRow,
} from './areas.file.js';

// What other modules may read of this module's tables (they never import its repository).
export { findArea, findAreas } from './areas.repository.js';

/** The file the shipped areas are read from (see data/areas/SOURCE.md). */
export const shippedAreasUrl = new URL('../../../data/areas/syria-admin1-3.json', import.meta.url);

export interface ImportAreasResult {
  /** Areas inserted. */
  created: number;
  /** Rows whose p-code was already there with the same level and parent: kept as they were. */
  existing: number;
}

export function presentArea(row: AreaRecord): AreaView {
  return {
    pcode: row.pcode,
    parent_pcode: row.parent_pcode,
    level: row.level,
    kind: row.kind,
    name_ar: row.name_ar,
    name_en: row.name_en,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    path: row.path,
  };
}

/** The path of an area: its parent's path (or '/') followed by its own p-code and '/'. */
export function areaPath(parentPath: string | null, pcode: string): string {
  return `${parentPath ?? '/'}${pcode}/`;
}

/** Returns the area or throws NotFoundError. */
export async function getArea(db: Executor, pcode: string): Promise<AreaView> {
  const row = await findArea(db, pcode);
  if (!row) throw new NotFoundError('area');
  return presentArea(row);
}

/**
 * Lists areas by parent and level, ordered by p-code. `q` matches part of either name
 * (Arabic compared after normalizeArabic, so hamza, teh marbuta and tashkeel do not matter)
 * or the start of the p-code.
 */
export async function listAreas(db: Executor, input: AreaListInput): Promise<AreaView[]> {
  const limit = input.limit ?? 500;
  const filter = { parent: input.parent, level: input.level };
  if (input.q === undefined) {
    return (await selectAreas(db, { ...filter, limit })).map(presentArea);
  }
  // Names are compared in their normalised form, which SQL cannot compute; areas number in
  // the thousands, so filtering them here is cheap.
  const needle = normalizeArabic(input.q);
  const pcodePrefix = input.q.trim().toUpperCase();
  const matches: AreaView[] = [];
  for (const row of await selectAreas(db, filter)) {
    if (
      row.pcode.startsWith(pcodePrefix) ||
      normalizeArabic(row.name_ar).includes(needle) ||
      normalizeArabic(row.name_en).includes(needle)
    ) {
      matches.push(presentArea(row));
      if (matches.length === limit) break;
    }
  }
  return matches;
}

/**
 * Adds a community under a subdistrict in the actor's scope. Throws ValidationError when the
 * parent is not a subdistrict, NotFoundError when it is outside the scope, ConflictError
 * ('area-exists') when the p-code is taken.
 */
export async function createCommunity(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateCommunityInput,
  clock: Clock,
): Promise<AreaView> {
  const issues: FieldIssue[] = [];
  if ((input.latitude === undefined) !== (input.longitude === undefined)) {
    issues.push({
      path: input.latitude === undefined ? '/latitude' : '/longitude',
      message: 'latitude and longitude are given together or not at all',
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  try {
    return await writeTransaction(storage, async (trx) => {
      const parent = await findArea(trx, input.parent_pcode);
      if (!parent) {
        throw new ValidationError([{ path: '/parent_pcode', message: 'is not a known area' }]);
      }
      if (parent.level !== 'subdistrict') {
        throw new ValidationError([
          { path: '/parent_pcode', message: `must be a subdistrict (it is a ${parent.level})` },
        ]);
      }
      await assertAreaInScope(trx, actor.scope, parent.pcode);
      if (await findArea(trx, input.pcode)) throw areaExists(input.pcode);
      const row: AreaRecord = {
        pcode: input.pcode,
        parent_pcode: parent.pcode,
        level: 'community',
        kind: input.kind,
        name_ar: input.name_ar.trim(),
        name_en: input.name_en.trim(),
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        path: areaPath(parent.path, input.pcode),
        created_at: clock().toISOString(),
      };
      await insertAreas(trx, [row]);
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'area.create',
          entity: 'area',
          entityId: input.pcode,
          fields: Object.keys(input),
        },
        clock,
      );
      return presentArea(row);
    });
  } catch (error) {
    // Two administrators adding the same p-code at once: the loser gets the same 409.
    if (isUniqueViolation(error)) throw areaExists(input.pcode);
    throw error;
  }
}

function areaExists(pcode: string): ConflictError {
  return new ConflictError('area-exists', 'An area with this p-code already exists.', { pcode });
}

/**
 * Checks the parsed rows against the tree (each parent exists in the database or on an earlier
 * row, with the level above), then inserts the new ones. A row whose p-code already exists with
 * the same level and parent is kept as it is; with another level or parent it is an error.
 * All or nothing: throws ValidationError with row-numbered issues and writes nothing.
 */
async function importRowsIn(
  trx: Executor,
  actor: Actor,
  rows: NumberedAreaRow[],
  action: string,
  clock: Clock,
): Promise<ImportAreasResult> {
  const referenced = new Set<string>();
  for (const { area } of rows) {
    referenced.add(area.pcode);
    if (area.parent_pcode !== null) referenced.add(area.parent_pcode);
  }
  const stored = await findAreas(trx, [...referenced]);
  const issues: FieldIssue[] = [];
  /** Level and path of every area known so far: stored ones, then each accepted row's. */
  const known = new Map<string, { level: string; path: string }>();
  for (const area of stored.values()) known.set(area.pcode, { level: area.level, path: area.path });
  const inserts: NewRow<'areas'>[] = [];
  /** Rows with a problem, so that their children are not reported as orphans as well. */
  const failedRows = new Map<string, number>();
  let existing = 0;
  const createdAt = clock().toISOString();
  for (const { row, area } of rows) {
    const at = (column: string): string => `row ${row}, column ${column}`;
    const already = stored.get(area.pcode);
    if (already) {
      if (already.level !== area.level || already.parent_pcode !== area.parent_pcode) {
        issues.push({
          path: at(already.level !== area.level ? 'level' : 'parent_pcode'),
          message: `conflicts with the stored area ${area.pcode} (a ${already.level} under ${already.parent_pcode ?? 'no parent'})`,
        });
        failedRows.set(area.pcode, row);
      } else {
        existing += 1;
      }
      continue;
    }
    let parentPath: string | null = null;
    if (area.parent_pcode !== null) {
      const parent = known.get(area.parent_pcode);
      const expected = parentLevel[area.level];
      const failedParentRow = failedRows.get(area.parent_pcode);
      let problem: string | null = null;
      if (failedParentRow !== undefined) {
        problem = `is the area of row ${failedParentRow}, which has a problem`;
      } else if (!parent) {
        problem = 'is not an area in the database or on an earlier row';
      } else if (parent.level !== expected) {
        problem = `must be a ${expected} (${area.parent_pcode} is a ${parent.level})`;
      }
      if (problem !== null || !parent) {
        issues.push({ path: at('parent_pcode'), message: problem ?? 'is not a known area' });
        failedRows.set(area.pcode, row);
        continue;
      }
      parentPath = parent.path;
    }
    const path = areaPath(parentPath, area.pcode);
    known.set(area.pcode, { level: area.level, path });
    inserts.push({
      pcode: area.pcode,
      parent_pcode: area.parent_pcode,
      level: area.level,
      kind: area.kind ?? null,
      name_ar: area.name_ar,
      name_en: area.name_en,
      latitude: area.latitude,
      longitude: area.longitude,
      path,
      created_at: createdAt,
    });
  }
  if (issues.length > 0) throw tooManyIssues(issues);
  if (inserts.length > 0) {
    await insertAreas(trx, inserts);
    await appendAuditEvent(
      trx,
      { actor, action, entity: 'area', entityId: null, fields: importColumns },
      clock,
    );
  }
  return { created: inserts.length, existing };
}

export interface ImportAreasInput {
  text: string;
  format: 'csv' | 'json';
}

/**
 * Loads areas from a CSV or JSON file's text (columns pcode, parent_pcode, level, name_ar,
 * name_en, latitude, longitude, and optionally kind for communities): all or nothing, with
 * row-numbered issues (see parseAreaFile); existing identical areas are kept and counted.
 */
export async function importAreas(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: ImportAreasInput,
  clock: Clock,
): Promise<ImportAreasResult> {
  const rows = parseAreaFile(input.text, input.format);
  try {
    return await writeTransaction(storage, (trx) =>
      importRowsIn(trx, actor, rows, 'area.import', clock),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'areas-changed',
        'Areas were added while importing; run the import again.',
      );
    }
    throw error;
  }
}

/**
 * Inside the caller's transaction: checks and inserts rows given in code (row numbers count
 * from 1), with the same rules as importAreas.
 */
export async function importAreaRowsIn(
  trx: Executor,
  actor: Actor,
  rows: AreaRow[],
  clock: Clock,
  action = 'area.import',
): Promise<ImportAreasResult> {
  const numbered = validateRows(
    rows.map((area, index) => ({ row: index + 1, values: { ...area } })),
    [],
  );
  return importRowsIn(trx, actor, numbered, action, clock);
}

/** The shipped areas (Syria, admin levels 1–3), parsed and checked. */
export async function readShippedAreas(): Promise<NumberedAreaRow[]> {
  return parseAreaFile(await readFile(shippedAreasUrl, 'utf8'), 'json');
}

/** Inside the caller's transaction: inserts the shipped areas that are missing, keeps the rest. */
export async function loadShippedAreasIn(
  trx: Executor,
  actor: Actor,
  clock: Clock,
): Promise<ImportAreasResult> {
  return importRowsIn(trx, actor, await readShippedAreas(), 'area.load_shipped', clock);
}

/**
 * Inserts the shipped Syrian governorates, districts and subdistricts that are missing and
 * keeps those already there; running it again changes nothing.
 */
export async function loadShippedAreas(
  storage: Pick<Storage, 'db' | 'dialect'>,
  clock: Clock = systemClock,
): Promise<ImportAreasResult> {
  return writeTransaction(storage, (trx) => loadShippedAreasIn(trx, systemActor, clock));
}

/**
 * Loads the shipped areas into a database that has no areas at all (its first start), so that
 * scopes and registrations work at once; a database given other areas first is left alone.
 */
export async function loadShippedAreasIfEmpty(
  storage: Pick<Storage, 'db' | 'dialect'>,
  clock: Clock = systemClock,
): Promise<void> {
  const any = await storage.db.selectFrom('areas').select('pcode').limit(1).executeTakeFirst();
  if (!any) await loadShippedAreas(storage, clock);
}
