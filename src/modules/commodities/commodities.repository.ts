/** All SQL on the commodities table. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type CommodityRecord = Row<'commodities'>;

export async function findCommodity(
  db: Executor,
  code: string,
): Promise<CommodityRecord | undefined> {
  return db.selectFrom('commodities').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The commodities among `codes` that exist. */
export async function findCommodities(
  db: Executor,
  codes: readonly string[],
): Promise<CommodityRecord[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('commodities').selectAll().where('code', 'in', codes).execute();
}

export async function listCommodities(db: Executor): Promise<CommodityRecord[]> {
  return db.selectFrom('commodities').selectAll().orderBy('code').execute();
}

export async function insertCommodity(db: Executor, row: CommodityRecord): Promise<void> {
  await db.insertInto('commodities').values(row).execute();
}

export async function updateCommodity(
  db: Executor,
  code: string,
  changes: Partial<Pick<CommodityRecord, 'requires_inspection' | 'name_ar' | 'name_en'>>,
): Promise<void> {
  await db.updateTable('commodities').set(changes).where('code', '=', code).execute();
}
