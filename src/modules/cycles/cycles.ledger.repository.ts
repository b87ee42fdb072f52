/**
 * Set-based crediting of a cycle's entitlements: the one place outside the ledger module that
 * writes `accounts` and `transfers` rows directly, because a million households x four
 * commodities must open within 2x of a bare INSERT ... SELECT of the same rows, and going
 * through createTransfers would read and compare every row in JavaScript.
 *
 * Why this keeps every ledger invariant (what verifyLedger checks), for one batch:
 * - One write transaction, with the cycle's row locked first (PostgreSQL; SQLite serializes
 *   writers), so batches of one cycle never interleave.
 * - Step 1 copies the eligible households of the next range of `limit` household ids that are
 *   NOT yet in cycle_households into it, tagged with this batch's number (unique per cycle:
 *   the cycle's credit_batches + 1). (cycle_id, household_id) is the primary key, so a
 *   household is credited once per cycle however often opening is re-run. The range is
 *   bounded on both ends so each batch reads only its own slice of the households index
 *   (an open-ended "next N eligible" makes PostgreSQL scan and sort the rest every batch).
 * - Steps 2-4 read exactly the rows of this batch. For each item with a positive quantity they
 *   create the entitlement account `ent:<cycle>:<household>:<commodity>` with credits_posted =
 *   quantity, the transfer `credit:<cycle>:<household>:<commodity>` of that quantity from the
 *   programme's allotment account, and add the batch's sum to the allotment's debits_posted.
 *   Every new account's balance is its one transfer; the allotment grows by the same sum;
 *   so balances equal transfer sums and each commodity still sums to zero.
 * - The ids are deterministic and new: an existing account or transfer with such an id means
 *   a broken invariant, and its primary key makes the batch fail loudly rather than count twice.
 * - Entitlement accounts start with debits 0 <= credits (their flag holds); the allotment has
 *   flags 0 and the service checks it is open before calling.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/transaction.js';
import {
  allotmentAccountId,
  ownerKinds,
  transferCodes,
} from '../../domain/entitlement/accounts.js';
import type { ItemRule } from '../../domain/entitlement/rules.js';
import {
  itemQuantitySql,
  selectionSql,
  type HouseholdSelection,
} from '../programmes/programmes.rules-sql.js';

export interface CreditBatchInput {
  cycleId: string;
  programmeId: string;
  /** This batch's number: the cycle's credit_batches + 1. */
  batch: number;
  /** Only households with a greater id (keyset over households.id); null from the start. */
  afterHouseholdId: string | null;
  /** Household ids per range (every household counts, eligible or not). */
  limit: number;
  /**
   * Instead of a range: exactly these households (late registrations joining an open cycle);
   * `afterHouseholdId` and `limit` are then ignored.
   */
  householdIds?: readonly string[];
  selection: HouseholdSelection;
  items: readonly ItemRule[];
  now: string;
  actorId: string | null;
}

export interface CreditBatchResult {
  /** Households credited by this batch (0 when none in the range qualifies or is left). */
  households: number;
  /** The end of the range: the next batch starts after it; null when this was the last range. */
  lastHouseholdId: string | null;
}

const text = (value: string | null): RawBuilder<string> => sql`cast(${value} as text)`;

/** Credits one batch of households; see the file comment for why this is safe. */
export async function creditBatch(
  trx: Executor,
  input: CreditBatchInput,
): Promise<CreditBatchResult> {
  const batch = sql.lit(input.batch);
  const cycleId = text(input.cycleId);
  const after = input.afterHouseholdId === null ? null : text(input.afterHouseholdId);
  const only = input.householdIds;
  const upper =
    only !== undefined
      ? null
      : ((
          await sql<{ id: string }>`
    select id from households
    where ${after === null ? sql`1 = 1` : sql`id > ${after}`}
    order by id
    limit 1 offset ${sql.lit(input.limit - 1)}`.execute(trx)
        ).rows[0]?.id ?? null);
  const range =
    only !== undefined
      ? only.length === 0
        ? sql`1 = 0`
        : sql`h.id in (${sql.join(only.map((id) => text(id)))})`
      : sql.join(
          [
            after === null ? sql`1 = 1` : sql`h.id > ${after}`,
            upper === null ? sql`1 = 1` : sql`h.id <= ${text(upper)}`,
          ],
          sql` and `,
        );

  const inserted = await sql`
    insert into cycle_households (cycle_id, household_id, household_size, batch)
    select ${cycleId}, h.id, h.household_size, ${batch}
    from households as h
    where ${range}
      and ${selectionSql(input.selection)}
      and not exists (
        select 1 from cycle_households as done
        where done.cycle_id = ${cycleId} and done.household_id = h.id
      )`.execute(trx);
  const households = Number(inserted.numAffectedRows ?? 0n);
  if (households === 0) return { households: 0, lastHouseholdId: upper };

  const size = sql.ref<number>('ch.household_size');
  const inBatch = sql`ch.cycle_id = ${cycleId} and ch.batch = ${batch}`;
  for (const item of input.items) {
    const quantity = itemQuantitySql(item, size);
    const commodity = text(item.commodity);
    const allotment = text(allotmentAccountId(input.programmeId, item.commodity));
    const suffix = sql`${cycleId} || ':' || ch.household_id || ':' || ${commodity}`;
    await sql`
      insert into accounts (id, commodity, owner_kind, owner_id, flags,
        debits_posted, credits_posted, debits_pending, credits_pending, created_at)
      select 'ent:' || ${suffix}, ${commodity}, ${text(ownerKinds.household)}, ch.household_id, 1,
        0, ${quantity}, 0, 0, ${text(input.now)}
      from cycle_households as ch
      where ${inBatch} and ${quantity} > 0`.execute(trx);
    await sql`
      insert into transfers (id, debit_account_id, credit_account_id, amount, commodity, code,
        flags, pending_id, timeout_seconds, actor_id, references_json, created_at)
      select 'credit:' || ${suffix}, ${allotment}, 'ent:' || ${suffix}, ${quantity}, ${commodity},
        ${text(transferCodes.entitlementCredit)}, 0, null, 0, ${text(input.actorId)}, null,
        ${text(input.now)}
      from cycle_households as ch
      where ${inBatch} and ${quantity} > 0`.execute(trx);
    await sql`
      update accounts
      set debits_posted = debits_posted + (
        select coalesce(sum(${quantity}), 0) from cycle_households as ch where ${inBatch}
      )
      where id = ${allotment}`.execute(trx);
  }
  await trx
    .updateTable('cycles')
    .set((eb) => ({
      credit_batches: input.batch,
      households_credited: eb('households_credited', '+', households),
    }))
    .where('id', '=', input.cycleId)
    .execute();
  return { households, lastHouseholdId: upper };
}

/** Eligible households of the selection not yet credited in the cycle (for progress). */
export async function countUncredited(
  db: Executor,
  cycleId: string,
  selection: HouseholdSelection,
): Promise<number> {
  const row = await sql<{ count: number | string }>`
    select count(*) as count from households as h
    where ${selectionSql(selection)}
      and not exists (
        select 1 from cycle_households as done
        where done.cycle_id = ${text(cycleId)} and done.household_id = h.id
      )`.execute(db);
  return Number(row.rows[0]?.count ?? 0);
}
