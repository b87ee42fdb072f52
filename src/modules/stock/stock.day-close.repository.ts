/** The SQL of day closes: what moved through a service point's stock in a day, and the closes. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { transferCodes } from '../../domain/entitlement/accounts.js';

/**
 * What moved into (receipts) and out of (hand-overs) these stock accounts between two
 * instants (ISO, end exclusive), per commodity.
 */
export async function findDayMovements(
  db: Executor,
  accountIds: readonly string[],
  start: string,
  end: string,
): Promise<{ commodity: string; received: number; handed_out: number }[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('transfers')
    .select(['commodity', 'code', (eb) => eb.fn.sum<number | string>('amount').as('total')])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('code', '=', transferCodes.stockReceipt),
          eb('credit_account_id', 'in', accountIds),
        ]),
        eb.and([
          eb('code', '=', transferCodes.redemptionStock),
          eb('debit_account_id', 'in', accountIds),
        ]),
      ]),
    )
    .groupBy(['commodity', 'code'])
    .execute();
  const byCommodity = new Map<
    string,
    { commodity: string; received: number; handed_out: number }
  >();
  for (const row of rows) {
    const line = byCommodity.get(row.commodity) ?? {
      commodity: row.commodity,
      received: 0,
      handed_out: 0,
    };
    if (row.code === transferCodes.stockReceipt) line.received += Number(row.total);
    else line.handed_out += Number(row.total);
    byCommodity.set(row.commodity, line);
  }
  return [...byCommodity.values()];
}

export async function findDayCloses(
  db: Executor,
  servicePointId: string,
  day: string,
): Promise<Row<'day_closes'>[]> {
  return db
    .selectFrom('day_closes')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where('day', '=', day)
    .orderBy('commodity')
    .execute();
}

export async function insertDayCloses(
  db: Executor,
  rows: readonly Row<'day_closes'>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('day_closes')
    .values([...rows])
    .execute();
}
