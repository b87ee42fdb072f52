/**
 * All SQL of redemptions: the stored first answers, and the accounts a hand-over touches.
 * Inside writeTransaction on SQLite, what a redemption batch reads and writes runs as
 * prepared single-row statements (heldSqlite), as the ledger's hot path does.
 */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import { whereAreaInScope } from '../../db/scope.js';
import { getEach, heldSqlite, insertEach, type Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';
import { ownerKinds } from '../../domain/entitlement/accounts.js';

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

/**
 * The stored redemptions with these ids, with the path of their household's area (so a replay
 * is answered only inside the asker's scope); unknown ids are left out.
 */
export async function findRedemptions(
  db: Executor,
  ids: readonly string[],
): Promise<(RedemptionRecord & { household_area_path: string })[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite)
    return getEach(
      sqlite,
      'select redemptions.*, areas.path as household_area_path from redemptions join households on households.id = redemptions.household_id join areas on areas.pcode = households.area_pcode where redemptions.id = ?',
      ids,
    );
  return db
    .selectFrom('redemptions')
    .innerJoin('households', 'households.id', 'redemptions.household_id')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .selectAll('redemptions')
    .select('areas.path as household_area_path')
    .where('redemptions.id', 'in', [...ids])
    .execute();
}

const redemptionColumns = [
  'id',
  'household_id',
  'service_point_id',
  'request_hash',
  'result_json',
  'actor_id',
  'collected_by',
  'override_reason',
  'created_at',
] as const satisfies readonly (keyof RedemptionRecord)[];

export async function insertRedemptions(
  db: Executor,
  rows: readonly RedemptionRecord[],
): Promise<void> {
  const sqlite = heldSqlite(db);
  if (sqlite) {
    insertEach(sqlite, 'redemptions', redemptionColumns, rows);
    return;
  }
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('redemptions')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

/**
 * Every account these households own (their entitlements in every cycle), in id order; with
 * `forUpdate` on PostgreSQL they stay locked until the transaction ends.
 */
export async function findHouseholdAccounts(
  db: Executor,
  householdIds: readonly string[],
  forUpdate: boolean,
): Promise<Row<'accounts'>[]> {
  if (householdIds.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const statement = sqlite.prepare(
      'select * from accounts where owner_kind = ? and owner_id = ?',
    );
    return householdIds
      .flatMap((id) => statement.all(ownerKinds.household, id) as Row<'accounts'>[])
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  let query = db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', '=', ownerKinds.household)
    .where('owner_id', 'in', [...householdIds])
    .orderBy('id');
  if (forUpdate) query = query.forUpdate();
  return query.execute();
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

/** The cycles with these ids, with what decides whether and how much may be redeemed. */
export async function findCycleStates(
  db: Executor,
  cycleIds: readonly string[],
): Promise<CycleState[]> {
  if (cycleIds.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite)
    return getEach(
      sqlite,
      'select cycles.id as id, cycles.programme_id as programme_id, cycles.status as status, cycles.starts_on as starts_on, cycles.ends_on as ends_on, programmes.rules_json as rules_json from cycles join programmes on programmes.id = cycles.programme_id where cycles.id = ?',
      cycleIds,
    );
  return db
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
    .where('cycles.id', 'in', cycleIds)
    .execute();
}

/**
 * What these households were handed at or after an instant (ISO, as stored): the stored
 * answers' items, one row per redemption.
 */
export async function findHandedSince(
  db: Executor,
  householdIds: readonly string[],
  since: string,
): Promise<Pick<RedemptionRecord, 'household_id' | 'result_json'>[]> {
  if (householdIds.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const statement = sqlite.prepare(
      'select household_id, result_json from redemptions where household_id = ? and created_at >= ?',
    );
    return householdIds.flatMap(
      (id) => statement.all(id, since) as Pick<RedemptionRecord, 'household_id' | 'result_json'>[],
    );
  }
  return db
    .selectFrom('redemptions')
    .select(['household_id', 'result_json'])
    .where('household_id', 'in', [...householdIds])
    .where('created_at', '>=', since)
    .execute();
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
