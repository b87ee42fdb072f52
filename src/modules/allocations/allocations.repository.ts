/** All SQL on allocations and allocation_lines. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type AllocationRecord = Row<'allocations'>;
export type AllocationLineRecord = Row<'allocation_lines'>;

export async function insertAllocation(
  db: Executor,
  row: AllocationRecord,
  lines: readonly AllocationLineRecord[],
): Promise<void> {
  await db.insertInto('allocations').values(row).execute();
  for (let start = 0; start < lines.length; start += 500) {
    await db
      .insertInto('allocation_lines')
      .values(lines.slice(start, start + 500))
      .execute();
  }
}

export async function findAllocation(
  db: Executor,
  id: string,
): Promise<AllocationRecord | undefined> {
  return db.selectFrom('allocations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAllocations(
  db: Executor,
  warehouseIds: readonly string[],
  status: string | undefined,
): Promise<AllocationRecord[]> {
  if (warehouseIds.length === 0) return [];
  let query = db
    .selectFrom('allocations')
    .selectAll()
    .where('warehouse_id', 'in', [...warehouseIds]);
  if (status !== undefined)
    query = query.where('status', '=', status as AllocationRecord['status']);
  return query.orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function findLines(
  db: Executor,
  allocationIds: readonly string[],
): Promise<AllocationLineRecord[]> {
  if (allocationIds.length === 0) return [];
  return db
    .selectFrom('allocation_lines')
    .selectAll()
    .where('allocation_id', 'in', [...allocationIds])
    .orderBy('allocation_id')
    .orderBy('line_number')
    .execute();
}

/** Moves the allocation from one status to the next; false when another request moved it first. */
export async function changeStatus(
  db: Executor,
  id: string,
  from: AllocationRecord['status'],
  changes: Partial<AllocationRecord>,
): Promise<boolean> {
  const result = await db
    .updateTable('allocations')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setReceivedQuantities(
  db: Executor,
  lines: readonly { id: string; received: number }[],
): Promise<void> {
  for (const line of lines) {
    await db
      .updateTable('allocation_lines')
      .set({ received_quantity: line.received })
      .where('id', '=', line.id)
      .execute();
  }
}

/** The received lines of these lots, with their allocation's recipient. */
export async function findReceivedLinesOfLots(
  db: Executor,
  lotIds: readonly string[],
): Promise<
  {
    lot_id: string;
    quantity: number;
    received_quantity: number | null;
    recipient_kind: string;
    recipient_id: string;
    status: string;
  }[]
> {
  if (lotIds.length === 0) return [];
  return db
    .selectFrom('allocation_lines')
    .innerJoin('allocations', 'allocations.id', 'allocation_lines.allocation_id')
    .select([
      'allocation_lines.lot_id',
      'allocation_lines.quantity',
      'allocation_lines.received_quantity',
      'allocations.recipient_kind',
      'allocations.recipient_id',
      'allocations.status',
    ])
    .where('allocation_lines.lot_id', 'in', [...lotIds])
    .execute();
}
