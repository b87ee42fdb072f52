/** The SQL of household proxies, and of who may collect for a household. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type ProxyRow = Row<'household_proxies'>;

export async function findProxies(db: Executor, householdId: string): Promise<ProxyRow[]> {
  return db
    .selectFrom('household_proxies')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findProxy(
  db: Executor,
  householdId: string,
  id: string,
): Promise<ProxyRow | undefined> {
  return db
    .selectFrom('household_proxies')
    .selectAll()
    .where('household_id', '=', householdId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertProxy(db: Executor, row: ProxyRow): Promise<void> {
  await db.insertInto('household_proxies').values(row).execute();
}

export async function updateProxyRow(db: Executor, row: ProxyRow): Promise<void> {
  await db
    .updateTable('household_proxies')
    .set({ name: row.name, relation: row.relation, national_id: row.national_id })
    .where('id', '=', row.id)
    .execute();
}

export async function deleteProxyRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('household_proxies').where('id', '=', id).execute();
}

/**
 * Who may collect for each of these households besides the head: 'member:<position>' for
 * each member and 'proxy:<id>' for each proxy.
 */
export async function findCollectorKeys(
  db: Executor,
  householdIds: readonly string[],
): Promise<{ household_id: string; collector: string }[]> {
  if (householdIds.length === 0) return [];
  const [members, proxies] = await Promise.all([
    db
      .selectFrom('household_members')
      .select(['household_id', 'position'])
      .where('household_id', 'in', householdIds)
      .execute(),
    db
      .selectFrom('household_proxies')
      .select(['household_id', 'id'])
      .where('household_id', 'in', householdIds)
      .execute(),
  ]);
  return [
    ...members.map((row) => ({
      household_id: row.household_id,
      collector: `member:${row.position}`,
    })),
    ...proxies.map((row) => ({ household_id: row.household_id, collector: `proxy:${row.id}` })),
  ];
}
