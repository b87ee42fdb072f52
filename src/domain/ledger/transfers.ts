/**
 * The transfer rules as one pure function: given a batch and a snapshot of the ledger state
 * it touches, decide every item's result and the rows and balance changes to write.
 * The repository loads the snapshot under lock and writes the plan; nothing here does I/O.
 */
import {
  AccountFlags,
  TransferFlags,
  hasFlag,
  isStateCode,
  referencesJson,
  transferFlagsKnown,
  type AccountBalances,
  type AccountState,
  type PendingState,
  type PendingStatus,
  type TransferInput,
  type TransferRecord,
  type TransferResult,
  type TransferResultCode,
  type TransferStateCode,
} from './ledger.js';

/** The part of the ledger a batch can touch, read inside the write transaction. */
export interface LedgerSnapshot {
  /** Every account named by the batch, by the pendings it names, and by `pendings`. */
  accounts: ReadonlyMap<string, AccountState>;
  /** Stored transfers with the batch's ids, and the transfer of every entry of `pendings`. */
  transfers: ReadonlyMap<string, TransferRecord>;
  /** The pendings the batch names (pending_id) and every pending past its expiry. */
  pendings: ReadonlyMap<string, PendingState>;
  /** Recorded failures among the batch's ids: id -> code. */
  failures: ReadonlyMap<string, string>;
}

/** What to write, and what to answer, for one batch. */
export interface TransferPlan {
  /** One per batch item, in order. */
  results: TransferResult[];
  /** New transfers rows, in batch order. */
  transfers: TransferRecord[];
  /** New pending_transfers rows, with their status at the end of the batch. */
  pendings: PendingState[];
  /** Stored pending_transfers rows that leave 'pending' (posted, voided or expired). */
  pendingChanges: PendingState[];
  /** Ids that failed for a reason that depends on state; they stay failed. */
  failures: { id: string; code: TransferStateCode }[];
  /** Non-zero balance changes per account. */
  deltas: Map<string, AccountBalances>;
  /** Pendings released because their timeout passed (included in pendingChanges). */
  expired: string[];
}

/** The ids a batch names, so the repository knows what to load. */
export interface BatchReferences {
  transferIds: string[];
  pendingIds: string[];
  accountIds: string[];
}

const postOrVoid = TransferFlags.postPending | TransferFlags.voidPending;

/** The largest timeout the timeout_seconds column (a 32-bit integer) holds: about 68 years. */
export const maxTimeoutSeconds = 2_147_483_647;

/** Lists the transfer, pending and account ids a batch names (deduplicated, empties left out). */
export function batchReferences(batch: readonly TransferInput[]): BatchReferences {
  const transferIds = new Set<string>();
  const pendingIds = new Set<string>();
  const accountIds = new Set<string>();
  for (const item of batch) {
    if (typeof item.id === 'string' && item.id !== '') transferIds.add(item.id);
    if (item.pending_id && ((item.flags ?? 0) & postOrVoid) !== 0) pendingIds.add(item.pending_id);
    if (item.debit_account_id) accountIds.add(item.debit_account_id);
    if (item.credit_account_id) accountIds.add(item.credit_account_id);
  }
  return {
    transferIds: [...transferIds],
    pendingIds: [...pendingIds],
    accountIds: [...accountIds],
  };
}

/** The instant a pending transfer created at `now` with this timeout expires, or null for never. */
export function pendingExpiresAt(now: Date, timeoutSeconds: number): string | null {
  return timeoutSeconds > 0 ? new Date(now.getTime() + timeoutSeconds * 1000).toISOString() : null;
}

/**
 * Decides a batch. First releases every pending in the snapshot whose expiry is at or before
 * `now`, then takes the items in order: a linked chain (items flagged linked, up to the first
 * one that is not) succeeds or fails whole; its first failing item gets its own code and the
 * others `linked_event_failed`. `exists` counts as success inside a chain, so a retried chain
 * answers `exists` throughout. A broken snapshot (a pending without its accounts) throws.
 */
export function planTransfers(
  batch: readonly TransferInput[],
  snapshot: LedgerSnapshot,
  now: Date,
  actorId: string | null,
): TransferPlan {
  return new Planner(snapshot, now, actorId).plan(batch);
}

class Planner {
  private readonly nowIso: string;
  /** Working copies of the accounts touched so far (copied from the snapshot on first use). */
  private readonly accounts = new Map<string, AccountState>();
  private readonly transfers: Map<string, TransferRecord>;
  private readonly pendings = new Map<string, PendingState>();
  private readonly failures: Map<string, string>;
  private readonly newPendings = new Set<string>();
  private readonly created: TransferRecord[] = [];
  private readonly newFailures: { id: string; code: TransferStateCode }[] = [];
  private readonly expired: string[] = [];
  /** Undo steps of the open chain, or null outside a chain. */
  private undo: (() => void)[] | null = null;

  constructor(
    private readonly snapshot: LedgerSnapshot,
    private readonly now: Date,
    private readonly actorId: string | null,
  ) {
    this.nowIso = now.toISOString();
    for (const [id, pending] of snapshot.pendings) this.pendings.set(id, { ...pending });
    this.transfers = new Map(snapshot.transfers);
    this.failures = new Map(snapshot.failures);
  }

  plan(batch: readonly TransferInput[]): TransferPlan {
    this.releaseExpired();
    const results: TransferResult[] = new Array<TransferResult>(batch.length);
    let chainStart = -1;
    let chainFailed = false;
    let createdAtChainStart = 0;
    for (let index = 0; index < batch.length; index++) {
      const item = batch[index] as TransferInput;
      const linked = hasFlag(item.flags ?? 0, TransferFlags.linked);
      if (linked && chainStart < 0) {
        chainStart = index;
        chainFailed = false;
        createdAtChainStart = this.created.length;
        this.undo = [];
      }
      let result: TransferResultCode;
      if (linked && index === batch.length - 1) result = 'linked_event_chain_open';
      else if (chainFailed) result = 'linked_event_failed';
      else result = this.evaluate(item);
      results[index] = { id: item.id, result };

      const failed = result !== 'created' && result !== 'exists';
      if (failed && chainStart >= 0 && !chainFailed) {
        chainFailed = true;
        const undo = this.undo ?? [];
        for (let step = undo.length - 1; step >= 0; step--) (undo[step] as () => void)();
        this.created.length = createdAtChainStart;
        for (let earlier = chainStart; earlier < index; earlier++) {
          (results[earlier] as TransferResult).result = 'linked_event_failed';
        }
      }
      if (chainStart >= 0 && (!linked || result === 'linked_event_chain_open')) {
        chainStart = -1;
        chainFailed = false;
        this.undo = null;
      }
    }
    return {
      results,
      transfers: this.created,
      pendings: [...this.newPendings].map((id) => this.pendings.get(id) as PendingState),
      pendingChanges: this.pendingChanges(),
      failures: this.newFailures,
      deltas: this.deltas(),
      expired: this.expired,
    };
  }

  private releaseExpired(): void {
    for (const pending of this.pendings.values()) {
      if (pending.status !== 'pending' || pending.expires_at === null) continue;
      if (pending.expires_at > this.nowIso) continue;
      const transfer = this.requireTransfer(pending.id);
      const debit = this.requireAccount(transfer.debit_account_id);
      const credit = this.requireAccount(transfer.credit_account_id);
      debit.debits_pending -= transfer.amount;
      credit.credits_pending -= transfer.amount;
      pending.status = 'expired';
      this.expired.push(pending.id);
    }
  }

  private evaluate(item: TransferInput): TransferResultCode {
    const id = item.id;
    if (typeof id !== 'string' || id === '') return 'id_must_not_be_empty';
    const flags = item.flags ?? 0;
    if (!transferFlagsKnown(flags)) return 'reserved_flag';
    const existing = this.transfers.get(id);
    if (existing) return this.compareExisting(item, flags, existing);
    if (this.failures.has(id)) return 'id_already_failed';

    const pending = hasFlag(flags, TransferFlags.pending);
    const post = hasFlag(flags, TransferFlags.postPending);
    const voiding = hasFlag(flags, TransferFlags.voidPending);
    if (Number(pending) + Number(post) + Number(voiding) > 1) return 'flags_are_mutually_exclusive';
    const timeout = item.timeout_seconds ?? 0;

    if (post || voiding) {
      const pendingId = item.pending_id ?? '';
      if (pendingId === '') return 'pending_id_must_not_be_empty';
      if (pendingId === id) return 'pending_id_must_be_different';
      if (timeout !== 0) return 'timeout_reserved_for_pending_transfer';
      const amount = item.amount ?? 0;
      if (!Number.isSafeInteger(amount) || amount < 0) return 'amount_must_be_positive';
      if (item.debit_account_id && item.debit_account_id === item.credit_account_id) {
        return 'accounts_must_be_different';
      }
      return this.recordFailure(id, this.postOrVoid(item, flags, pendingId, amount, post));
    }

    if (item.pending_id) return 'pending_id_must_be_empty';
    if (timeout !== 0 && !pending) return 'timeout_reserved_for_pending_transfer';
    if (!Number.isSafeInteger(timeout) || timeout < 0 || timeout > maxTimeoutSeconds) {
      return 'timeout_must_be_valid';
    }
    const debitId = item.debit_account_id ?? '';
    const creditId = item.credit_account_id ?? '';
    if (debitId === '') return 'debit_account_id_must_not_be_empty';
    if (creditId === '') return 'credit_account_id_must_not_be_empty';
    if (debitId === creditId) return 'accounts_must_be_different';
    const amount = item.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      return 'amount_must_be_positive';
    }
    const code = item.code ?? '';
    if (code === '') return 'code_must_not_be_empty';
    return this.recordFailure(
      id,
      this.single(item, flags, debitId, creditId, amount, code, pending, timeout),
    );
  }

  /** A single-phase or pending transfer whose fields are valid. */
  private single(
    item: TransferInput,
    flags: number,
    debitId: string,
    creditId: string,
    amount: number,
    code: string,
    pending: boolean,
    timeout: number,
  ): TransferResultCode {
    const debit = this.account(debitId);
    if (!debit) return 'debit_account_not_found';
    const credit = this.account(creditId);
    if (!credit) return 'credit_account_not_found';
    if (debit.commodity !== credit.commodity) return 'accounts_must_have_the_same_commodity';
    if (item.commodity && item.commodity !== debit.commodity)
      return 'commodity_must_match_accounts';
    if (hasFlag(debit.flags, AccountFlags.closed)) return 'debit_account_closed';
    if (hasFlag(credit.flags, AccountFlags.closed)) return 'credit_account_closed';
    if (
      hasFlag(debit.flags, AccountFlags.debitsMustNotExceedCredits) &&
      debit.debits_posted + debit.debits_pending + amount > debit.credits_posted
    ) {
      return 'exceeds_credits';
    }
    if (
      hasFlag(credit.flags, AccountFlags.creditsMustNotExceedDebits) &&
      credit.credits_posted + credit.credits_pending + amount > credit.debits_posted
    ) {
      return 'exceeds_debits';
    }
    this.saveBalances(debit);
    this.saveBalances(credit);
    if (pending) {
      debit.debits_pending += amount;
      credit.credits_pending += amount;
      this.addPending({
        id: item.id,
        status: 'pending',
        expires_at: pendingExpiresAt(this.now, timeout),
      });
    } else {
      debit.debits_posted += amount;
      credit.credits_posted += amount;
    }
    this.addTransfer({
      id: item.id,
      debit_account_id: debitId,
      credit_account_id: creditId,
      amount,
      commodity: debit.commodity,
      code,
      flags,
      pending_id: null,
      timeout_seconds: timeout,
      actor_id: this.actorId,
      references_json: referencesJson(item.references),
      created_at: this.nowIso,
    });
    return 'created';
  }

  /** Posts or voids a stored or earlier-in-batch pending transfer. */
  private postOrVoid(
    item: TransferInput,
    flags: number,
    pendingId: string,
    amount: number,
    post: boolean,
  ): TransferResultCode {
    const reserved = this.transfers.get(pendingId);
    if (!reserved) return 'pending_transfer_not_found';
    if (!hasFlag(reserved.flags, TransferFlags.pending)) return 'pending_transfer_not_pending';
    if (item.debit_account_id && item.debit_account_id !== reserved.debit_account_id) {
      return 'pending_transfer_has_different_debit_account';
    }
    if (item.credit_account_id && item.credit_account_id !== reserved.credit_account_id) {
      return 'pending_transfer_has_different_credit_account';
    }
    if (item.commodity && item.commodity !== reserved.commodity) {
      return 'pending_transfer_has_different_commodity';
    }
    if (post && amount > reserved.amount) return 'exceeds_pending_transfer_amount';
    if (!post && amount !== 0 && amount !== reserved.amount) {
      return 'pending_transfer_has_different_amount';
    }
    const state = this.pendings.get(pendingId);
    if (!state) throw new Error(`ledger snapshot lacks the state of pending transfer ${pendingId}`);
    if (state.status === 'posted') return 'pending_transfer_already_posted';
    if (state.status === 'voided') return 'pending_transfer_already_voided';
    if (state.status === 'expired') return 'pending_transfer_expired';
    const debit = this.requireAccount(reserved.debit_account_id);
    const credit = this.requireAccount(reserved.credit_account_id);
    if (post && hasFlag(debit.flags, AccountFlags.closed)) return 'debit_account_closed';
    if (post && hasFlag(credit.flags, AccountFlags.closed)) return 'credit_account_closed';

    const moved = post ? amount || reserved.amount : reserved.amount;
    this.saveBalances(debit);
    this.saveBalances(credit);
    debit.debits_pending -= reserved.amount;
    credit.credits_pending -= reserved.amount;
    if (post) {
      debit.debits_posted += moved;
      credit.credits_posted += moved;
    }
    this.setStatus(state, post ? 'posted' : 'voided');
    this.addTransfer({
      id: item.id,
      debit_account_id: reserved.debit_account_id,
      credit_account_id: reserved.credit_account_id,
      amount: moved,
      commodity: reserved.commodity,
      code: item.code || reserved.code,
      flags,
      pending_id: pendingId,
      timeout_seconds: 0,
      actor_id: this.actorId,
      references_json: referencesJson(item.references),
      created_at: this.nowIso,
    });
    return 'created';
  }

  /** Same id again: `exists` when the content matches, else the first field that differs. */
  private compareExisting(
    item: TransferInput,
    flags: number,
    existing: TransferRecord,
  ): TransferResultCode {
    if (flags !== existing.flags) return 'exists_with_different_flags';
    const postOrVoidItem = (flags & postOrVoid) !== 0;
    if ((item.pending_id || null) !== existing.pending_id)
      return 'exists_with_different_pending_id';
    if ((item.timeout_seconds ?? 0) !== existing.timeout_seconds) {
      return 'exists_with_different_timeout';
    }
    if (postOrVoidItem) {
      if (item.debit_account_id && item.debit_account_id !== existing.debit_account_id) {
        return 'exists_with_different_debit_account_id';
      }
      if (item.credit_account_id && item.credit_account_id !== existing.credit_account_id) {
        return 'exists_with_different_credit_account_id';
      }
      const requested = item.amount ?? 0;
      if (requested !== 0 ? requested !== existing.amount : !this.postedInFull(existing)) {
        return 'exists_with_different_amount';
      }
    } else {
      if ((item.debit_account_id ?? '') !== existing.debit_account_id) {
        return 'exists_with_different_debit_account_id';
      }
      if ((item.credit_account_id ?? '') !== existing.credit_account_id) {
        return 'exists_with_different_credit_account_id';
      }
      if ((item.amount ?? 0) !== existing.amount) return 'exists_with_different_amount';
    }
    if (referencesJson(item.references) !== existing.references_json) {
      return 'exists_with_different_references';
    }
    if (item.commodity && item.commodity !== existing.commodity) {
      return 'exists_with_different_commodity';
    }
    const code = item.code ?? '';
    if (postOrVoidItem ? code !== '' && code !== existing.code : code !== existing.code) {
      return 'exists_with_different_code';
    }
    return 'exists';
  }

  /** A stored post or void that moved its pending's whole amount (what amount 0 asks for). */
  private postedInFull(existing: TransferRecord): boolean {
    const reserved = this.requireTransfer(existing.pending_id ?? '');
    return existing.amount === reserved.amount;
  }

  private recordFailure(id: string, result: TransferResultCode): TransferResultCode {
    if (isStateCode(result)) {
      this.failures.set(id, result);
      this.newFailures.push({ id, code: result });
    }
    return result;
  }

  private addTransfer(transfer: TransferRecord): void {
    this.transfers.set(transfer.id, transfer);
    this.created.push(transfer);
    this.undo?.push(() => this.transfers.delete(transfer.id));
  }

  private addPending(pending: PendingState): void {
    this.pendings.set(pending.id, pending);
    this.newPendings.add(pending.id);
    this.undo?.push(() => {
      this.pendings.delete(pending.id);
      this.newPendings.delete(pending.id);
    });
  }

  private setStatus(pending: PendingState, status: PendingStatus): void {
    const previous = pending.status;
    pending.status = status;
    this.undo?.push(() => {
      pending.status = previous;
    });
  }

  private saveBalances(account: AccountState): void {
    if (!this.undo) return;
    const { debits_posted, credits_posted, debits_pending, credits_pending } = account;
    this.undo.push(() => {
      account.debits_posted = debits_posted;
      account.credits_posted = credits_posted;
      account.debits_pending = debits_pending;
      account.credits_pending = credits_pending;
    });
  }

  /** The working copy of an account, or undefined when the snapshot has no such account. */
  private account(id: string): AccountState | undefined {
    let account = this.accounts.get(id);
    if (account) return account;
    const stored = this.snapshot.accounts.get(id);
    if (!stored) return undefined;
    account = { ...stored };
    this.accounts.set(id, account);
    return account;
  }

  private requireAccount(id: string): AccountState {
    const account = this.account(id);
    if (!account) throw new Error(`ledger snapshot lacks account ${id} of a pending transfer`);
    return account;
  }

  private requireTransfer(id: string): TransferRecord {
    const transfer = this.transfers.get(id);
    if (!transfer) throw new Error(`ledger snapshot lacks pending transfer ${id}`);
    return transfer;
  }

  private pendingChanges(): PendingState[] {
    const changes: PendingState[] = [];
    for (const [id, before] of this.snapshot.pendings) {
      const after = this.pendings.get(id) as PendingState;
      if (after.status !== before.status) changes.push(after);
    }
    return changes;
  }

  private deltas(): Map<string, AccountBalances> {
    const deltas = new Map<string, AccountBalances>();
    for (const [id, after] of this.accounts) {
      const before = this.snapshot.accounts.get(id) as AccountState;
      const delta = {
        debits_posted: after.debits_posted - before.debits_posted,
        credits_posted: after.credits_posted - before.credits_posted,
        debits_pending: after.debits_pending - before.debits_pending,
        credits_pending: after.credits_pending - before.credits_pending,
      };
      if (
        delta.debits_posted ||
        delta.credits_posted ||
        delta.debits_pending ||
        delta.credits_pending
      ) {
        deltas.set(id, delta);
      }
    }
    return deltas;
  }
}
