/** Test factories for the ledger: a commodity and accounts with given balances-to-be. */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import type { Clock } from '../../shared/clock.js';
import { createAccounts, createTransfers, type LedgerContext } from './ledger.service.js';

/** Inserts the commodity if it is not there yet. */
export async function seedCommodity(db: Executor, code = 'bread'): Promise<string> {
  await db
    .insertInto('commodities')
    .values({
      code,
      name_ar: code,
      name_en: code,
      base_unit: 'g',
      display_unit: 'kg',
      display_scale: 1000,
      created_at: new Date(0).toISOString(),
    })
    .onConflict((conflict) => conflict.column('code').doNothing())
    .execute();
  return code;
}

/** An account input with a unique id unless given. */
export function buildAccount(overrides: Partial<AccountInput> = {}): AccountInput {
  const id = overrides.id ?? `account-${randomUUID()}`;
  return { id, commodity: 'bread', owner_kind: 'test', owner_id: id, ...overrides };
}

/** A ledger context acting as the system, at the given clock. */
export function ledgerContext(clock: Clock = () => new Date()): LedgerContext {
  return { actor: systemActor, clock };
}

/**
 * Creates the accounts (and their commodities) and, for each entry of `funding`, moves that
 * amount into the account from a fresh unlimited source account; answers the account ids.
 */
export async function openAccounts(
  storage: Pick<Storage, 'db' | 'dialect'>,
  accounts: AccountInput[],
  funding: Record<string, number> = {},
): Promise<string[]> {
  await writeTransaction(storage, async (trx) => {
    for (const code of new Set(accounts.map((account) => account.commodity)))
      await seedCommodity(trx, code);
    const sources = [...new Set(accounts.map((account) => account.commodity))].map((commodity) =>
      buildAccount({ commodity, owner_kind: 'source' }),
    );
    await createAccounts(trx, [...accounts, ...sources]);
    const transfers = Object.entries(funding).map(([id, amount]) => {
      const commodity = accounts.find((account) => account.id === id)?.commodity ?? 'bread';
      const source = sources.find((candidate) => candidate.commodity === commodity) as AccountInput;
      return {
        id: `fund-${randomUUID()}`,
        debit_account_id: source.id,
        credit_account_id: id,
        amount,
        code: 'funding',
      };
    });
    const results = await createTransfers(trx, transfers, ledgerContext());
    const failed = results.find((result) => result.result !== 'created');
    if (failed) throw new Error(`funding ${failed.id} answered ${failed.result}`);
  });
  return accounts.map((account) => account.id);
}
