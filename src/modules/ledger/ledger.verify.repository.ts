/**
 * The ledger's verify queries: they recompute every balance from the transfers and compare,
 * read-only, over the whole ledger (`awn ledger verify`, verifyLedger). Flags are named by
 * their constants (a literal in the compiled SQL).
 */
import { sql } from 'kysely';
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { TransferFlags, type AccountBalances } from '../../domain/ledger/ledger.js';
import { withinBalanceLimits } from './ledger.repository.js';

const pending = sql.lit(TransferFlags.pending);
const postPending = sql.lit(TransferFlags.postPending);
const voidPending = sql.lit(TransferFlags.voidPending);
/** A transfer with neither moves its amount at once: single-phase, or the post of a pending. */
const reservesOrVoids = sql.lit(TransferFlags.pending | TransferFlags.voidPending);
const postsOrVoids = sql.lit(TransferFlags.postPending | TransferFlags.voidPending);

/** One account whose stored balances differ from the ones its transfers add up to. */
export interface BalanceMismatch extends AccountBalances {
  id: string;
  expected_debits_posted: number;
  expected_credits_posted: number;
  expected_debits_pending: number;
  expected_credits_pending: number;
}

/**
 * Recomputes every account's balances from the transfers (posted: single-phase and post
 * amounts; pending: pending transfers whose state is still 'pending') and returns the
 * accounts that differ, in id order.
 */
export async function selectBalanceMismatches(
  db: Executor,
  limit: number,
): Promise<BalanceMismatch[]> {
  const { rows } = await sql<BalanceMismatch>`
    with moves as (
      select t.debit_account_id as account_id,
        case when (t.flags & ${reservesOrVoids}) = 0 then t.amount else 0 end as dp,
        0 as cp,
        case when (t.flags & ${pending}) <> 0 and p.status = 'pending' then t.amount else 0 end as dq,
        0 as cq
      from transfers t left join pending_transfers p on p.id = t.id
      union all
      select t.credit_account_id,
        0,
        case when (t.flags & ${reservesOrVoids}) = 0 then t.amount else 0 end,
        0,
        case when (t.flags & ${pending}) <> 0 and p.status = 'pending' then t.amount else 0 end
      from transfers t left join pending_transfers p on p.id = t.id
    ),
    sums as (
      select account_id, sum(dp) as dp, sum(cp) as cp, sum(dq) as dq, sum(cq) as cq
      from moves group by account_id
    ),
    compared as (
      select a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
        cast(coalesce(s.dp, 0) as bigint) as expected_debits_posted,
        cast(coalesce(s.cp, 0) as bigint) as expected_credits_posted,
        cast(coalesce(s.dq, 0) as bigint) as expected_debits_pending,
        cast(coalesce(s.cq, 0) as bigint) as expected_credits_pending
      from accounts a left join sums s on s.account_id = a.id
    )
    select * from compared
    where debits_posted <> expected_debits_posted or credits_posted <> expected_credits_posted
      or debits_pending <> expected_debits_pending or credits_pending <> expected_credits_pending
    order by id
    limit ${limit}`.execute(db);
  return rows;
}

/** Accounts whose balances break their own flags (the CHECK constraints forbid it). */
export async function selectOverdrawnAccounts(
  db: Executor,
  limit: number,
): Promise<Row<'accounts'>[]> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where((eb) => eb.not(withinBalanceLimits()))
    .orderBy('id')
    .limit(limit)
    .execute();
}

export interface CommodityTotals {
  commodity: string;
  accounts: number;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
}

/** Per commodity, the sums of every balance across its accounts. */
export async function selectCommodityTotals(db: Executor): Promise<CommodityTotals[]> {
  const { rows } = await sql<CommodityTotals>`select commodity,
      cast(count(*) as bigint) as accounts,
      cast(sum(debits_posted) as bigint) as debits_posted,
      cast(sum(credits_posted) as bigint) as credits_posted,
      cast(sum(debits_pending) as bigint) as debits_pending,
      cast(sum(credits_pending) as bigint) as credits_pending
    from accounts group by commodity order by commodity`.execute(db);
  return rows;
}

/** A transfer that disagrees with its accounts or its pending transfer. */
export interface TransferMismatch {
  id: string;
  field: string;
  expected: string | number | null;
  actual: string | number | null;
}

/**
 * Transfers whose commodity differs from an account's, pending transfers without their
 * state (or states without a pending transfer), and states that disagree with the posts
 * and voids that name them.
 */
export async function selectTransferMismatches(
  db: Executor,
  limit: number,
): Promise<TransferMismatch[]> {
  const { rows } = await sql<TransferMismatch>`
    select * from (
      select t.id, 'commodity' as field, d.commodity as expected, t.commodity as actual
      from transfers t join accounts d on d.id = t.debit_account_id join accounts c on c.id = t.credit_account_id
      where t.commodity <> d.commodity or t.commodity <> c.commodity
      union all
      select t.id, 'pending_state', 'pending_transfers row', 'none'
      from transfers t left join pending_transfers p on p.id = t.id
      where (t.flags & ${pending}) <> 0 and p.id is null
      union all
      select p.id, 'pending_state', 'a pending transfer', 'none'
      from pending_transfers p left join transfers t on t.id = p.id
      where t.id is null or (t.flags & ${pending}) = 0
      union all
      select p.id, 'status',
        case when r.posts > 0 then 'posted' when r.voids > 0 then 'voided' else 'pending or expired' end,
        p.status
      from pending_transfers p
      left join (
        select pending_id, sum(case when (flags & ${postPending}) <> 0 then 1 else 0 end) as posts,
          sum(case when (flags & ${voidPending}) <> 0 then 1 else 0 end) as voids
        from transfers where pending_id is not null group by pending_id
      ) r on r.pending_id = p.id
      where (coalesce(r.posts, 0) + coalesce(r.voids, 0) > 1)
        or (p.status = 'posted' and coalesce(r.posts, 0) <> 1)
        or (p.status = 'voided' and coalesce(r.voids, 0) <> 1)
        or (p.status in ('pending', 'expired') and coalesce(r.posts, 0) + coalesce(r.voids, 0) <> 0)
      union all
      select x.id, 'amount', cast(r.amount as text), cast(x.amount as text)
      from transfers x join transfers r on r.id = x.pending_id
      where (x.flags & ${postsOrVoids}) <> 0 and (x.amount > r.amount or ((x.flags & ${voidPending}) <> 0 and x.amount <> r.amount))
    ) as mismatches
    order by id, field
    limit ${limit}`.execute(db);
  return rows;
}

/** How many transfers the ledger holds. */
export async function countTransfers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('transfers')
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'bigint').as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
