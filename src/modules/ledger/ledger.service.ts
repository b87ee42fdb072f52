/**
 * The ledger: accounts, transfers (linked, two-phase, idempotent by client id), expiry of
 * reservations, and verification. Every write takes the caller's transaction (`trx`, opened
 * with writeTransaction) so that a business step and its transfers commit together.
 *
 * The ledger does not append audit events for transfers: each transfer row already records
 * who, when, why (code) and for what (references), and is immutable; the service that asks
 * for the transfers audits its own action in the same transaction.
 */
import { sql } from 'kysely';
import type { Storage } from '../../db/connect.js';
import type { Row } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  planAccounts,
  type AccountInput,
  type AccountResult,
} from '../../domain/ledger/accounts.js';
import {
  AccountFlags,
  hasFlag,
  type AccountState,
  type PendingState,
  type TransferInput,
  type TransferRecord,
  type TransferResult,
} from '../../domain/ledger/ledger.js';
import {
  batchReferences,
  planTransfers,
  type TransferPlan,
} from '../../domain/ledger/transfers.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import * as repository from './ledger.repository.js';
import * as verifyRepository from './ledger.verify.repository.js';

/** Who asks, and the clock that stamps transfers and decides expiry. */
export interface LedgerContext {
  actor: Pick<Actor, 'userId' | 'requestId' | 'tokenId'>;
  clock: Clock;
}

/**
 * Creates a batch of transfers in the caller's write transaction and answers one result per
 * item, in order (`created`, `exists`, or an error code); see planTransfers for the rules.
 * Reservations expired at the clock's now are released first. Expected rejections are
 * results; a broken invariant (a guarded update touching fewer rows than planned) throws.
 */
export async function createTransfers(
  trx: Executor,
  batch: readonly TransferInput[],
  context: LedgerContext,
): Promise<TransferResult[]> {
  const now = context.clock();
  const actorId = context.actor.userId;
  const plan = await retryOnConcurrentInsert(trx, () => runBatch(trx, batch, now, actorId));
  return plan.results;
}

/** createTransfers in a write transaction of its own. */
export async function submitTransfers(
  storage: Pick<Storage, 'db' | 'dialect'>,
  batch: readonly TransferInput[],
  context: LedgerContext,
): Promise<TransferResult[]> {
  return writeTransaction(storage, (trx) => createTransfers(trx, batch, context));
}

/** Releases every reservation whose timeout has passed at the clock's now (status -> expired). */
export async function expirePendingTransfers(
  trx: Executor,
  clock: Clock,
): Promise<{ expired: number }> {
  const plan = await retryOnConcurrentInsert(trx, () => runBatch(trx, [], clock(), null));
  return { expired: plan.expired.length };
}

/** Loads what the batch touches (locking its accounts), plans it, and writes the plan. */
async function runBatch(
  trx: Executor,
  batch: readonly TransferInput[],
  now: Date,
  actorId: string | null,
): Promise<TransferPlan> {
  const nowIso = now.toISOString();
  const references = batchReferences(batch);

  // Transfers never change, so these are read before taking any lock.
  const expired = await repository.loadExpiredPendings(trx, nowIso);
  const named = await repository.loadTransfers(trx, references.pendingIds);
  const reserved = [...named, ...expired];
  let accountIds = references.accountIds;
  if (reserved.length > 0) {
    const ids = new Set(accountIds);
    for (const transfer of reserved) {
      ids.add(transfer.debit_account_id);
      ids.add(transfer.credit_account_id);
    }
    accountIds = [...ids];
  }
  const accounts = new Map<string, AccountState>();
  for (const account of await repository.lockAccounts(trx, accountIds)) {
    accounts.set(account.id, account);
  }

  // A pending's state changes only under its accounts' locks: read it after taking them.
  const pendingIds = new Set<string>();
  for (const transfer of reserved) pendingIds.add(transfer.id);
  const pendings = await repository.loadPendings(trx, [...pendingIds]);
  const existing = await repository.loadTransfers(trx, references.transferIds);
  const failures = await repository.loadFailures(trx, references.transferIds);

  const transfers = new Map<string, TransferRecord>();
  for (const transfer of [...reserved, ...existing]) transfers.set(transfer.id, transfer);
  const plan = planTransfers(
    batch,
    {
      accounts,
      transfers,
      pendings: new Map(pendings.map((pending): [string, PendingState] => [pending.id, pending])),
      failures: new Map(failures.map((failure) => [failure.id, failure.code])),
    },
    now,
    actorId,
  );

  await repository.insertTransfers(trx, plan.transfers);
  await repository.insertPendings(trx, plan.pendings);
  await repository.updatePendingStatuses(trx, plan.pendingChanges);
  await repository.insertFailures(trx, plan.failures, nowIso);
  await repository.applyBalanceDeltas(trx, plan.deltas);
  return plan;
}

const retriedPostgresErrors = new Set([
  '23505', // unique_violation: a concurrent transaction committed the same transfer id
  '40P01', // deadlock_detected
]);

/**
 * On PostgreSQL, runs `work` inside a savepoint and, if a concurrent transaction won the race
 * for an id (or a deadlock was broken), rolls back to it and runs again: the next pass sees
 * what the other committed (`exists`, `id_already_failed`). A batch racing on several ids
 * may lose more than once, hence a few attempts.
 */
async function retryOnConcurrentInsert<T>(trx: Executor, work: () => Promise<T>): Promise<T> {
  if (dialectOf(trx) !== 'postgres') return work();
  for (let attempt = 1; ; attempt++) {
    await sql`savepoint awn_ledger_batch`.execute(trx);
    try {
      const result = await work();
      await sql`release savepoint awn_ledger_batch`.execute(trx);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= maxAttempts || typeof code !== 'string' || !retriedPostgresErrors.has(code)) {
        throw error;
      }
      await sql`rollback to savepoint awn_ledger_batch`.execute(trx);
      await sql`release savepoint awn_ledger_batch`.execute(trx);
    }
  }
}

const maxAttempts = 4;

/** Creates accounts (zero balances) and answers one result per item, in order. */
export async function createAccounts(
  trx: Executor,
  accounts: readonly AccountInput[],
  clock: Clock = systemClock,
): Promise<AccountResult[]> {
  return retryOnConcurrentInsert(trx, async () => {
    const ids = [...new Set(accounts.map((account) => account.id).filter(Boolean))];
    const codes = [...new Set(accounts.map((account) => account.commodity).filter(Boolean))];
    const existing = await repository.loadAccountIdentities(trx, ids);
    const commodities = await repository.loadCommodityCodes(trx, codes);
    const plan = planAccounts(
      accounts,
      new Map(existing.map((account) => [account.id, account])),
      new Set(commodities),
    );
    await repository.insertAccounts(trx, plan.accounts, clock().toISOString());
    return plan.results;
  });
}

/** The accounts with these ids, in id order; unknown ids are left out. */
export async function getAccounts(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'accounts'>[]> {
  return repository.selectAccounts(db, [...new Set(ids)]);
}

/**
 * The accounts with these ids for a write, in id order; unknown ids are left out. PostgreSQL
 * locks them, in that order, until the transaction ends (SQLite holds the write lock already).
 */
export async function getAccountsForWrite(
  trx: Executor,
  ids: readonly string[],
): Promise<Row<'accounts'>[]> {
  return repository.selectAccountsForWrite(trx, ids);
}

/**
 * Every account owned by these owners of one kind (a household's entitlements, a service
 * point's stock), in id order; with `forWrite` PostgreSQL locks them, as getAccountsForWrite.
 */
export async function getOwnedAccounts(
  db: Executor,
  ownerKind: string,
  ownerIds: readonly string[],
  options: { forWrite?: boolean } = {},
): Promise<Row<'accounts'>[]> {
  if (ownerIds.length === 0) return [];
  return repository.selectAccountsByOwner(db, ownerKind, ownerIds, options.forWrite ?? false);
}

/** Every account of these owner kinds (optionally of one commodity), by owner then id. */
export async function getAccountsOfOwnerKinds(
  db: Executor,
  ownerKinds: readonly string[],
  commodity?: string,
): Promise<Row<'accounts'>[]> {
  return repository.selectAccountsByOwnerKinds(db, ownerKinds, commodity);
}

/**
 * Amounts moved per code, flags and commodity over the transfers with these codes (a report's
 * pipeline: a pending transfer, its post and its void are separate rows by their flags).
 */
export async function sumTransfersByCode(
  db: Executor,
  codes: readonly string[],
  commodity?: string,
): Promise<{ code: string; flags: number; commodity: string; amount: number }[]> {
  return repository.sumTransfersByCode(db, codes, commodity);
}

/** The transfers with these ids, in id order; unknown ids are left out. */
export async function getTransfers(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'transfers'>[]> {
  return repository.selectTransfers(db, [...new Set(ids)]);
}

/** The owner's account for the commodity, or undefined. */
export async function findAccount(
  db: Executor,
  ownerKind: string,
  ownerId: string,
  commodity: string,
): Promise<Row<'accounts'> | undefined> {
  return repository.selectAccountByOwner(db, ownerKind, ownerId, commodity);
}

/**
 * Closes an account: it takes no new transfers and no posts; its reservations may still be
 * voided or expire. Appends an audit event when it changes anything.
 */
export async function closeAccount(
  trx: Executor,
  id: string,
  context: LedgerContext,
): Promise<'closed' | 'already_closed' | 'not_found'> {
  const before = await repository.setAccountClosed(trx, id);
  if (before === undefined) return 'not_found';
  if (hasFlag(before, AccountFlags.closed)) return 'already_closed';
  await appendAuditEvent(
    trx,
    {
      actor: context.actor,
      action: 'account.close',
      entity: 'account',
      entityId: id,
      fields: ['flags'],
    },
    context.clock,
  );
  return 'closed';
}

/**
 * A difference between what is stored and what the transfers say; the first is reported first.
 * Account: `field` is a balance, `expected` what the transfers add up to. Commodity: `field`
 * is credits_posted or credits_pending, `expected` the sum of the matching debits over its
 * accounts, `actual` the sum of the credits. Transfer: the field that disagrees.
 */
export interface LedgerDiscrepancy {
  account_id?: string;
  commodity?: string;
  transfer_id?: string;
  field: string;
  expected: number | string | null;
  actual: number | string | null;
}

export interface LedgerReport {
  ok: boolean;
  accounts: number;
  transfers: number;
  commodities: number;
  discrepancies: LedgerDiscrepancy[];
}

/** At most this many discrepancies of each kind are listed. */
const discrepancyLimit = 1000;

/**
 * Recomputes every balance from the transfers, checks that each commodity's debits equal
 * its credits (posted and pending), that no flagged account is overdrawn, and that every
 * transfer agrees with its accounts and its pending transfer; reads one consistent snapshot.
 */
export async function verifyLedger(db: Executor): Promise<LedgerReport> {
  if (db.isTransaction) return verifyIn(db);
  const transaction = db.transaction();
  return dialectOf(db) === 'postgres'
    ? transaction.setIsolationLevel('repeatable read').setAccessMode('read only').execute(verifyIn)
    : transaction.execute(verifyIn);
}

async function verifyIn(db: Executor): Promise<LedgerReport> {
  const discrepancies: LedgerDiscrepancy[] = [];
  const fields = ['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'] as const;
  for (const row of await verifyRepository.selectBalanceMismatches(db, discrepancyLimit)) {
    for (const field of fields) {
      const expected = Number(row[`expected_${field}`]);
      const actual = Number(row[field]);
      if (expected !== actual) discrepancies.push({ account_id: row.id, field, expected, actual });
    }
  }
  for (const row of await verifyRepository.selectOverdrawnAccounts(db, discrepancyLimit)) {
    if (hasFlag(row.flags, AccountFlags.debitsMustNotExceedCredits)) {
      discrepancies.push({
        account_id: row.id,
        field: 'debits_must_not_exceed_credits',
        expected: row.credits_posted,
        actual: row.debits_posted + row.debits_pending,
      });
    } else {
      discrepancies.push({
        account_id: row.id,
        field: 'credits_must_not_exceed_debits',
        expected: row.debits_posted,
        actual: row.credits_posted + row.credits_pending,
      });
    }
  }
  const totals = await verifyRepository.selectCommodityTotals(db);
  let accounts = 0;
  for (const total of totals) {
    accounts += Number(total.accounts);
    if (Number(total.debits_posted) !== Number(total.credits_posted)) {
      discrepancies.push({
        commodity: total.commodity,
        field: 'credits_posted',
        expected: Number(total.debits_posted),
        actual: Number(total.credits_posted),
      });
    }
    if (Number(total.debits_pending) !== Number(total.credits_pending)) {
      discrepancies.push({
        commodity: total.commodity,
        field: 'credits_pending',
        expected: Number(total.debits_pending),
        actual: Number(total.credits_pending),
      });
    }
  }
  for (const row of await verifyRepository.selectTransferMismatches(db, discrepancyLimit)) {
    discrepancies.push({
      transfer_id: row.id,
      field: row.field,
      expected: row.expected,
      actual: row.actual,
    });
  }
  return {
    ok: discrepancies.length === 0,
    accounts,
    transfers: await verifyRepository.countTransfers(db),
    commodities: totals.length,
    discrepancies,
  };
}
