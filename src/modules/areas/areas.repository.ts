/** All SQL on the areas table. */
import type { NewRow, Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import type { AreaLevel } from './areas.schema.js';

export type AreaRecord = Row<'areas'>;

export async function findArea(db: Executor, pcode: string): Promise<AreaRecord | undefined> {
  return db.selectFrom('areas').selectAll().where('pcode', '=', pcode).executeTakeFirst();
}

/** The areas among `pcodes` that exist, keyed by p-code. */
export async function findAreas(
  db: Executor,
  pcodes: readonly string[],
): Promise<Map<string, AreaRecord>> {
  const found = new Map<string, AreaRecord>();
  // Chunked so a large import stays under SQLite's bound-parameter limit.
  for (let start = 0; start < pcodes.length; start += 500) {
    const chunk = pcodes.slice(start, start + 500);
    const rows = await db.selectFrom('areas').selectAll().where('pcode', 'in', chunk).execute();
    for (const row of rows) found.set(row.pcode, row);
  }
  return found;
}

export interface AreaFilter {
  parent?: string;
  level?: AreaLevel;
  /** No limit when absent. */
  limit?: number;
}

export async function listAreas(db: Executor, filter: AreaFilter): Promise<AreaRecord[]> {
  let query = db.selectFrom('areas').selectAll();
  if (filter.parent !== undefined) query = query.where('parent_pcode', '=', filter.parent);
  if (filter.level !== undefined) query = query.where('level', '=', filter.level);
  query = query.orderBy('pcode');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return query.execute();
}

export async function insertAreas(db: Executor, rows: NewRow<'areas'>[]): Promise<void> {
  // 10 columns a row: 500 rows stay well under every dialect's parameter limit.
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('areas')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

export async function countAreas(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export { isUniqueViolation } from '../../db/errors.js';
