/**
 * All SQL of redemptions: the stored first answers, the cycles and what was handed. The hot
 * reads and writes are prepared queries (src/db/prepared.ts): one definition for both
 * dialects, run as cached statements inside writeTransaction on SQLite.
 */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import { preparedByKey, preparedInsert, type BulkColumns } from '../../db/prepared.js';
import { whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type RedemptionRecord = Row<'redemptions'>;

/** Any constant shared by every Awn process: the first key of the per-id redemption lock. */
const redemptionLockKey = 0x41776e02;

/**
 * PostgreSQL: serializes requests that reuse a redemption id until the transaction ends, so a
 * retry racing its original waits and then finds the stored answer. The locks are taken in
 * one order, so two batches sharing ids cannot deadlock on them. (SQLite's write
 * transactions are serial already.)
 */
export async function lockRedemptionIds(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`select pg_advisory_xact_lock(${sql.lit(redemptionLockKey)}, key) from (select distinct hashtext(id) as key from unnest(${[...ids]}::text[]) as ids(id) order by key) as keys`.execute(
    db,
  );
}

export const redemptionsById = preparedByKey<
  string,
  RedemptionRecord & { household_area_path: string }
>(
  (db, key) =>
    db
      .selectFrom('redemptions')
      .innerJoin('households', 'households.id', 'redemptions.household_id')
      .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
      .selectAll('redemptions')
      .select('areas.path as household_area_path')
      .where(key('redemptions.id')),
  { oneRowPerKey: true },
);

/**
 * The stored redemptions with these ids, with the path of their household's area (so a replay
 * is answered only inside the asker's scope); unknown ids are left out.
 */
export async function findRedemptions(
  db: Executor,
  ids: readonly string[],
): Promise<(RedemptionRecord & { household_area_path: string })[]> {
  return redemptionsById.rows(db, ids);
}

const redemptionColumns: BulkColumns<RedemptionRecord> = {
  id: 'text',
  household_id: 'text',
  service_point_id: 'text',
  request_hash: 'text',
  result_json: 'text',
  actor_id: 'text',
  collected_by: 'text',
  override_reason: 'text',
  created_at: 'text',
};

export const insertRedemptionRows = preparedInsert<'redemptions', RedemptionRecord>(
  'redemptions',
  redemptionColumns,
);

export async function insertRedemptions(
  db: Executor,
  rows: readonly RedemptionRecord[],
): Promise<void> {
  await insertRedemptionRows.run(db, rows);
}

export interface CycleState {
  id: string;
  programme_id: string;
  status: string;
  starts_on: string;
  ends_on: string;
  /** The programme's rules (docs/programme-rules.md), for the limits of each commodity. */
  rules_json: string;
}

export const cycleStatesById = preparedByKey<string, CycleState>(
  (db, key) =>
    db
      .selectFrom('cycles')
      .innerJoin('programmes', 'programmes.id', 'cycles.programme_id')
      .select([
        'cycles.id as id',
        'cycles.programme_id as programme_id',
        'cycles.status as status',
        'cycles.starts_on as starts_on',
        'cycles.ends_on as ends_on',
        'programmes.rules_json as rules_json',
      ])
      .where(key('cycles.id')),
  { oneRowPerKey: true },
);

/** The cycles with these ids, with what decides whether and how much may be redeemed. */
export async function findCycleStates(
  db: Executor,
  cycleIds: readonly string[],
): Promise<CycleState[]> {
  return cycleStatesById.rows(db, cycleIds);
}

export const handedSinceByHousehold = preparedByKey<
  string,
  Pick<RedemptionRecord, 'household_id' | 'result_json'>,
  { since: string }
>((db, key, p) =>
  db
    .selectFrom('redemptions')
    .select(['household_id', 'result_json'])
    .where(key('household_id'))
    .where('created_at', '>=', p.since),
);

/**
 * What these households were handed at or after an instant (ISO, as stored): the stored
 * answers' items, one row per redemption.
 */
export async function findHandedSince(
  db: Executor,
  householdIds: readonly string[],
  since: string,
): Promise<Pick<RedemptionRecord, 'household_id' | 'result_json'>[]> {
  return handedSinceByHousehold.rows(db, householdIds, { since });
}
export interface RedemptionFilter {
  householdId?: string;
  servicePointId?: string;
  /** An ISO instant (UTC, as stored): only redemptions at or after it. */
  since?: string;
  /** Only redemptions before this one in newest-first order (the previous page's last). */
  before?: { createdAt: string; id: string };
  limit: number;
}

/**
 * Redemptions of households inside the scope, newest first (created_at, then id, descending),
 * with what the list shows; `limit` rows at most.
 */
export async function listRedemptions(
  db: Executor,
  scope: Scope,
  filter: RedemptionFilter,
): Promise<
  Pick<
    RedemptionRecord,
    | 'id'
    | 'household_id'
    | 'service_point_id'
    | 'result_json'
    | 'collected_by'
    | 'override_reason'
    | 'created_at'
  >[]
> {
  let query = db
    .selectFrom('redemptions')
    .innerJoin('households', 'households.id', 'redemptions.household_id')
    .select([
      'redemptions.id',
      'redemptions.household_id',
      'redemptions.service_point_id',
      'redemptions.result_json',
      'redemptions.collected_by',
      'redemptions.override_reason',
      'redemptions.created_at',
    ]);
  query = whereAreaInScope(query, scope, 'households.area_pcode');
  if (filter.householdId !== undefined) {
    query = query.where('redemptions.household_id', '=', filter.householdId);
  }
  if (filter.servicePointId !== undefined) {
    query = query.where('redemptions.service_point_id', '=', filter.servicePointId);
  }
  if (filter.since !== undefined) query = query.where('redemptions.created_at', '>=', filter.since);
  const before = filter.before;
  if (before !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('redemptions.created_at', '<', before.createdAt),
        eb.and([
          eb('redemptions.created_at', '=', before.createdAt),
          eb('redemptions.id', '<', before.id),
        ]),
      ]),
    );
  }
  return query
    .orderBy('redemptions.created_at', 'desc')
    .orderBy('redemptions.id', 'desc')
    .limit(filter.limit)
    .execute();
}
