/**
 * Races: many transactions at once (PostgreSQL through a pool of 10 connections, SQLite
 * through its one serialized connection). The same assertion helper that passes for the
 * ledger must catch a planted check-then-write bug, so these tests can demonstrably fail.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import {
  AccountFlags,
  type TransferInput,
  type TransferResultCode,
} from '../../domain/ledger/ledger.js';
import { buildAccount, ledgerContext, openAccounts } from './ledger.factories.js';
import { getAccounts, getTransfers, submitTransfers, verifyLedger } from './ledger.service.js';

/** One way of performing a single transfer in its own transaction. */
type Spend = (storage: Storage, transfer: TransferInput) => Promise<TransferResultCode>;

const ledgerSpend: Spend = async (storage, transfer) => {
  const [result] = await submitTransfers(storage, [transfer], ledgerContext());
  if (!result) throw new Error('no result');
  return result.result;
};

/**
 * Opens an account holding 1 unit, races `attempts` debits of 1 against it and answers every
 * way the outcome breaks the ledger's promises (empty when none).
 */
async function overspendViolations(
  storage: Storage,
  spend: Spend,
  attempts = 100,
): Promise<string[]> {
  const tag = randomUUID().slice(0, 8);
  const household = `household-${tag}`;
  const delivered = `delivered-${tag}`;
  await openAccounts(
    storage,
    [
      buildAccount({ id: household, flags: AccountFlags.debitsMustNotExceedCredits }),
      buildAccount({ id: delivered }),
    ],
    { [household]: 1 },
  );
  const results = await Promise.all(
    Array.from({ length: attempts }, (_, index) =>
      spend(storage, {
        id: `spend-${tag}-${index}`,
        debit_account_id: household,
        credit_account_id: delivered,
        amount: 1,
        code: 'redemption',
      }),
    ),
  );
  const violations: string[] = [];
  const successes = results.filter((result) => result === 'created').length;
  if (successes !== 1) violations.push(`${successes} debits of 1 succeeded against a balance of 1`);
  const refusals = results.filter((result) => result === 'exceeds_credits').length;
  if (successes + refusals !== attempts)
    violations.push(`unexpected results: ${[...new Set(results)].join(', ')}`);
  const [account] = await getAccounts(storage.db, [household]);
  if (!account || account.debits_posted + account.debits_pending > account.credits_posted) {
    violations.push('the account is overdrawn');
  }
  const written = await getTransfers(
    storage.db,
    results.map((_, index) => `spend-${tag}-${index}`),
  );
  if (written.length !== successes)
    violations.push(`${written.length} transfers stored for ${successes} successes`);
  const report = await verifyLedger(storage.db);
  if (!report.ok) violations.push(`verify: ${JSON.stringify(report.discrepancies[0])}`);
  return violations;
}

/**
 * The planted bug: reads the balance, awaits (as any I/O would), then writes the transfer and
 * the balances it computed from what it read, with neither a lock nor a guarded update.
 */
const checkThenWriteSpend: Spend = async (storage, transfer) => {
  const read = async (id: string) =>
    storage.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const debit = await read(transfer.debit_account_id ?? '');
  const credit = await read(transfer.credit_account_id ?? '');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const amount = transfer.amount ?? 0;
  if (debit.debits_posted + debit.debits_pending + amount > debit.credits_posted)
    return 'exceeds_credits';
  await writeTransaction(storage, async (trx) => {
    await trx
      .insertInto('transfers')
      .values({
        id: transfer.id,
        debit_account_id: debit.id,
        credit_account_id: credit.id,
        amount,
        commodity: debit.commodity,
        code: transfer.code ?? '',
        flags: 0,
        pending_id: null,
        timeout_seconds: 0,
        actor_id: null,
        references_json: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    await trx
      .updateTable('accounts')
      .set({ debits_posted: debit.debits_posted + amount })
      .where('id', '=', debit.id)
      .execute();
    await trx
      .updateTable('accounts')
      .set({ credits_posted: credit.credits_posted + amount })
      .where('id', '=', credit.id)
      .execute();
  });
  return 'created';
};

describeEachDialect('ledger under concurrency', (storage) => {
  it('200 concurrent creations of the same id store exactly one transfer', async () => {
    const tag = randomUUID().slice(0, 8);
    const [source, target] = await openAccounts(storage(), [buildAccount(), buildAccount()]);
    const transfer: TransferInput = {
      id: `same-${tag}`,
      debit_account_id: source,
      credit_account_id: target,
      amount: 7,
      code: 'entitlement_credit',
    };
    const results = await Promise.all(
      Array.from({ length: 200 }, () => submitTransfers(storage(), [transfer], ledgerContext())),
    );
    const codes = results.map(([result]) => result?.result);
    expect(codes.filter((code) => code === 'created')).toHaveLength(1);
    expect(codes.filter((code) => code === 'exists')).toHaveLength(199);
    expect(await getTransfers(storage().db, [transfer.id])).toHaveLength(1);
    const [account] = await getAccounts(storage().db, [target as string]);
    expect(account?.credits_posted).toBe(7);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('the same id raced between disjoint accounts (no shared lock) is stored once', async () => {
    const tag = randomUUID().slice(0, 8);
    const accounts = await openAccounts(
      storage(),
      Array.from({ length: 40 }, () => buildAccount()),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        submitTransfers(
          storage(),
          [
            {
              id: `raced-${tag}`,
              debit_account_id: accounts[2 * index],
              credit_account_id: accounts[2 * index + 1],
              amount: 1,
              code: 'entitlement_credit',
            },
          ],
          ledgerContext(),
        ),
      ),
    );
    const codes = results.map(([result]) => result?.result);
    expect(codes.filter((code) => code === 'created')).toHaveLength(1);
    expect(codes.filter((code) => code === 'exists_with_different_debit_account_id')).toHaveLength(
      19,
    );
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('100 concurrent debits of 1 against a balance of 1 give exactly one success', async () => {
    expect(await overspendViolations(storage(), ledgerSpend)).toEqual([]);
  });
});

describeEachDialect('the overspend check against a planted check-then-write bug', (storage) => {
  it('reports the violation, so the concurrency test can fail', async () => {
    const violations = await overspendViolations(storage(), checkThenWriteSpend);
    expect(violations).toContainEqual(
      expect.stringMatching(/debits of 1 succeeded against a balance of 1/),
    );
    expect(violations).toContainEqual(expect.stringMatching(/^verify: /));
  });
});
