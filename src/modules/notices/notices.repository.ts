/**
 * The audiences of household notices: active households with a phone in areas, or entitled in
 * a cycle. Read here in one set query (not household by household through the registry's
 * service) so that a notice to a whole cycle queues in seconds; only ids and phones are read.
 */
import type { Executor } from '../../db/transaction.js';

export async function findAreaPaths(
  db: Executor,
  pcodes: readonly string[],
): Promise<Map<string, string>> {
  if (pcodes.length === 0) return new Map();
  const rows = await db
    .selectFrom('areas')
    .select(['pcode', 'path'])
    .where('pcode', 'in', [...pcodes])
    .execute();
  return new Map(rows.map((row) => [row.pcode, row.path]));
}

export async function findPhonesInAreas(
  db: Executor,
  paths: readonly string[],
): Promise<{ id: string; phone: string }[]> {
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('households')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .select(['households.id as id', 'households.phone as phone'])
    .where('households.status', '=', 'active')
    .where('households.phone', 'is not', null)
    .where((eb) => eb.or(paths.map((path) => eb('areas.path', 'like', `${path}%`))))
    .orderBy('households.id')
    .execute();
  return rows.flatMap((row) => (row.phone ? [{ id: row.id, phone: row.phone }] : []));
}

export async function cycleExists(db: Executor, cycleId: string): Promise<boolean> {
  return (
    (await db.selectFrom('cycles').select('id').where('id', '=', cycleId).executeTakeFirst()) !==
    undefined
  );
}

export async function findPhonesInCycle(
  db: Executor,
  cycleId: string,
): Promise<{ id: string; phone: string }[]> {
  const rows = await db
    .selectFrom('cycle_households')
    .innerJoin('households', 'households.id', 'cycle_households.household_id')
    .select(['households.id as id', 'households.phone as phone'])
    .where('cycle_households.cycle_id', '=', cycleId)
    .where('households.status', '=', 'active')
    .where('households.phone', 'is not', null)
    .orderBy('households.id')
    .execute();
  return rows.flatMap((row) => (row.phone ? [{ id: row.id, phone: row.phone }] : []));
}
