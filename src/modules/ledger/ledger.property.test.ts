/**
 * Random sequences of batches (single, linked, pending, post, void, invalid, repeated ids),
 * clock advances, sweeps and closures, run against the real ledger and against a small model
 * written here from the rules alone (it shares no code with src/domain/ledger). Every result
 * code and every balance must agree after every step.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { TransferInput } from '../../domain/ledger/ledger.js';
import { ledgerContext, seedCommodity } from './ledger.factories.js';
import {
  closeAccount,
  createAccounts,
  createTransfers,
  expirePendingTransfers,
  getAccounts,
  verifyLedger,
} from './ledger.service.js';

// ---------------------------------------------------------------------------------------------
// The model: plain objects, a whole-state copy per linked chain, rules in the order they apply.

interface ModelAccount {
  commodity: string;
  flags: number;
  dp: number;
  cp: number;
  dq: number;
  cq: number;
}

interface ModelTransfer {
  debit: string;
  credit: string;
  amount: number;
  commodity: string;
  code: string;
  flags: number;
  pendingId: string | null;
  timeout: number;
  references: string | null;
}

interface ModelPending {
  status: 'pending' | 'posted' | 'voided' | 'expired';
  expiresAt: number | null;
}

const remembered = new Set([
  'debit_account_not_found',
  'credit_account_not_found',
  'accounts_must_have_the_same_commodity',
  'commodity_must_match_accounts',
  'debit_account_closed',
  'credit_account_closed',
  'exceeds_credits',
  'exceeds_debits',
  'pending_transfer_not_found',
  'pending_transfer_not_pending',
  'pending_transfer_has_different_debit_account',
  'pending_transfer_has_different_credit_account',
  'pending_transfer_has_different_commodity',
  'exceeds_pending_transfer_amount',
  'pending_transfer_has_different_amount',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
]);

function referencesOf(item: TransferInput): string | null {
  const entries = Object.entries(item.references ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? JSON.stringify(entries) : null;
}

class Model {
  accounts = new Map<string, ModelAccount>();
  transfers = new Map<string, ModelTransfer>();
  pendings = new Map<string, ModelPending>();
  failed = new Map<string, string>();

  constructor(public now: number) {}

  expire(): void {
    for (const [id, pending] of this.pendings) {
      if (
        pending.status === 'pending' &&
        pending.expiresAt !== null &&
        pending.expiresAt <= this.now
      ) {
        pending.status = 'expired';
        const transfer = this.transfers.get(id)!;
        this.accounts.get(transfer.debit)!.dq -= transfer.amount;
        this.accounts.get(transfer.credit)!.cq -= transfer.amount;
      }
    }
  }

  batch(items: TransferInput[]): string[] {
    this.expire();
    const results: string[] = [];
    let start = 0;
    while (start < items.length) {
      let end = start;
      while (end < items.length - 1 && ((items[end]!.flags ?? 0) & 1) !== 0) end++;
      const open = ((items[end]!.flags ?? 0) & 1) !== 0;
      if (end === start && !open) {
        results.push(this.apply(items[start]!));
        start++;
        continue;
      }
      const saved = this.copy();
      const chain: string[] = [];
      let failedAt = -1;
      for (let index = start; index <= end; index++) {
        if (open && index === end) {
          failedAt = failedAt < 0 ? index : failedAt;
          break;
        }
        const result = this.apply(items[index]!);
        chain.push(result);
        if (result !== 'created' && result !== 'exists') {
          failedAt = index;
          break;
        }
      }
      if (failedAt < 0) {
        results.push(...chain);
      } else {
        const failed = this.failed;
        Object.assign(this, saved, { failed });
        for (let index = start; index <= end; index++) {
          if (open && index === end) results.push('linked_event_chain_open');
          else if (index === failedAt) results.push(chain[index - start]!);
          else results.push('linked_event_failed');
        }
      }
      start = end + 1;
    }
    return results;
  }

  private copy(): Pick<Model, 'accounts' | 'transfers' | 'pendings'> {
    return {
      accounts: new Map([...this.accounts].map(([id, a]) => [id, { ...a }])),
      transfers: new Map(this.transfers),
      pendings: new Map([...this.pendings].map(([id, p]) => [id, { ...p }])),
    };
  }

  private apply(item: TransferInput): string {
    if (!item.id) return 'id_must_not_be_empty';
    const flags = item.flags ?? 0;
    if (flags > 15) return 'reserved_flag';
    const before = this.transfers.get(item.id);
    if (before) return this.compare(item, flags, before);
    if (this.failed.has(item.id)) return 'id_already_failed';
    const kinds = [2, 4, 8].filter((bit) => (flags & bit) !== 0).length;
    if (kinds > 1) return 'flags_are_mutually_exclusive';
    const result = (flags & 12) !== 0 ? this.postOrVoid(item, flags) : this.single(item, flags);
    if (remembered.has(result)) this.failed.set(item.id, result);
    return result;
  }

  private single(item: TransferInput, flags: number): string {
    const pending = (flags & 2) !== 0;
    const timeout = item.timeout_seconds ?? 0;
    if (item.pending_id) return 'pending_id_must_be_empty';
    if (timeout !== 0 && !pending) return 'timeout_reserved_for_pending_transfer';
    if (timeout < 0) return 'timeout_must_be_valid';
    if (!item.debit_account_id) return 'debit_account_id_must_not_be_empty';
    if (!item.credit_account_id) return 'credit_account_id_must_not_be_empty';
    if (item.debit_account_id === item.credit_account_id) return 'accounts_must_be_different';
    const amount = item.amount ?? 0;
    if (amount <= 0) return 'amount_must_be_positive';
    if (!item.code) return 'code_must_not_be_empty';
    const debit = this.accounts.get(item.debit_account_id);
    const credit = this.accounts.get(item.credit_account_id);
    if (!debit) return 'debit_account_not_found';
    if (!credit) return 'credit_account_not_found';
    if (debit.commodity !== credit.commodity) return 'accounts_must_have_the_same_commodity';
    if (item.commodity && item.commodity !== debit.commodity)
      return 'commodity_must_match_accounts';
    if (debit.flags & 4) return 'debit_account_closed';
    if (credit.flags & 4) return 'credit_account_closed';
    if (debit.flags & 1 && debit.dp + debit.dq + amount > debit.cp) return 'exceeds_credits';
    if (credit.flags & 2 && credit.cp + credit.cq + amount > credit.dp) return 'exceeds_debits';
    if (pending) {
      debit.dq += amount;
      credit.cq += amount;
      this.pendings.set(item.id, {
        status: 'pending',
        expiresAt: timeout > 0 ? this.now + timeout * 1000 : null,
      });
    } else {
      debit.dp += amount;
      credit.cp += amount;
    }
    this.transfers.set(item.id, {
      debit: item.debit_account_id,
      credit: item.credit_account_id,
      amount,
      commodity: debit.commodity,
      code: item.code,
      flags,
      pendingId: null,
      timeout,
      references: referencesOf(item),
    });
    return 'created';
  }

  private postOrVoid(item: TransferInput, flags: number): string {
    const post = (flags & 4) !== 0;
    const amount = item.amount ?? 0;
    if (!item.pending_id) return 'pending_id_must_not_be_empty';
    if (item.pending_id === item.id) return 'pending_id_must_be_different';
    if ((item.timeout_seconds ?? 0) !== 0) return 'timeout_reserved_for_pending_transfer';
    if (amount < 0) return 'amount_must_be_positive';
    if (item.debit_account_id && item.debit_account_id === item.credit_account_id)
      return 'accounts_must_be_different';
    const reserved = this.transfers.get(item.pending_id);
    if (!reserved) return 'pending_transfer_not_found';
    if ((reserved.flags & 2) === 0) return 'pending_transfer_not_pending';
    if (item.debit_account_id && item.debit_account_id !== reserved.debit)
      return 'pending_transfer_has_different_debit_account';
    if (item.credit_account_id && item.credit_account_id !== reserved.credit)
      return 'pending_transfer_has_different_credit_account';
    if (item.commodity && item.commodity !== reserved.commodity)
      return 'pending_transfer_has_different_commodity';
    if (post && amount > reserved.amount) return 'exceeds_pending_transfer_amount';
    if (!post && amount !== 0 && amount !== reserved.amount)
      return 'pending_transfer_has_different_amount';
    const state = this.pendings.get(item.pending_id)!;
    if (state.status === 'posted') return 'pending_transfer_already_posted';
    if (state.status === 'voided') return 'pending_transfer_already_voided';
    if (state.status === 'expired') return 'pending_transfer_expired';
    const debit = this.accounts.get(reserved.debit)!;
    const credit = this.accounts.get(reserved.credit)!;
    if (post && debit.flags & 4) return 'debit_account_closed';
    if (post && credit.flags & 4) return 'credit_account_closed';
    const moved = post ? amount || reserved.amount : reserved.amount;
    debit.dq -= reserved.amount;
    credit.cq -= reserved.amount;
    if (post) {
      debit.dp += moved;
      credit.cp += moved;
    }
    this.pendings.set(item.pending_id, { ...state, status: post ? 'posted' : 'voided' });
    this.transfers.set(item.id, {
      debit: reserved.debit,
      credit: reserved.credit,
      amount: moved,
      commodity: reserved.commodity,
      code: item.code || reserved.code,
      flags,
      pendingId: item.pending_id,
      timeout: 0,
      references: referencesOf(item),
    });
    return 'created';
  }

  private compare(item: TransferInput, flags: number, before: ModelTransfer): string {
    const postOrVoid = (flags & 12) !== 0;
    if (flags !== before.flags) return 'exists_with_different_flags';
    if ((item.pending_id || null) !== before.pendingId) return 'exists_with_different_pending_id';
    if ((item.timeout_seconds ?? 0) !== before.timeout) return 'exists_with_different_timeout';
    const sameAccount = (given: string | null | undefined, stored: string) =>
      postOrVoid ? !given || given === stored : given === stored;
    if (!sameAccount(item.debit_account_id, before.debit))
      return 'exists_with_different_debit_account_id';
    if (!sameAccount(item.credit_account_id, before.credit))
      return 'exists_with_different_credit_account_id';
    const amount = item.amount ?? 0;
    const expected =
      postOrVoid && amount === 0 ? this.transfers.get(before.pendingId!)!.amount : amount;
    if (expected !== before.amount) return 'exists_with_different_amount';
    if (referencesOf(item) !== before.references) return 'exists_with_different_references';
    if (item.commodity && item.commodity !== before.commodity)
      return 'exists_with_different_commodity';
    if (postOrVoid ? item.code && item.code !== before.code : (item.code ?? '') !== before.code) {
      return 'exists_with_different_code';
    }
    return 'exists';
  }
}

// ---------------------------------------------------------------------------------------------
// Random steps over a few ids and accounts, so retries, collisions and limits happen often.

const accountNames = ['limited', 'capped', 'free', 'oil', 'ghost'] as const;
// Failed ids stay failed, so each kind draws from a pool large enough not to burn out in a run,
// yet small enough that ids repeat (retries, collisions across kinds).
const singleIds = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 'p0'] as const;
const pendingIds = ['p0', 'p1', 'p2'] as const;
const resolveIds = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 't0'] as const;
const idNames = [...new Set([...singleIds, ...pendingIds, ...resolveIds])];

type Step =
  | { kind: 'batch'; items: TransferInput[] }
  | { kind: 'advance'; seconds: number }
  | { kind: 'sweep' }
  | { kind: 'close'; account: (typeof accountNames)[number] }
  | { kind: 'retry'; batch: number };

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const breadAccounts = ['limited', 'capped', 'free'] as const;
const anyAccount = fc.constantFrom(...accountNames);
const linkedBit = fc.constantFrom(0, 0, 0, 0, 1);

/** Two different bread accounts, the unlimited one more often. */
const breadPair = fc
  .tuple(fc.constantFrom(0, 1, 2, 2), fc.constantFrom(1, 2))
  .map(([debit, offset]) => [breadAccounts[debit]!, breadAccounts[(debit + offset) % 3]!] as const);

/** Mostly well-formed single-phase and pending transfers between the bread accounts. */
const transferArbitrary: fc.Arbitrary<TransferInput> = fc
  .record({
    pending: fc.constantFrom(false, true, true),
    singleId: fc.constantFrom(...singleIds),
    pendingId: fc.constantFrom(...pendingIds),
    linked: linkedBit,
    accounts: fc.oneof(
      { weight: 12, arbitrary: breadPair },
      { weight: 1, arbitrary: fc.tuple(anyAccount, anyAccount) },
    ),
    amount: fc.integer({ min: 1, max: 4 }),
    timeout: fc.constantFrom(0, 10, 30),
    commodity: fc.constantFrom(
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'bread',
      'oil',
    ),
    references: maybe(fc.constantFrom({ run: 'r1' }, { run: 'r2', stop: 3 })),
  })
  .map((r) => ({
    id: r.pending ? r.pendingId : r.singleId,
    flags: (r.pending ? 2 : 0) | r.linked,
    debit_account_id: r.accounts[0],
    credit_account_id: r.accounts[1],
    amount: r.amount,
    code: 'why',
    timeout_seconds: r.pending ? r.timeout : 0,
    commodity: r.commodity,
    references: r.references,
  }));

/** Posts and voids of (usually) pending ids, with or without an amount. */
const resolveArbitrary: fc.Arbitrary<TransferInput> = fc
  .record({
    id: fc.constantFrom(...resolveIds),
    post: fc.boolean(),
    linked: linkedBit,
    // '@k': the k-th pending transfer created earlier in the run (resolved when the step runs).
    pendingId: fc.oneof(
      { weight: 4, arbitrary: fc.nat(20).map((k) => `@${k}`) },
      { weight: 1, arbitrary: fc.constantFrom(...pendingIds, 't0', 'nowhere') },
    ),
    amount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined, freq: 2 }),
    debit: fc.constantFrom(undefined, undefined, undefined, undefined, 'limited', 'free'),
    code: fc.constantFrom(undefined, 'delivered'),
  })
  .map((r) => ({
    id: r.id,
    flags: (r.post ? 4 : 8) | r.linked,
    pending_id: r.pendingId,
    amount: r.amount,
    debit_account_id: r.debit,
    code: r.code,
  }));

/** Anything: bad flags, empty fields, negative numbers. */
const malformedArbitrary: fc.Arbitrary<TransferInput> = fc
  .record({
    id: fc.constantFrom(...idNames, ''),
    flags: fc.constantFrom(0, 1, 2, 4, 6, 8, 12, 16),
    debit: maybe(anyAccount),
    credit: maybe(anyAccount),
    amount: maybe(fc.integer({ min: -1, max: 6 })),
    code: fc.constantFrom('why', ''),
    pendingId: maybe(fc.constantFrom(...idNames)),
    timeout: fc.constantFrom(0, 10, -5),
  })
  .map((r) => ({
    id: r.id,
    flags: r.flags,
    debit_account_id: r.debit,
    credit_account_id: r.credit,
    amount: r.amount,
    code: r.code,
    pending_id: r.pendingId,
    timeout_seconds: r.timeout,
  }));

const itemArbitrary = fc.oneof(
  { weight: 6, arbitrary: transferArbitrary },
  { weight: 4, arbitrary: resolveArbitrary },
  { weight: 1, arbitrary: malformedArbitrary },
);

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc
      .array(itemArbitrary, { minLength: 1, maxLength: 4 })
      .map((items) => ({ kind: 'batch' as const, items })),
  },
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: 0, max: 40 })
      .map((seconds) => ({ kind: 'advance' as const, seconds })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'sweep' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...accountNames)
      .map((account) => ({ kind: 'close' as const, account })),
  },
  { weight: 4, arbitrary: fc.nat().map((batch) => ({ kind: 'retry' as const, batch })) },
);

describeEachDialect('ledger against a model of its rules', (storage, dialect) => {
  it('agrees on every result and every balance', async () => {
    await seedCommodity(storage().db, 'bread');
    await seedCommodity(storage().db, 'oil');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 14 }), async (steps) => {
        run++;
        // Each run has its own accounts and ids, and a clock a day after the previous run's.
        const prefix = `run${run}-`;
        const local = (name: string | null | undefined) => (name ? prefix + name : name);
        const model = new Model(Date.UTC(2030, 0, 1) + run * 86_400_000);
        // On SQLite every other run goes through Kysely's own transaction, where the repository
        // takes its bulk statements rather than writeTransaction's single-row hot path.
        const transact = <T>(work: (trx: Executor) => Promise<T>): Promise<T> =>
          dialect === 'sqlite' && run % 2 === 1
            ? storage().db.transaction().execute(work)
            : writeTransaction(storage(), work);
        const context = ledgerContext(() => new Date(model.now));
        const opened = [
          { name: 'limited', commodity: 'bread', flags: 1 },
          { name: 'capped', commodity: 'bread', flags: 2 },
          { name: 'free', commodity: 'bread', flags: 0 },
          { name: 'oil', commodity: 'oil', flags: 0 },
        ];
        await transact((trx) =>
          createAccounts(
            trx,
            opened.map((a) => ({
              id: prefix + a.name,
              commodity: a.commodity,
              owner_kind: 'test',
              owner_id: a.name,
              flags: a.flags,
            })),
          ),
        );
        for (const a of opened) {
          model.accounts.set(prefix + a.name, {
            commodity: a.commodity,
            flags: a.flags,
            dp: 0,
            cp: 0,
            dq: 0,
            cq: 0,
          });
        }

        const funding: Step = {
          kind: 'batch',
          items: [
            {
              id: 'fund-limited',
              debit_account_id: 'free',
              credit_account_id: 'limited',
              amount: 6,
              code: 'funding',
            },
            {
              id: 'fund-capped',
              debit_account_id: 'capped',
              credit_account_id: 'free',
              amount: 6,
              code: 'funding',
            },
          ],
        };
        const sent: TransferInput[][] = [];
        const namePending = (item: TransferInput): TransferInput => {
          if (!item.pending_id?.startsWith('@')) return item;
          // The k-th pending transfer of this run so far, whatever its state now.
          const known = [...model.pendings.keys()];
          const k = Number(item.pending_id.slice(1));
          return {
            ...item,
            pending_id: known.length ? known[k % known.length]!.slice(prefix.length) : 'nowhere',
          };
        };
        for (const step of [funding, ...steps]) {
          if (step.kind === 'advance') {
            model.now += step.seconds * 1000;
            continue;
          }
          if (step.kind === 'sweep') {
            model.expire();
            await transact((trx) => expirePendingTransfers(trx, context.clock));
          } else if (step.kind === 'close') {
            const account = model.accounts.get(prefix + step.account);
            if (account) account.flags |= 4;
            await transact((trx) => closeAccount(trx, prefix + step.account, context));
          } else {
            // A retry re-sends an earlier batch of this run unchanged, as a client that lost the answer would.
            const batch =
              step.kind === 'retry' ? sent[step.batch % sent.length]! : step.items.map(namePending);
            sent.push(batch);
            const items = batch.map((item) => ({
              ...item,
              id: local(item.id) ?? '',
              pending_id: local(item.pending_id),
              debit_account_id: local(item.debit_account_id),
              credit_account_id: local(item.credit_account_id),
            }));
            const expected = model.batch(items);
            const actual = await transact((trx) => createTransfers(trx, items, context));
            expect(
              actual.map((r) => r.result),
              JSON.stringify(items),
            ).toEqual(expected);
          }
          const rows = await getAccounts(storage().db, [...model.accounts.keys()]);
          const stored = Object.fromEntries(
            rows.map((row) => [
              row.id,
              [row.debits_posted, row.credits_posted, row.debits_pending, row.credits_pending],
            ]),
          );
          const modelled = Object.fromEntries(
            [...model.accounts].map(([id, a]) => [id, [a.dp, a.cp, a.dq, a.cq]]),
          );
          expect(stored).toEqual(modelled);
        }
      }),
      { numRuns: 100 },
    );
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  }, 120_000);
});
