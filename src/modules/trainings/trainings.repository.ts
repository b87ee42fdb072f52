/** All SQL on the trainings catalogue. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type TrainingRecord = Row<'trainings'>;

export async function insertTraining(db: Executor, row: TrainingRecord): Promise<boolean> {
  const result = await db
    .insertInto('trainings')
    .values(row)
    .onConflict((conflict) => conflict.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findTrainings(
  db: Executor,
  codes?: readonly string[],
): Promise<TrainingRecord[]> {
  let query = db.selectFrom('trainings').selectAll().orderBy('code');
  if (codes !== undefined) {
    if (codes.length === 0) return [];
    query = query.where('code', 'in', [...codes]);
  }
  return query.execute();
}
