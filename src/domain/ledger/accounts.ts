/** The account-creation rules as a pure function: per-item results and the rows to insert. */
import { AccountFlags, accountFlagsKnown, hasFlag } from './ledger.js';

export interface AccountInput {
  id: string;
  /** The commodity code (the account's ledger); it never changes. */
  commodity: string;
  owner_kind: string;
  owner_id: string;
  /** debitsMustNotExceedCredits (1) or creditsMustNotExceedDebits (2); closed is set by closeAccount. */
  flags?: number | null;
}

/** The identity of a stored account, as compared with a repeated creation. */
export interface AccountIdentity {
  id: string;
  commodity: string;
  owner_kind: string;
  owner_id: string;
  flags: number;
}

export type AccountResultCode =
  | 'created'
  | 'exists'
  | 'id_must_not_be_empty'
  | 'owner_must_not_be_empty'
  | 'reserved_flag'
  | 'flags_are_mutually_exclusive'
  | 'commodity_not_found'
  | 'exists_with_different_commodity'
  | 'exists_with_different_owner'
  | 'exists_with_different_flags';

export interface AccountResult {
  id: string;
  result: AccountResultCode;
}

export interface AccountPlan {
  results: AccountResult[];
  /** Rows to insert, flags resolved. */
  accounts: AccountIdentity[];
}

/**
 * Decides each creation: `created` once per id, `exists` for the same id with the same
 * commodity, owner and flags (the closed flag ignored), else the first difference.
 */
export function planAccounts(
  inputs: readonly AccountInput[],
  existing: ReadonlyMap<string, AccountIdentity>,
  commodities: ReadonlySet<string>,
): AccountPlan {
  const known = new Map(existing);
  const results: AccountResult[] = [];
  const accounts: AccountIdentity[] = [];
  for (const input of inputs) {
    const result = decide(input, known, commodities);
    results.push({ id: input.id, result });
    if (result === 'created') {
      const account = {
        id: input.id,
        commodity: input.commodity,
        owner_kind: input.owner_kind,
        owner_id: input.owner_id,
        flags: input.flags ?? 0,
      };
      known.set(account.id, account);
      accounts.push(account);
    }
  }
  return { results, accounts };
}

function decide(
  input: AccountInput,
  known: ReadonlyMap<string, AccountIdentity>,
  commodities: ReadonlySet<string>,
): AccountResultCode {
  if (typeof input.id !== 'string' || input.id === '') return 'id_must_not_be_empty';
  const flags = input.flags ?? 0;
  if (!accountFlagsKnown(flags) || hasFlag(flags, AccountFlags.closed)) return 'reserved_flag';
  const stored = known.get(input.id);
  if (stored) {
    if (stored.commodity !== input.commodity) return 'exists_with_different_commodity';
    if (stored.owner_kind !== input.owner_kind || stored.owner_id !== input.owner_id) {
      return 'exists_with_different_owner';
    }
    if ((stored.flags & ~AccountFlags.closed) !== flags) return 'exists_with_different_flags';
    return 'exists';
  }
  if (!input.owner_kind || !input.owner_id) return 'owner_must_not_be_empty';
  if (
    hasFlag(flags, AccountFlags.debitsMustNotExceedCredits) &&
    hasFlag(flags, AccountFlags.creditsMustNotExceedDebits)
  ) {
    return 'flags_are_mutually_exclusive';
  }
  if (!commodities.has(input.commodity)) return 'commodity_not_found';
  return 'created';
}
