/** All SQL on programmes, and the set-based preview of what a programme's rules would hand out. */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { itemQuantitySql, selectionSql, type HouseholdSelection } from './programmes.rules-sql.js';

export type { HouseholdSelection } from './programmes.rules-sql.js';

export type ProgrammeRecord = Row<'programmes'>;

export async function insertProgramme(db: Executor, row: ProgrammeRecord): Promise<void> {
  await db.insertInto('programmes').values(row).execute();
}

/** The programme; with `forUpdate` on PostgreSQL its row stays locked until the transaction ends. */
export async function findProgramme(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean; dialect?: 'sqlite' | 'postgres' } = {},
): Promise<ProgrammeRecord | undefined> {
  let query = db.selectFrom('programmes').selectAll().where('id', '=', id);
  if (options.forUpdate && options.dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function updateProgramme(
  db: Executor,
  id: string,
  changes: Partial<
    Pick<
      ProgrammeRecord,
      'name_ar' | 'name_en' | 'rules_json' | 'owner_area_pcode' | 'late_registrations_join'
    >
  >,
): Promise<void> {
  await db.updateTable('programmes').set(changes).where('id', '=', id).execute();
}

/**
 * The programme's cycles that are not closed, with their status. On PostgreSQL the rows stay
 * locked until the transaction ends: a draft cannot start opening (which reads the rules
 * after locking its cycle) until a change of rules has committed, and a cycle that started
 * opening meanwhile is seen with its new status. SQLite's write transactions already take turns.
 */
export async function lockUnclosedCycles(
  db: Executor,
  programmeId: string,
  dialect: 'sqlite' | 'postgres',
): Promise<Pick<Row<'cycles'>, 'id' | 'status'>[]> {
  let query = db
    .selectFrom('cycles')
    .select(['id', 'status'])
    .where('programme_id', '=', programmeId)
    .where('status', '<>', 'closed')
    .orderBy('id');
  if (dialect === 'postgres') query = query.forUpdate();
  return query.execute();
}

export async function findProgrammeByCode(
  db: Executor,
  code: string,
): Promise<ProgrammeRecord | undefined> {
  return db.selectFrom('programmes').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listProgrammes(db: Executor): Promise<ProgrammeRecord[]> {
  return db.selectFrom('programmes').selectAll().orderBy('code').execute();
}

export interface PreviewTotals {
  households: number;
  /** Per rule item, in rule order. */
  totals: number[];
}

/** Counts the qualifying households and sums each item's quantity over them, in one query. */
export async function previewTotals(
  db: Executor,
  selection: HouseholdSelection,
): Promise<PreviewTotals> {
  const size = sql.ref<number>('h.household_size');
  const row = await db
    .selectFrom('households as h')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('households'),
      ...selection.rules.items.map((item, index) =>
        sql<number | string>`coalesce(sum(${itemQuantitySql(item, size)}), 0)`.as(`total_${index}`),
      ),
    ])
    .where(selectionSql(selection))
    .executeTakeFirstOrThrow();
  const values = row as Record<string, number | string | null>;
  return {
    households: Number(values.households ?? 0),
    // PostgreSQL sums bigints as numeric, which arrives as a string.
    totals: selection.rules.items.map((_item, index) => Number(values[`total_${index}`] ?? 0)),
  };
}
