/** All SQL on lots and inspections. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type LotRecord = Row<'lots'>;
export type InspectionRecord = Row<'inspections'>;

export async function insertLots(db: Executor, rows: readonly LotRecord[]): Promise<void> {
  if (rows.length === 0) return;
  // Chunked: PostgreSQL and SQLite cap the parameters of one statement.
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('lots')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

export async function findLots(db: Executor, ids: readonly string[]): Promise<LotRecord[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('lots')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** The lots with these numbers among a commodity's (number is unique per commodity). */
export async function findLotsByNumber(
  db: Executor,
  keys: readonly { commodity: string; number: string }[],
): Promise<LotRecord[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('lots')
    .selectAll()
    .where('number', 'in', [...new Set(keys.map((key) => key.number))])
    .execute()
    .then((rows) =>
      rows.filter((row) =>
        keys.some((key) => key.commodity === row.commodity && key.number === row.number),
      ),
    );
}

export interface LotFilter {
  warehouseIds?: readonly string[];
  donationId?: string;
  commodity?: string;
  statuses?: readonly LotRecord['status'][];
}

export async function listLots(db: Executor, filter: LotFilter): Promise<LotRecord[]> {
  let query = db.selectFrom('lots').selectAll();
  if (filter.warehouseIds !== undefined) {
    if (filter.warehouseIds.length === 0) return [];
    query = query.where('warehouse_id', 'in', [...filter.warehouseIds]);
  }
  if (filter.donationId !== undefined) query = query.where('donation_id', '=', filter.donationId);
  if (filter.commodity !== undefined) query = query.where('commodity', '=', filter.commodity);
  if (filter.statuses !== undefined) query = query.where('status', 'in', [...filter.statuses]);
  return query.orderBy('created_at').orderBy('line_number').orderBy('id').execute();
}

export async function updateLot(
  db: Executor,
  id: string,
  changes: Partial<Pick<LotRecord, 'status' | 'quantity'>>,
): Promise<void> {
  await db.updateTable('lots').set(changes).where('id', '=', id).execute();
}

export async function insertInspection(db: Executor, row: InspectionRecord): Promise<void> {
  await db.insertInto('inspections').values(row).execute();
}

export async function findInspection(
  db: Executor,
  id: string,
): Promise<InspectionRecord | undefined> {
  return db.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInspectionsOfLots(
  db: Executor,
  lotIds: readonly string[],
): Promise<InspectionRecord[]> {
  if (lotIds.length === 0) return [];
  return db
    .selectFrom('inspections')
    .selectAll()
    .where('lot_id', 'in', [...lotIds])
    .orderBy('created_at')
    .execute();
}

/** The lots received with these donations (split-off parts included), in receipt order. */
export async function listLotsOfDonations(
  db: Executor,
  donationIds: readonly string[],
): Promise<LotRecord[]> {
  if (donationIds.length === 0) return [];
  return db
    .selectFrom('lots')
    .selectAll()
    .where('donation_id', 'in', [...donationIds])
    .orderBy('created_at')
    .orderBy('line_number')
    .orderBy('id')
    .execute();
}
