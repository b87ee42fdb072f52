/** All SQL on donors, donations and the yearly number series. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type DonorRecord = Row<'donors'>;
export type DonationRecord = Row<'donations'>;

export async function insertDonor(db: Executor, row: DonorRecord): Promise<void> {
  await db.insertInto('donors').values(row).execute();
}

export async function findDonor(db: Executor, id: string): Promise<DonorRecord | undefined> {
  return db.selectFrom('donors').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDonors(db: Executor): Promise<DonorRecord[]> {
  return db.selectFrom('donors').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertDonation(db: Executor, row: DonationRecord): Promise<void> {
  await db.insertInto('donations').values(row).execute();
}

export async function updateDonationAnswer(
  db: Executor,
  id: string,
  answerJson: string,
): Promise<void> {
  await db.updateTable('donations').set({ answer_json: answerJson }).where('id', '=', id).execute();
}

export async function findDonation(db: Executor, id: string): Promise<DonationRecord | undefined> {
  return db.selectFrom('donations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDonationsOfDonor(
  db: Executor,
  donorId: string,
): Promise<DonationRecord[]> {
  return db
    .selectFrom('donations')
    .selectAll()
    .where('donor_id', '=', donorId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

/**
 * The next number of a series in a year. The update takes the row's lock on PostgreSQL (and
 * SQLite holds the write lock), so two receipts never draw the same number.
 */
export async function nextNumber(db: Executor, series: string, year: number): Promise<number> {
  await db
    .insertInto('number_series')
    .values({ series, year, last_number: 0 })
    .onConflict((conflict) => conflict.columns(['series', 'year']).doNothing())
    .execute();
  const row = await db
    .updateTable('number_series')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('series', '=', series)
    .where('year', '=', year)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}
