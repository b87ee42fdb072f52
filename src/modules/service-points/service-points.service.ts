/**
 * Service points: where households redeem. Scoped data: an actor sees and creates only those
 * whose area lies within their scope; anything else is answered as not found.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { assertAreaInScope } from '../../db/scope.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findArea } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { findPartner } from '../partners/partners.service.js';
import {
  findServicePoint,
  insertServicePoint,
  listServicePoints as selectServicePoints,
  updateServicePointRow,
  type ServicePointRecord,
} from './service-points.repository.js';
import type {
  CreateServicePointInput,
  ServicePointListInput,
  ServicePointView,
  UpdateServicePointInput,
} from './service-points.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export {
  findHomeServicePoints,
  findServicePoint,
  findServicePointAreaPaths,
  findServicePointStates,
  findUserServicePoints,
} from './service-points.repository.js';
export { homesOfHouseholds } from './service-points.homes.js';

function presentServicePoint(row: ServicePointRecord): ServicePointView {
  return {
    id: row.id,
    partner_id: row.partner_id,
    name_ar: row.name_ar,
    name_en: row.name_en,
    area_pcode: row.area_pcode,
    commodities:
      row.commodities_json === null ? null : (JSON.parse(row.commodities_json) as string[]),
    created_at: row.created_at,
  };
}

/** Issues for commodity codes that are not known, under `/commodities/<index>`. */
async function unknownCommodityIssues(
  trx: Executor,
  commodities: readonly string[] | null | undefined,
): Promise<FieldIssue[]> {
  if (!commodities) return [];
  const known = new Set((await findCommodities(trx, commodities)).map((row) => row.code));
  return commodities.flatMap((code, index) =>
    known.has(code) ? [] : [{ path: `/commodities/${index}`, message: 'is not a known commodity' }],
  );
}

/** The service points in the actor's scope, optionally within an area or of one partner. */
export async function listServicePoints(
  db: Executor,
  actor: Actor,
  input: ServicePointListInput,
): Promise<ServicePointView[]> {
  let areaPath: string | undefined;
  if (input.area !== undefined) {
    const area = await findArea(db, input.area);
    if (!area) return [];
    areaPath = area.path;
  }
  const rows = await selectServicePoints(db, actor.scope, {
    areaPath,
    partnerId: input.partner_id,
  });
  return rows.map(presentServicePoint);
}

/** Returns the service point, or throws NotFoundError when it is missing or outside the scope. */
export async function getServicePoint(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<ServicePointView> {
  const row = await findServicePoint(db, actor.scope, id);
  if (!row) throw new NotFoundError('service point');
  return presentServicePoint(row);
}

/** Inside the caller's transaction: creates a service point in a known area within the actor's scope. */
export async function createServicePointIn(
  trx: Executor,
  actor: Actor,
  input: CreateServicePointInput,
  clock: Clock,
): Promise<ServicePointView> {
  const issues: FieldIssue[] = [];
  if (!(await findArea(trx, input.area_pcode))) {
    issues.push({ path: '/area_pcode', message: 'is not a known area' });
  }
  const partnerId = input.partner_id ?? null;
  if (partnerId !== null && !(await findPartner(trx, partnerId))) {
    issues.push({ path: '/partner_id', message: 'is not a known partner' });
  }
  issues.push(...(await unknownCommodityIssues(trx, input.commodities)));
  if (issues.length > 0) throw new ValidationError(issues);
  await assertAreaInScope(trx, actor.scope, input.area_pcode);
  const row: ServicePointRecord = {
    id: randomUUID(),
    partner_id: partnerId,
    name_ar: input.name_ar.trim(),
    name_en: input.name_en.trim(),
    area_pcode: input.area_pcode,
    commodities_json: input.commodities ? JSON.stringify(input.commodities) : null,
    created_at: clock().toISOString(),
  };
  await insertServicePoint(trx, row);
  await appendAuditEvent(
    trx,
    {
      actor,
      action: 'service_point.create',
      entity: 'service_point',
      entityId: row.id,
      fields: Object.keys(input),
    },
    clock,
  );
  return presentServicePoint(row);
}

/**
 * Creates a service point. Throws ValidationError for an unknown area or partner and
 * NotFoundError('area') for an area outside the actor's scope.
 */
export async function createServicePoint(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateServicePointInput,
  clock: Clock,
): Promise<ServicePointView> {
  return writeTransaction(storage, (trx) => createServicePointIn(trx, actor, input, clock));
}

/**
 * Changes the given fields of a service point in the actor's scope (404 otherwise); 400 for an
 * unknown partner or commodity. Audited with the names of the fields that changed.
 */
export async function updateServicePoint(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  input: UpdateServicePointInput,
  clock: Clock,
): Promise<ServicePointView> {
  return writeTransaction(storage, async (trx) => {
    const row = await findServicePoint(trx, actor.scope, id);
    if (!row) throw new NotFoundError('service point');
    const issues: FieldIssue[] = [];
    if (
      input.partner_id !== undefined &&
      input.partner_id !== null &&
      !(await findPartner(trx, input.partner_id))
    ) {
      issues.push({ path: '/partner_id', message: 'is not a known partner' });
    }
    issues.push(...(await unknownCommodityIssues(trx, input.commodities)));
    if (issues.length > 0) throw new ValidationError(issues);
    const next: ServicePointRecord = {
      ...row,
      name_ar: input.name_ar?.trim() ?? row.name_ar,
      name_en: input.name_en?.trim() ?? row.name_en,
      partner_id: input.partner_id === undefined ? row.partner_id : input.partner_id,
      commodities_json:
        input.commodities === undefined
          ? row.commodities_json
          : input.commodities === null
            ? null
            : JSON.stringify(input.commodities),
    };
    const changed = (['name_ar', 'name_en', 'partner_id', 'commodities_json'] as const).filter(
      (field) => next[field] !== row[field],
    );
    if (changed.length === 0) return presentServicePoint(row);
    await updateServicePointRow(trx, next);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'service_point.update',
        entity: 'service_point',
        entityId: id,
        fields: changed.map((field) => (field === 'commodities_json' ? 'commodities' : field)),
      },
      clock,
    );
    return presentServicePoint(next);
  });
}
