/** All SQL on warehouses and warehouse_locations. */
import type { Row } from '../../db/database.js';
import { whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type WarehouseRecord = Row<'warehouses'>;
export type LocationRecord = Row<'warehouse_locations'>;

export async function insertWarehouse(db: Executor, row: WarehouseRecord): Promise<void> {
  await db.insertInto('warehouses').values(row).execute();
}

export async function insertLocation(db: Executor, row: LocationRecord): Promise<void> {
  await db.insertInto('warehouse_locations').values(row).execute();
}

/** The warehouse if it lies in the scope. */
export async function findWarehouse(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<WarehouseRecord | undefined> {
  return whereAreaInScope(
    db.selectFrom('warehouses').selectAll().where('id', '=', id),
    scope,
    'warehouses.area_pcode',
  ).executeTakeFirst();
}

export async function listWarehouses(db: Executor, scope: Scope): Promise<WarehouseRecord[]> {
  return whereAreaInScope(
    db.selectFrom('warehouses').selectAll().orderBy('name_ar').orderBy('id'),
    scope,
    'warehouses.area_pcode',
  ).execute();
}

export async function findLocations(
  db: Executor,
  warehouseIds: readonly string[],
): Promise<LocationRecord[]> {
  if (warehouseIds.length === 0) return [];
  return db
    .selectFrom('warehouse_locations')
    .selectAll()
    .where('warehouse_id', 'in', warehouseIds)
    .orderBy('room')
    .orderBy('shelf')
    .orderBy('id')
    .execute();
}
