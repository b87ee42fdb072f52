/** All SQL of redemptions: the stored first answers, and the accounts a hand-over touches. */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { ownerKinds } from '../../domain/entitlement/accounts.js';

export type RedemptionRecord = Row<'redemptions'>;

/** Any constant shared by every Awn process: the first key of the per-id redemption lock. */
const redemptionLockKey = 0x41776e02;

/**
 * PostgreSQL: serializes requests that reuse one redemption id until the transaction ends,
 * so a retry racing its original waits and then finds the stored answer. (SQLite's write
 * transactions are serial already.)
 */
export async function lockRedemptionId(db: Executor, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(redemptionLockKey)}, hashtext(${id}))`.execute(
    db,
  );
}

export async function findRedemption(
  db: Executor,
  id: string,
): Promise<RedemptionRecord | undefined> {
  return db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRedemption(db: Executor, row: RedemptionRecord): Promise<void> {
  await db.insertInto('redemptions').values(row).execute();
}

/**
 * Every account the household owns (its entitlements in every cycle), in id order; with
 * `forUpdate` on PostgreSQL they stay locked until the transaction ends.
 */
export async function findHouseholdAccounts(
  db: Executor,
  householdId: string,
  forUpdate: boolean,
): Promise<Row<'accounts'>[]> {
  let query = db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', '=', ownerKinds.household)
    .where('owner_id', '=', householdId)
    .orderBy('id');
  if (forUpdate) query = query.forUpdate();
  return query.execute();
}

/** The cycles with these ids, with what decides whether they may be redeemed. */
export async function findCycleStates(
  db: Executor,
  cycleIds: readonly string[],
): Promise<Pick<Row<'cycles'>, 'id' | 'status' | 'ends_on'>[]> {
  if (cycleIds.length === 0) return [];
  return db
    .selectFrom('cycles')
    .select(['id', 'status', 'ends_on'])
    .where('id', 'in', cycleIds)
    .execute();
}
