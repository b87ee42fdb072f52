/** All SQL on the partners table. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import type { PartnerKind } from './partners.schema.js';

export type PartnerRecord = Row<'partners'>;

export async function findPartner(db: Executor, id: string): Promise<PartnerRecord | undefined> {
  return db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPartners(
  db: Executor,
  filter: { kind?: PartnerKind },
): Promise<PartnerRecord[]> {
  let query = db.selectFrom('partners').selectAll();
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.orderBy('name_en').orderBy('id').execute();
}

export async function insertPartner(db: Executor, row: PartnerRecord): Promise<void> {
  await db.insertInto('partners').values(row).execute();
}
