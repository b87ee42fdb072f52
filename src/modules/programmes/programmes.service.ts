/** Programmes: named rules that turn households into entitlements, and previews of their reach. */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { assertAreaInScope } from '../../db/scope.js';
import { checkRules, ruleTags, type ProgrammeRules } from '../../domain/entitlement/rules.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { loadHouseholdConfig } from '../households/households.config.js';
import {
  findProgramme,
  findProgrammeByCode,
  insertProgramme,
  listProgrammes as selectProgrammes,
  lockUnclosedCycles,
  previewTotals,
  updateProgramme as writeProgramme,
  type ProgrammeRecord,
} from './programmes.repository.js';
import type {
  CreateProgrammeInput,
  PreviewInput,
  PreviewRulesInput,
  PreviewView,
  ProgrammeView,
  UpdateProgrammeInput,
} from './programmes.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export { findProgramme } from './programmes.repository.js';
export type { HouseholdSelection } from './programmes.repository.js';

/** The stored rules of a programme (validated when it was created). */
export function programmeRules(row: Pick<ProgrammeRecord, 'rules_json'>): ProgrammeRules {
  return JSON.parse(row.rules_json) as ProgrammeRules;
}

function presentProgramme(row: ProgrammeRecord): ProgrammeView {
  return {
    id: row.id,
    code: row.code,
    name_ar: row.name_ar,
    name_en: row.name_en,
    rules: programmeRules(row) as ProgrammeView['rules'],
    owner_area_pcode: row.owner_area_pcode,
    late_registrations_join: row.late_registrations_join === 1,
    created_at: row.created_at,
  };
}

/**
 * Every issue with the rules, with paths under `prefix`: their own soundness (checkRules),
 * then commodities, tags and areas that must exist.
 */
export async function checkRulesAgainstData(
  db: Executor,
  rules: ProgrammeRules,
  prefix = '/rules',
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = checkRules(rules).map((issue) => ({
    path: `${prefix}${issue.path}`,
    message: issue.message,
  }));
  const commodities = new Set(
    (
      await findCommodities(
        db,
        rules.items.map((item) => item.commodity),
      )
    ).map((row) => row.code),
  );
  rules.items.forEach((item, index) => {
    if (!commodities.has(item.commodity)) {
      issues.push({
        path: `${prefix}/items/${index}/commodity`,
        message: 'is not a known commodity',
      });
    }
  });
  const tags = ruleTags(rules);
  if (tags.length > 0) {
    const known = new Set((await loadHouseholdConfig(db)).tags.map((tag) => tag.code));
    for (const { path, tag } of tags) {
      if (!known.has(tag))
        issues.push({ path: `${prefix}${path}`, message: 'is not a configured tag' });
    }
  }
  const pcodes = rules.eligibility?.area_pcodes ?? [];
  if (pcodes.length > 0) {
    const areas = await findAreas(db, [...pcodes]);
    pcodes.forEach((pcode, index) => {
      if (!areas.has(pcode)) {
        issues.push({
          path: `${prefix}/eligibility/area_pcodes/${index}`,
          message: 'is not a known area',
        });
      }
    });
  }
  return issues;
}

/** The area path of each p-code the rules' eligibility names (unknown ones are left out). */
export async function ruleAreaPaths(
  db: Executor,
  rules: ProgrammeRules,
): Promise<Map<string, string>> {
  const pcodes = rules.eligibility?.area_pcodes ?? [];
  if (pcodes.length === 0) return new Map();
  const areas = await findAreas(db, [...pcodes]);
  return new Map([...areas].map(([pcode, area]) => [pcode, area.path]));
}

/**
 * The owner of a programme created without one: the whole organisation for an actor who sees
 * every area, the actor's one area for an actor scoped to one; undefined (it must be given)
 * for an actor scoped to several.
 */
function defaultOwner(actor: Actor): string | null | undefined {
  if (actor.scope.kind === 'all') return null;
  const [only, ...others] = actor.scope.paths;
  if (only === undefined || others.length > 0) return undefined;
  return only.split('/').filter(Boolean).at(-1);
}

/**
 * Checks that the actor may own a programme by this area: a known area (400) in the actor's
 * scope (404); null only for an actor who sees every area (403 `programme-out-of-scope`).
 */
async function checkOwnerArea(db: Executor, actor: Actor, pcode: string | null): Promise<void> {
  if (pcode === null) {
    if (actor.scope.kind !== 'all') {
      throw new ForbiddenError(
        'programme-out-of-scope',
        'Only a user who sees every area may own a programme for the whole organisation.',
      );
    }
    return;
  }
  if (!(await findAreas(db, [pcode])).has(pcode)) {
    throw new ValidationError([{ path: '/owner_area_pcode', message: 'is not a known area' }]);
  }
  await assertAreaInScope(db, actor.scope, pcode);
}

/**
 * Refuses (403 `programme-out-of-scope`) an actor whose scope does not cover the area that
 * owns the programme (or, for a programme of the whole organisation, every area).
 */
async function assertMayChange(db: Executor, actor: Actor, row: ProgrammeRecord): Promise<void> {
  if (actor.scope.kind === 'all') return;
  const owner = row.owner_area_pcode;
  const path = owner === null ? undefined : (await findAreas(db, [owner])).get(owner)?.path;
  if (path === undefined || !areaInScope(actor.scope, path)) {
    throw new ForbiddenError(
      'programme-out-of-scope',
      'This programme belongs to an area outside your scope; ask someone whose scope covers it.',
    );
  }
}

/** Creates a programme after checking its rules; a taken code is a 409 `programme-exists`. */
export async function createProgramme(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateProgrammeInput,
  clock: Clock,
): Promise<ProgrammeView> {
  return writeTransaction(storage, async (trx) => {
    const issues = await checkRulesAgainstData(trx, input.rules);
    if (issues.length > 0) throw new ValidationError(issues);
    const owner =
      input.owner_area_pcode !== undefined ? input.owner_area_pcode : defaultOwner(actor);
    if (owner === undefined) {
      throw new ValidationError([
        { path: '/owner_area_pcode', message: 'is required for a user with a scope of areas' },
      ]);
    }
    await checkOwnerArea(trx, actor, owner);
    if (await findProgrammeByCode(trx, input.code)) {
      throw new ConflictError('programme-exists', 'A programme with this code exists.');
    }
    const row: ProgrammeRecord = {
      id: randomUUID(),
      code: input.code,
      name_ar: input.name_ar,
      name_en: input.name_en,
      rules_json: JSON.stringify(input.rules),
      owner_area_pcode: owner,
      late_registrations_join: input.late_registrations_join === false ? 0 : 1,
      created_by: actor.userId,
      created_at: clock().toISOString(),
    };
    await insertProgramme(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'programme.create',
        entity: 'programme',
        entityId: row.id,
        fields: [
          'code',
          'name_ar',
          'name_en',
          'rules',
          'owner_area_pcode',
          'late_registrations_join',
        ],
      },
      clock,
    );
    return presentProgramme(row);
  });
}

/** The value with every object's keys sorted, so equal rules serialise alike. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, sortedKeys(entry)]),
    );
  }
  return value;
}

function sameRules(a: ProgrammeRules, b: ProgrammeRules): boolean {
  return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
}

/** Cycle statuses in which entitlements are being or were credited from the current rules. */
const rulesInUse: readonly string[] = ['opening', 'open', 'closing'];

/**
 * Changes a programme's names and rules; only the fields that differ are written and audited
 * (nothing differs: nothing is written). Changed rules are checked as at creation, and refused
 * with a 409 `programme-in-use` while a cycle of the programme is opening, open or closing:
 * its entitlements were credited from the rules, and closing expires by their commodities.
 */
export async function updateProgramme(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  input: UpdateProgrammeInput,
  clock: Clock,
): Promise<ProgrammeView> {
  return writeTransaction(storage, async (trx) => {
    const row = await findProgramme(trx, id, { forUpdate: true, dialect: storage.dialect });
    if (!row) throw new NotFoundError('programme');
    await assertMayChange(trx, actor, row);
    const changes: Partial<
      Pick<
        ProgrammeRecord,
        'name_ar' | 'name_en' | 'rules_json' | 'owner_area_pcode' | 'late_registrations_join'
      >
    > = {};
    const fields: string[] = [];
    if (input.owner_area_pcode !== undefined && input.owner_area_pcode !== row.owner_area_pcode) {
      await checkOwnerArea(trx, actor, input.owner_area_pcode);
      changes.owner_area_pcode = input.owner_area_pcode;
      fields.push('owner_area_pcode');
    }
    if (
      input.late_registrations_join !== undefined &&
      (input.late_registrations_join ? 1 : 0) !== row.late_registrations_join
    ) {
      changes.late_registrations_join = input.late_registrations_join ? 1 : 0;
      fields.push('late_registrations_join');
    }
    if (input.name_ar !== undefined && input.name_ar !== row.name_ar) {
      changes.name_ar = input.name_ar;
      fields.push('name_ar');
    }
    if (input.name_en !== undefined && input.name_en !== row.name_en) {
      changes.name_en = input.name_en;
      fields.push('name_en');
    }
    if (input.rules !== undefined && !sameRules(input.rules, programmeRules(row))) {
      const issues = await checkRulesAgainstData(trx, input.rules);
      if (issues.length > 0) throw new ValidationError(issues);
      const live = (await lockUnclosedCycles(trx, id, storage.dialect)).filter((cycle) =>
        rulesInUse.includes(cycle.status),
      );
      if (live.length > 0) {
        throw new ConflictError(
          'programme-in-use',
          'A cycle of this programme is open: its rules cannot change until the cycle is closed.',
          { cycle_ids: live.map((cycle) => cycle.id) },
        );
      }
      changes.rules_json = JSON.stringify(input.rules);
      fields.push('rules');
    }
    if (fields.length === 0) return presentProgramme(row);
    await writeProgramme(trx, id, changes);
    await appendAuditEvent(
      trx,
      { actor, action: 'programme.update', entity: 'programme', entityId: id, fields },
      clock,
    );
    return presentProgramme({ ...row, ...changes });
  });
}

export async function listProgrammes(db: Executor): Promise<ProgrammeView[]> {
  return (await selectProgrammes(db)).map(presentProgramme);
}

/** The programme, or NotFoundError. */
export async function getProgramme(db: Executor, id: string): Promise<ProgrammeView> {
  const row = await findProgramme(db, id);
  if (!row) throw new NotFoundError('programme');
  return presentProgramme(row);
}

async function preview(
  db: Executor,
  actor: Actor,
  rules: ProgrammeRules,
  areaPcodes: readonly string[] | undefined,
): Promise<PreviewView> {
  let withinPaths: string[] | undefined;
  if (areaPcodes) {
    const areas = await findAreas(db, [...areaPcodes]);
    const issues: FieldIssue[] = [];
    areaPcodes.forEach((pcode, index) => {
      if (!areas.has(pcode))
        issues.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
    });
    if (issues.length > 0) throw new ValidationError(issues);
    withinPaths = [...areas.values()].map((area) => area.path);
  }
  const result = await previewTotals(db, {
    rules,
    ruleAreaPaths: await ruleAreaPaths(db, rules),
    ...(withinPaths ? { withinPaths } : {}),
    scope: actor.scope,
  });
  return {
    households: result.households,
    totals: rules.items.map((item, index) => ({
      commodity: item.commodity,
      quantity: result.totals[index] ?? 0,
    })),
  };
}

/** How many households in the actor's scope the programme reaches, and what it would hand out. */
export async function previewProgramme(
  db: Executor,
  actor: Actor,
  id: string,
  input: PreviewInput,
): Promise<PreviewView> {
  const row = await findProgramme(db, id);
  if (!row) throw new NotFoundError('programme');
  return preview(db, actor, programmeRules(row), input.area_pcodes);
}

/** The same preview for rules not saved yet (checked first, like a new programme's). */
export async function previewRules(
  db: Executor,
  actor: Actor,
  input: PreviewRulesInput,
): Promise<PreviewView> {
  const issues = await checkRulesAgainstData(db, input.rules);
  if (issues.length > 0) throw new ValidationError(issues);
  return preview(db, actor, input.rules, input.area_pcodes);
}
