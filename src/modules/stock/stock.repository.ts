/** All SQL of service point stock: its accounts, by owner. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { ownerKinds } from '../../domain/entitlement/accounts.js';

/** The stock accounts of a service point, by commodity. */
export async function findStockAccounts(
  db: Executor,
  servicePointId: string,
): Promise<Row<'accounts'>[]> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', '=', ownerKinds.servicePoint)
    .where('owner_id', '=', servicePointId)
    .orderBy('commodity')
    .execute();
}
