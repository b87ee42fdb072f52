/** All SQL on stock_counts, stock_count_lines and reorder_levels. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type StockCountRecord = Row<'stock_counts'>;
export type StockCountLineRecord = Row<'stock_count_lines'>;
export type ReorderLevelRecord = Row<'reorder_levels'>;

export async function insertCount(
  db: Executor,
  row: StockCountRecord,
  lines: readonly StockCountLineRecord[],
): Promise<void> {
  await db.insertInto('stock_counts').values(row).execute();
  for (let start = 0; start < lines.length; start += 500) {
    await db
      .insertInto('stock_count_lines')
      .values(lines.slice(start, start + 500))
      .execute();
  }
}

export async function findCount(db: Executor, id: string): Promise<StockCountRecord | undefined> {
  return db.selectFrom('stock_counts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A warehouse's counts, newest first (at most `limit`). */
export async function listCounts(
  db: Executor,
  warehouseId: string,
  limit: number,
): Promise<StockCountRecord[]> {
  return db
    .selectFrom('stock_counts')
    .selectAll()
    .where('warehouse_id', '=', warehouseId)
    .orderBy('counted_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findCountLines(db: Executor, id: string): Promise<StockCountLineRecord[]> {
  return db
    .selectFrom('stock_count_lines')
    .selectAll()
    .where('count_id', '=', id)
    .orderBy('lot_id')
    .execute();
}

/** Approves a submitted count; false when another request approved it first. */
export async function approveCountRow(
  db: Executor,
  id: string,
  approvedBy: string | null,
  approvedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('stock_counts')
    .set({ status: 'approved', approved_by: approvedBy, approved_at: approvedAt })
    .where('id', '=', id)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function upsertReorderLevel(db: Executor, row: ReorderLevelRecord): Promise<void> {
  await db
    .insertInto('reorder_levels')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .columns(['holder_kind', 'holder_id', 'commodity'])
        .doUpdateSet({ level: row.level, updated_at: row.updated_at }),
    )
    .execute();
}

export async function listReorderLevels(db: Executor): Promise<ReorderLevelRecord[]> {
  return db
    .selectFrom('reorder_levels')
    .selectAll()
    .orderBy('holder_kind')
    .orderBy('holder_id')
    .orderBy('commodity')
    .execute();
}
