import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { connect } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import { AccountFlags, TransferFlags, type TransferInput } from '../../domain/ledger/ledger.js';
import { buildAccount, ledgerContext, openAccounts, seedCommodity } from './ledger.factories.js';
import { applyBalanceDeltas } from './ledger.repository.js';
import {
  closeAccount,
  createAccounts,
  createTransfers,
  expirePendingTransfers,
  findAccount,
  getAccounts,
  getTransfers,
  submitTransfers,
  verifyLedger,
} from './ledger.service.js';

/** Fresh ids for one test: a household entitlement holding `credits`, and a delivered sink. */
function names() {
  const tag = randomUUID().slice(0, 8);
  return {
    household: `household-${tag}`,
    delivered: `delivered-${tag}`,
    id: (n: string) => `${n}-${tag}`,
  };
}

describeEachDialect('ledger service', (storage) => {
  async function setup(credits: number) {
    const n = names();
    await openAccounts(
      storage(),
      [
        buildAccount({
          id: n.household,
          owner_kind: 'household',
          flags: AccountFlags.debitsMustNotExceedCredits,
        }),
        buildAccount({ id: n.delivered, owner_kind: 'sink' }),
      ],
      { [n.household]: credits },
    );
    return n;
  }

  function redeem(
    n: ReturnType<typeof names>,
    id: string,
    amount: number,
    extra: Partial<TransferInput> = {},
  ): TransferInput {
    return {
      id: n.id(id),
      debit_account_id: n.household,
      credit_account_id: n.delivered,
      amount,
      code: 'redemption',
      ...extra,
    };
  }

  async function balances(...ids: string[]) {
    const rows = await getAccounts(storage().db, ids);
    return Object.fromEntries(
      rows.map((row) => [
        row.id,
        [row.debits_posted, row.credits_posted, row.debits_pending, row.credits_pending],
      ]),
    );
  }

  it('creates accounts once and compares repeats', async () => {
    await seedCommodity(storage().db);
    const id = `account-${randomUUID()}`;
    const results = await writeTransaction(storage(), (trx) =>
      createAccounts(trx, [
        buildAccount({ id, flags: AccountFlags.debitsMustNotExceedCredits }),
        buildAccount({ id, flags: AccountFlags.debitsMustNotExceedCredits }),
        buildAccount({ id, flags: 0 }),
        buildAccount({ id, commodity: 'oil' }),
        buildAccount({ id: `${id}-x`, commodity: 'no-such-commodity' }),
        buildAccount({ id: `${id}-y`, flags: 3 }),
      ]),
    );
    expect(results.map((r) => r.result)).toEqual([
      'created',
      'exists',
      'exists_with_different_flags',
      'exists_with_different_commodity',
      'commodity_not_found',
      'flags_are_mutually_exclusive',
    ]);
    expect(await findAccount(storage().db, 'test', id, 'bread')).toMatchObject({
      id,
      debits_posted: 0,
    });
  });

  it('moves balances in the transaction and the ledger verifies', async () => {
    const n = await setup(10);
    const results = await submitTransfers(
      storage(),
      [redeem(n, 'a', 4, { references: { run: 'r1' } })],
      ledgerContext(),
    );
    expect(results).toEqual([{ id: n.id('a'), result: 'created' }]);
    expect(await balances(n.household, n.delivered)).toEqual({
      [n.household]: [4, 10, 0, 0],
      [n.delivered]: [0, 4, 0, 0],
    });
    const [transfer] = await getTransfers(storage().db, [n.id('a')]);
    expect(transfer).toMatchObject({
      amount: 4,
      commodity: 'bread',
      references_json: '{"run":"r1"}',
    });
    const report = await verifyLedger(storage().db);
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('writes nothing of a linked chain that fails', async () => {
    const n = await setup(10);
    const results = await submitTransfers(
      storage(),
      [redeem(n, 'a', 6, { flags: TransferFlags.linked }), redeem(n, 'b', 6)],
      ledgerContext(),
    );
    expect(results.map((r) => r.result)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(await getTransfers(storage().db, [n.id('a'), n.id('b')])).toEqual([]);
    expect(await balances(n.household)).toEqual({ [n.household]: [0, 10, 0, 0] });
  });

  it('answers retries: exists, exists_with_different_*, and id_already_failed across batches', async () => {
    const n = await setup(10);
    const context = ledgerContext();
    await submitTransfers(
      storage(),
      [redeem(n, 'a', 4), redeem(n, 'big', 11), redeem(n, 'zero', 0)],
      context,
    );
    const retry = await submitTransfers(
      storage(),
      [redeem(n, 'a', 4), redeem(n, 'a', 5), redeem(n, 'big', 1), redeem(n, 'zero', 1)],
      context,
    );
    expect(retry.map((r) => r.result)).toEqual([
      'exists',
      'exists_with_different_amount',
      'id_already_failed',
      'created',
    ]);
    expect(await balances(n.household)).toEqual({ [n.household]: [5, 10, 0, 0] });
    const failures = await storage()
      .db.selectFrom('transfer_failures')
      .selectAll()
      .where('id', '=', n.id('big'))
      .execute();
    expect(failures).toMatchObject([{ code: 'exceeds_credits' }]);
  });

  it('posts, voids, and releases expired reservations when the clock passes their timeout', async () => {
    const n = await setup(10);
    let now = new Date('2030-01-01T00:00:00.000Z');
    const context = ledgerContext(() => now);
    const reserve = (id: string, amount: number) =>
      redeem(n, id, amount, {
        flags: TransferFlags.pending,
        timeout_seconds: 60,
        code: 'reservation',
      });
    expect(
      (
        await submitTransfers(
          storage(),
          [reserve('p1', 3), reserve('p2', 3), reserve('p3', 3), redeem(n, 'x', 2)],
          context,
        )
      ).map((r) => r.result),
    ).toEqual(['created', 'created', 'created', 'exceeds_credits']);
    expect(await balances(n.household)).toEqual({ [n.household]: [0, 10, 9, 0] });

    now = new Date('2030-01-01T00:00:30.000Z');
    const middle = await submitTransfers(
      storage(),
      [
        { id: n.id('post1'), pending_id: n.id('p1'), flags: TransferFlags.postPending, amount: 2 },
        { id: n.id('void2'), pending_id: n.id('p2'), flags: TransferFlags.voidPending },
      ],
      context,
    );
    expect(middle.map((r) => r.result)).toEqual(['created', 'created']);
    expect(await balances(n.household, n.delivered)).toEqual({
      [n.household]: [2, 10, 3, 0],
      [n.delivered]: [0, 2, 0, 3],
    });

    // p3 times out at 00:01:00; a post arriving later sees it expired and its reservation released.
    now = new Date('2030-01-01T00:01:00.000Z');
    const late = await submitTransfers(
      storage(),
      [
        { id: n.id('post3'), pending_id: n.id('p3'), flags: TransferFlags.postPending },
        redeem(n, 'y', 8),
      ],
      context,
    );
    expect(late.map((r) => r.result)).toEqual(['pending_transfer_expired', 'created']);
    expect(await balances(n.household, n.delivered)).toEqual({
      [n.household]: [10, 10, 0, 0],
      [n.delivered]: [0, 10, 0, 0],
    });
    const states = await storage()
      .db.selectFrom('pending_transfers')
      .select(['id', 'status'])
      .where('id', 'in', [n.id('p1'), n.id('p2'), n.id('p3')])
      .orderBy('id')
      .execute();
    expect(states.map((s) => s.status)).toEqual(['posted', 'voided', 'expired']);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('sweeps expired reservations', async () => {
    const n = await setup(10);
    let now = new Date('2031-01-01T00:00:00.000Z');
    await submitTransfers(
      storage(),
      [redeem(n, 'p', 7, { flags: TransferFlags.pending, timeout_seconds: 5 })],
      ledgerContext(() => now),
    );
    expect(
      await writeTransaction(storage(), (trx) => expirePendingTransfers(trx, () => now)),
    ).toEqual({ expired: 0 });
    now = new Date('2031-01-01T00:00:05.000Z');
    const swept = await writeTransaction(storage(), (trx) =>
      expirePendingTransfers(trx, () => now),
    );
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect(await balances(n.household, n.delivered)).toEqual({
      [n.household]: [0, 10, 0, 0],
      [n.delivered]: [0, 0, 0, 0],
    });
  });

  it('closes an account: no new transfers, reservations can still be voided; audited', async () => {
    const n = await setup(10);
    await submitTransfers(
      storage(),
      [redeem(n, 'p', 2, { flags: TransferFlags.pending })],
      ledgerContext(),
    );
    const closed = await writeTransaction(storage(), (trx) =>
      closeAccount(trx, n.delivered, ledgerContext()),
    );
    expect(closed).toBe('closed');
    expect(
      await writeTransaction(storage(), (trx) => closeAccount(trx, n.delivered, ledgerContext())),
    ).toBe('already_closed');
    expect(
      await writeTransaction(storage(), (trx) =>
        closeAccount(trx, 'no-such-account', ledgerContext()),
      ),
    ).toBe('not_found');
    const results = await submitTransfers(
      storage(),
      [
        redeem(n, 'after', 1),
        { id: n.id('void'), pending_id: n.id('p'), flags: TransferFlags.voidPending },
      ],
      ledgerContext(),
    );
    expect(results.map((r) => r.result)).toEqual(['credit_account_closed', 'created']);
    const events = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('entity_id', '=', n.delivered)
      .execute();
    expect(events).toEqual([{ action: 'account.close', entity_id: n.delivered }]);
  });

  it('verify names a tampered balance and a tampered transfer amount', async () => {
    const n = await setup(10);
    await submitTransfers(storage(), [redeem(n, 'a', 4)], ledgerContext());
    expect((await verifyLedger(storage().db)).ok).toBe(true);

    await storage()
      .db.updateTable('accounts')
      .set({ credits_posted: 5 })
      .where('id', '=', n.delivered)
      .execute();
    const balance = await verifyLedger(storage().db);
    expect(balance.ok).toBe(false);
    expect(balance.discrepancies[0]).toEqual({
      account_id: n.delivered,
      field: 'credits_posted',
      expected: 4,
      actual: 5,
    });
    expect(balance.discrepancies).toContainEqual({
      commodity: 'bread',
      field: 'credits_posted',
      expected: expect.any(Number),
      actual: expect.any(Number),
    });
    await storage()
      .db.updateTable('accounts')
      .set({ credits_posted: 4 })
      .where('id', '=', n.delivered)
      .execute();

    await storage()
      .db.updateTable('transfers')
      .set({ amount: 3 })
      .where('id', '=', n.id('a'))
      .execute();
    const amount = await verifyLedger(storage().db);
    expect(amount.ok).toBe(false);
    expect(amount.discrepancies).toContainEqual({
      account_id: n.household,
      field: 'debits_posted',
      expected: 3,
      actual: 4,
    });
    expect(amount.discrepancies).toContainEqual({
      account_id: n.delivered,
      field: 'credits_posted',
      expected: 3,
      actual: 4,
    });
    await storage()
      .db.updateTable('transfers')
      .set({ amount: 4 })
      .where('id', '=', n.id('a'))
      .execute();
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });

  it("commits transfers only with the caller's transaction", async () => {
    const n = await setup(10);
    await expect(
      writeTransaction(storage(), async (trx) => {
        const results = await createTransfers(trx, [redeem(n, 'a', 4)], ledgerContext());
        expect(results[0]?.result).toBe('created');
        throw new Error('the business step failed after the transfer');
      }),
    ).rejects.toThrow('business step failed');
    expect(await getTransfers(storage().db, [n.id('a')])).toEqual([]);
    expect(await balances(n.household)).toEqual({ [n.household]: [0, 10, 0, 0] });
  });

  // On SQLite the ledger keeps the accounts it read between batches (KeptRows); each case
  // would answer wrongly, or throw on the guarded update, with a stale copy.
  it('plans on the balances as committed after a rolled-back batch', async () => {
    const n = await setup(10);
    await submitTransfers(storage(), [redeem(n, 'a', 3)], ledgerContext());
    await expect(
      writeTransaction(storage(), async (trx) => {
        await createTransfers(trx, [redeem(n, 'b', 7)], ledgerContext());
        throw new Error('the business step failed after the transfer');
      }),
    ).rejects.toThrow('business step failed');
    const results = await submitTransfers(storage(), [redeem(n, 'c', 7)], ledgerContext());
    expect(results[0]?.result).toBe('created');
    expect(await balances(n.household)).toEqual({ [n.household]: [10, 10, 0, 0] });
  });

  it('plans on accounts another statement changed between batches', async () => {
    const n = await setup(10);
    await submitTransfers(storage(), [redeem(n, 'a', 3)], ledgerContext());
    await writeTransaction(storage(), (trx) => closeAccount(trx, n.household, ledgerContext()));
    const results = await submitTransfers(storage(), [redeem(n, 'b', 1)], ledgerContext());
    expect(results[0]?.result).toBe('debit_account_closed');
  });

  it('plans on balances another connection committed between batches', async () => {
    const n = await setup(10);
    // Test databases have no password, so the description is the address itself.
    const other = await connect(storage().description, { migrate: false, poolSize: 2 });
    try {
      await submitTransfers(storage(), [redeem(n, 'a', 3)], ledgerContext());
      await submitTransfers(other, [redeem(n, 'b', 7)], ledgerContext());
      const results = await submitTransfers(storage(), [redeem(n, 'c', 1)], ledgerContext());
      expect(results[0]?.result).toBe('exceeds_credits');
    } finally {
      await other.close();
    }
    expect(await balances(n.household)).toEqual({ [n.household]: [10, 10, 0, 0] });
  });

  it('refuses, loudly, a balance change that a stale plan would make past a limit', async () => {
    const n = await setup(10);
    const overdraw = new Map([
      [
        n.household,
        { debits_posted: 11, credits_posted: 0, debits_pending: 0, credits_pending: 0 },
      ],
    ]);
    await expect(
      writeTransaction(storage(), (trx) => applyBalanceDeltas(trx, overdraw)),
    ).rejects.toThrow(/ledger invariant broken/);
    expect(await balances(n.household)).toEqual({ [n.household]: [0, 10, 0, 0] });
  });
});
