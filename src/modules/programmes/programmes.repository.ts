/** All SQL on programmes, and the set-based preview of what a programme's rules would hand out. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Row } from '../../db/database.js';
import { areaInScopeExpression } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';
import type { ProgrammeRules } from '../../domain/entitlement/rules.js';
import { eligibilitySql, itemQuantitySql, withinAreasSql } from './programmes.rules-sql.js';

export type ProgrammeRecord = Row<'programmes'>;

export async function insertProgramme(db: Executor, row: ProgrammeRecord): Promise<void> {
  await db.insertInto('programmes').values(row).execute();
}

export async function findProgramme(
  db: Executor,
  id: string,
): Promise<ProgrammeRecord | undefined> {
  return db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirst();
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

export interface HouseholdSelection {
  rules: ProgrammeRules;
  /** Paths of the p-codes the rules' eligibility names. */
  ruleAreaPaths: ReadonlyMap<string, string>;
  /** Only households at or beneath these area paths (a cycle's areas), when given. */
  withinPaths?: readonly string[];
  scope: Scope;
}

/** The households (aliased `h`) the selection admits, as one boolean expression. */
export function selectionSql(selection: HouseholdSelection): Expression<SqlBool> {
  const conditions = [eligibilitySql(selection.rules.eligibility, selection.ruleAreaPaths, 'h')];
  if (selection.withinPaths) conditions.push(withinAreasSql(selection.withinPaths, 'h.area_pcode'));
  if (selection.scope.kind !== 'all') {
    conditions.push(areaInScopeExpression(selection.scope, 'h.area_pcode'));
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
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
