/**
 * Warehouses: stores with locations (room, shelf). Scoped data: an actor sees and creates only
 * warehouses whose area lies within their scope; anything else is answered as not found.
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
import { getOrgUnit } from '../org-units/org-units.service.js';
import { findPartner } from '../partners/partners.service.js';
import {
  findLocations,
  findWarehouse,
  insertLocation,
  insertWarehouse,
  listWarehouses as selectWarehouses,
  type LocationRecord,
  type WarehouseRecord,
} from './warehouses.repository.js';
import type {
  CreateLocationInput,
  CreateWarehouseInput,
  WarehouseLocationView,
  WarehouseView,
} from './warehouses.schema.js';

// What other modules may read of this module's tables (they never import its repository).
export { findWarehouse } from './warehouses.repository.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

function presentLocation(row: LocationRecord): WarehouseLocationView {
  return { ...row };
}

function presentWarehouse(row: WarehouseRecord, locations: LocationRecord[]): WarehouseView {
  return {
    ...row,
    locations: locations
      .filter((location) => location.warehouse_id === row.id)
      .map(presentLocation),
  };
}

/** The warehouse in the actor's scope, or NotFoundError. */
export async function requireWarehouse(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<WarehouseRecord> {
  const row = await findWarehouse(db, actor.scope, id);
  if (!row) throw new NotFoundError('warehouse');
  return row;
}

export async function createWarehouse(
  storage: WriteStorage,
  actor: Actor,
  input: CreateWarehouseInput,
  clock: Clock,
): Promise<WarehouseView> {
  return writeTransaction(storage, async (trx) => {
    const issues: FieldIssue[] = [];
    if (!(await findArea(trx, input.area_pcode))) {
      issues.push({ path: '/area_pcode', message: 'is not a known area' });
    }
    if (input.org_unit_id !== undefined) {
      try {
        await getOrgUnit(trx, input.org_unit_id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        issues.push({ path: '/org_unit_id', message: 'is not a known org unit' });
      }
    }
    for (const key of ['partner_id', 'inspection_partner_id'] as const) {
      const id = input[key];
      if (id !== undefined && !(await findPartner(trx, id))) {
        issues.push({ path: `/${key}`, message: 'is not a known partner' });
      }
    }
    if (issues.length > 0) throw new ValidationError(issues);
    await assertAreaInScope(trx, actor.scope, input.area_pcode);
    const row: WarehouseRecord = {
      id: randomUUID(),
      name_ar: input.name_ar.trim(),
      name_en: input.name_en.trim(),
      area_pcode: input.area_pcode,
      org_unit_id: input.org_unit_id ?? null,
      partner_id: input.partner_id ?? null,
      inspection_partner_id: input.inspection_partner_id ?? null,
      created_at: clock().toISOString(),
    };
    await insertWarehouse(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'warehouse.create',
        entity: 'warehouse',
        entityId: row.id,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentWarehouse(row, []);
  });
}

export async function addLocation(
  storage: WriteStorage,
  actor: Actor,
  warehouseId: string,
  input: CreateLocationInput,
  clock: Clock,
): Promise<WarehouseLocationView> {
  return writeTransaction(storage, async (trx) => {
    await requireWarehouse(trx, actor, warehouseId);
    const row: LocationRecord = {
      id: randomUUID(),
      warehouse_id: warehouseId,
      room: input.room.trim(),
      shelf: input.shelf?.trim() ?? null,
      created_at: clock().toISOString(),
    };
    await insertLocation(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'warehouse.location.create',
        entity: 'warehouse',
        entityId: warehouseId,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentLocation(row);
  });
}

export async function listWarehouses(db: Executor, actor: Actor): Promise<WarehouseView[]> {
  const rows = await selectWarehouses(db, actor.scope);
  const locations = await findLocations(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentWarehouse(row, locations));
}

export async function getWarehouse(db: Executor, actor: Actor, id: string): Promise<WarehouseView> {
  const row = await requireWarehouse(db, actor, id);
  return presentWarehouse(row, await findLocations(db, [id]));
}
