/** All SQL of likely-duplicate review and merging. */
import type { Row } from '../../db/database.js';
import { whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type CandidateRow = Row<'duplicate_candidates'>;

export interface CandidateSide {
  id: string;
  card_number: string;
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  household_size: number;
  area_pcode: string;
  status: Row<'households'>['status'];
}

export interface CandidateWithSides {
  candidate: CandidateRow;
  household: CandidateSide;
  other: CandidateSide;
}

const sideColumns = (alias: 'h' | 'o') =>
  [
    `${alias}.id as ${alias}_id`,
    `${alias}.card_number as ${alias}_card_number`,
    `${alias}.head_given_name as ${alias}_head_given_name`,
    `${alias}.head_father_name as ${alias}_head_father_name`,
    `${alias}.head_grandfather_name as ${alias}_head_grandfather_name`,
    `${alias}.head_family_name as ${alias}_head_family_name`,
    `${alias}.household_size as ${alias}_household_size`,
    `${alias}.area_pcode as ${alias}_area_pcode`,
    `${alias}.status as ${alias}_status`,
  ] as const;

function side(row: Record<string, unknown>, alias: 'h' | 'o'): CandidateSide {
  const get = (name: string) => row[`${alias}_${name}`];
  return {
    id: get('id') as string,
    card_number: get('card_number') as string,
    head_given_name: get('head_given_name') as string,
    head_father_name: get('head_father_name') as string,
    head_grandfather_name: get('head_grandfather_name') as string | null,
    head_family_name: get('head_family_name') as string,
    household_size: Number(get('household_size')),
    area_pcode: get('area_pcode') as string,
    status: get('status') as CandidateSide['status'],
  };
}

function candidateOf(row: Record<string, unknown>): CandidateRow {
  return {
    id: row.id as string,
    household_id: row.household_id as string,
    other_household_id: row.other_household_id as string,
    score: Number(row.score),
    reason: row.reason as string,
    status: row.status as CandidateRow['status'],
    kept_household_id: row.kept_household_id as string | null,
    resolved_by: row.resolved_by as string | null,
    resolved_at: row.resolved_at as string | null,
    created_at: row.created_at as string,
    saved_anyway_reason: (row.saved_anyway_reason as string | null | undefined) ?? null,
  };
}

/** Candidates joined to both households, both in scope. */
function pairsInScope(db: Executor, scope: Scope) {
  let query = db
    .selectFrom('duplicate_candidates as d')
    .innerJoin('households as h', 'h.id', 'd.household_id')
    .innerJoin('households as o', 'o.id', 'd.other_household_id');
  // Both households must be in scope: a pair half outside would leak who is registered there.
  query = whereAreaInScope(query, scope, 'h.area_pcode');
  query = whereAreaInScope(query, scope, 'o.area_pcode');
  return query;
}

function baseQuery(db: Executor, scope: Scope) {
  return pairsInScope(db, scope).selectAll('d').select(sideColumns('h')).select(sideColumns('o'));
}

/** One page of candidates in the scope with the status, in id order (limit + 1 rows). */
export async function listCandidates(
  db: Executor,
  scope: Scope,
  filter: { status: CandidateRow['status']; afterId?: string; limit: number },
): Promise<CandidateWithSides[]> {
  let query = baseQuery(db, scope).where('d.status', '=', filter.status);
  if (filter.afterId !== undefined) query = query.where('d.id', '>', filter.afterId);
  const rows = await query
    .orderBy('d.id')
    .limit(filter.limit + 1)
    .execute();
  return rows.map((row) => {
    const record = row as unknown as Record<string, unknown>;
    return {
      candidate: candidateOf(record),
      household: side(record, 'h'),
      other: side(record, 'o'),
    };
  });
}

/** How many candidates with the status have both households in the scope (as listCandidates). */
export async function countCandidates(
  db: Executor,
  scope: Scope,
  status: CandidateRow['status'],
): Promise<number> {
  const row = await pairsInScope(db, scope)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('d.status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The candidate with both households, when both are in scope. */
export async function findCandidate(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CandidateWithSides | undefined> {
  const row = await baseQuery(db, scope).where('d.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const record = row as unknown as Record<string, unknown>;
  return { candidate: candidateOf(record), household: side(record, 'h'), other: side(record, 'o') };
}

export async function updateCandidate(
  db: Executor,
  id: string,
  changes: Pick<CandidateRow, 'status' | 'kept_household_id' | 'resolved_by' | 'resolved_at'>,
): Promise<void> {
  await db.updateTable('duplicate_candidates').set(changes).where('id', '=', id).execute();
}
