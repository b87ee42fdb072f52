/**
 * The ledger's vocabulary: account and transfer flags, the records the rules work on, and
 * every result code. Pure: no I/O. Modelled on TigerBeetle (linked events, two-phase
 * transfers, client-generated ids).
 */

/** Account flags (a bit set). */
export const AccountFlags = {
  /** debits_posted + debits_pending must not exceed credits_posted (entitlements, stock). */
  debitsMustNotExceedCredits: 1,
  /** credits_posted + credits_pending must not exceed debits_posted. */
  creditsMustNotExceedDebits: 2,
  /** No new transfers; pending reservations may still be voided or expire. */
  closed: 4,
} as const;

/** Transfer flags (a bit set). */
export const TransferFlags = {
  /** Succeeds or fails with the next item of the batch. */
  linked: 1,
  /** Reserves the amount (debits_pending, credits_pending) until posted, voided or expired. */
  pending: 2,
  /** Posts (part of) the pending transfer named by pending_id. */
  postPending: 4,
  /** Releases the pending transfer named by pending_id. */
  voidPending: 8,
} as const;

const knownTransferFlags = 1 | 2 | 4 | 8;
const knownAccountFlags = 1 | 2 | 4;

/** What a client asks for; post and void may leave accounts, amount, commodity and code out. */
export interface TransferInput {
  id: string;
  debit_account_id?: string | null;
  credit_account_id?: string | null;
  /** Base units; for a post, omitted or 0 posts the whole pending amount. */
  amount?: number | null;
  /** When given, must be the accounts' commodity. */
  commodity?: string | null;
  /** Why, e.g. 'entitlement_credit', 'redemption'; for post/void defaults to the pending's. */
  code?: string | null;
  flags?: number | null;
  pending_id?: string | null;
  /** Pending transfers only: the reservation is released this many seconds after creation. */
  timeout_seconds?: number | null;
  /** Household, run, device, lot...; stored as canonical JSON. */
  references?: Record<string, unknown> | null;
}

/** A stored transfer, as the rules see it (the transfers row). */
export interface TransferRecord {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  commodity: string;
  code: string;
  flags: number;
  pending_id: string | null;
  timeout_seconds: number;
  actor_id: string | null;
  references_json: string | null;
  created_at: string;
}

export interface AccountBalances {
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
}

/** An account as the rules see it. */
export interface AccountState extends AccountBalances {
  id: string;
  commodity: string;
  flags: number;
}

export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired';

/** The mutable state of a pending transfer (the pending_transfers row). */
export interface PendingState {
  id: string;
  status: PendingStatus;
  expires_at: string | null;
}

/** Pure validation failures: nothing is recorded, the id may be used again. */
export const transferValidationCodes = [
  'id_must_not_be_empty',
  'reserved_flag',
  'flags_are_mutually_exclusive',
  'pending_id_must_not_be_empty',
  'pending_id_must_be_empty',
  'pending_id_must_be_different',
  'timeout_reserved_for_pending_transfer',
  'timeout_must_be_valid',
  'debit_account_id_must_not_be_empty',
  'credit_account_id_must_not_be_empty',
  'accounts_must_be_different',
  'amount_must_be_positive',
  'code_must_not_be_empty',
] as const;

/** Failures that depend on the ledger's state: the id is recorded and stays failed. */
export const transferStateCodes = [
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
] as const;

/** Same id, other content, in the order they are checked (TigerBeetle's precedence). */
export const transferExistsCodes = [
  'exists_with_different_flags',
  'exists_with_different_pending_id',
  'exists_with_different_timeout',
  'exists_with_different_debit_account_id',
  'exists_with_different_credit_account_id',
  'exists_with_different_amount',
  'exists_with_different_references',
  'exists_with_different_commodity',
  'exists_with_different_code',
] as const;

export type TransferValidationCode = (typeof transferValidationCodes)[number];
export type TransferStateCode = (typeof transferStateCodes)[number];
export type TransferExistsCode = (typeof transferExistsCodes)[number];

export type TransferErrorCode =
  | 'linked_event_failed'
  | 'linked_event_chain_open'
  | 'id_already_failed'
  | TransferValidationCode
  | TransferStateCode
  | TransferExistsCode;

/** `created` and `exists` are successes (retrying a created transfer answers `exists`). */
export type TransferResultCode = 'created' | 'exists' | TransferErrorCode;

export interface TransferResult {
  id: string;
  result: TransferResultCode;
}

const stateCodeSet: ReadonlySet<string> = new Set(transferStateCodes);

/** True for the codes that reserve the id for good (`id_already_failed` on every retry). */
export function isStateCode(code: string): code is TransferStateCode {
  return stateCodeSet.has(code);
}

/** True when the result means the transfer is in the ledger (now or from an earlier call). */
export function isSuccess(result: TransferResultCode): result is 'created' | 'exists' {
  return result === 'created' || result === 'exists';
}

/** True when `flag` is set in `flags`. */
export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) !== 0;
}

/** True when the flags use only the known transfer bits. */
export function transferFlagsKnown(flags: number): boolean {
  return Number.isInteger(flags) && flags >= 0 && (flags & ~knownTransferFlags) === 0;
}

/** True when the flags use only the known account bits. */
export function accountFlagsKnown(flags: number): boolean {
  return Number.isInteger(flags) && flags >= 0 && (flags & ~knownAccountFlags) === 0;
}

/** JSON with object keys sorted at every level, so equal references compare equal as text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** The stored form of a transfer's references: canonical JSON, or null when there are none. */
export function referencesJson(
  references: Record<string, unknown> | null | undefined,
): string | null {
  if (references === null || references === undefined) return null;
  for (const key in references) {
    if (Object.prototype.hasOwnProperty.call(references, key)) return canonicalJson(references);
  }
  return null;
}
