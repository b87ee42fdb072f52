import { describe, expect, it } from 'vitest';
import {
  AccountFlags,
  TransferFlags,
  type AccountState,
  type PendingState,
  type TransferInput,
  type TransferRecord,
} from './ledger.js';
import { batchReferences, planTransfers, type LedgerSnapshot } from './transfers.js';

const now = new Date('2026-03-01T10:00:00.000Z');

function account(id: string, overrides: Partial<AccountState> = {}): AccountState {
  return {
    id,
    commodity: 'bread',
    flags: 0,
    debits_posted: 0,
    credits_posted: 0,
    debits_pending: 0,
    credits_pending: 0,
    ...overrides,
  };
}

function stored(overrides: Partial<TransferRecord> & { id: string }): TransferRecord {
  return {
    debit_account_id: 'source',
    credit_account_id: 'household',
    amount: 10,
    commodity: 'bread',
    code: 'entitlement_credit',
    flags: 0,
    pending_id: null,
    timeout_seconds: 0,
    actor_id: null,
    references_json: null,
    created_at: '2026-03-01T09:00:00.000Z',
    ...overrides,
  };
}

function snapshot(
  parts: {
    accounts?: AccountState[];
    transfers?: TransferRecord[];
    pendings?: PendingState[];
    failures?: [string, string][];
  } = {},
): LedgerSnapshot {
  const accounts = parts.accounts ?? [
    account('source'),
    account('household', { flags: AccountFlags.debitsMustNotExceedCredits, credits_posted: 10 }),
    account('delivered'),
    account('oil-source', { commodity: 'oil' }),
  ];
  return {
    accounts: new Map(accounts.map((a) => [a.id, a])),
    transfers: new Map((parts.transfers ?? []).map((t) => [t.id, t])),
    pendings: new Map((parts.pendings ?? []).map((p) => [p.id, p])),
    failures: new Map(parts.failures ?? []),
  };
}

function redemption(
  id: string,
  amount: number,
  overrides: Partial<TransferInput> = {},
): TransferInput {
  return {
    id,
    debit_account_id: 'household',
    credit_account_id: 'delivered',
    amount,
    code: 'redemption',
    ...overrides,
  };
}

function codes(batch: TransferInput[], state: LedgerSnapshot = snapshot(), at = now): string[] {
  return planTransfers(batch, state, at, 'user-1').results.map((r) => r.result);
}

describe('planTransfers: single transfers', () => {
  it('creates a transfer, moves the balances and records who and when', () => {
    const plan = planTransfers(
      [redemption('t1', 4, { references: { run: 'r1', household: 'h1' } })],
      snapshot(),
      now,
      'user-1',
    );
    expect(plan.results).toEqual([{ id: 't1', result: 'created' }]);
    expect(plan.transfers).toEqual([
      {
        id: 't1',
        debit_account_id: 'household',
        credit_account_id: 'delivered',
        amount: 4,
        commodity: 'bread',
        code: 'redemption',
        flags: 0,
        pending_id: null,
        timeout_seconds: 0,
        actor_id: 'user-1',
        references_json: '{"household":"h1","run":"r1"}',
        created_at: now.toISOString(),
      },
    ]);
    expect(Object.fromEntries(plan.deltas)).toEqual({
      household: { debits_posted: 4, credits_posted: 0, debits_pending: 0, credits_pending: 0 },
      delivered: { debits_posted: 0, credits_posted: 4, debits_pending: 0, credits_pending: 0 },
    });
    expect(plan.failures).toEqual([]);
  });

  it('answers each pure validation failure without recording the id', () => {
    const plan = planTransfers(
      [
        redemption('', 1),
        redemption('a', 1, { flags: 16 }),
        redemption('b', 1, { flags: TransferFlags.pending | TransferFlags.postPending }),
        redemption('c', 0),
        redemption('d', -3),
        redemption('e', 1.5),
        redemption('f', 1, { credit_account_id: 'household' }),
        redemption('g', 1, { code: '' }),
        redemption('h', 1, { pending_id: 'p' }),
        redemption('i', 1, { timeout_seconds: 5 }),
        redemption('j', 1, { debit_account_id: null }),
        { id: 'k', flags: TransferFlags.postPending },
        { id: 'l', flags: TransferFlags.voidPending, pending_id: 'l' },
        redemption('m', 1, { flags: TransferFlags.pending, timeout_seconds: -1 }),
        redemption('n', 1, { flags: TransferFlags.pending, timeout_seconds: 2 ** 31 }),
      ],
      snapshot(),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual([
      'id_must_not_be_empty',
      'reserved_flag',
      'flags_are_mutually_exclusive',
      'amount_must_be_positive',
      'amount_must_be_positive',
      'amount_must_be_positive',
      'accounts_must_be_different',
      'code_must_not_be_empty',
      'pending_id_must_be_empty',
      'timeout_reserved_for_pending_transfer',
      'debit_account_id_must_not_be_empty',
      'pending_id_must_not_be_empty',
      'pending_id_must_be_different',
      'timeout_must_be_valid',
      'timeout_must_be_valid',
    ]);
    expect(plan.failures).toEqual([]);
    expect(plan.transfers).toEqual([]);
  });

  it('answers state-dependent failures and records them', () => {
    const state = snapshot({
      accounts: [
        account('source'),
        account('household', {
          flags: AccountFlags.debitsMustNotExceedCredits,
          credits_posted: 10,
        }),
        account('delivered'),
        account('oil-source', { commodity: 'oil' }),
        account('shut', { flags: AccountFlags.closed }),
        account('capped', { flags: AccountFlags.creditsMustNotExceedDebits, debits_posted: 3 }),
      ],
    });
    const plan = planTransfers(
      [
        redemption('a', 1, { debit_account_id: 'ghost' }),
        redemption('b', 1, { credit_account_id: 'ghost' }),
        redemption('c', 1, { credit_account_id: 'oil-source' }),
        redemption('d', 1, { commodity: 'oil' }),
        redemption('e', 1, { debit_account_id: 'shut' }),
        redemption('f', 1, { credit_account_id: 'shut' }),
        redemption('g', 11),
        redemption('h', 4, { debit_account_id: 'source', credit_account_id: 'capped' }),
      ],
      state,
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual([
      'debit_account_not_found',
      'credit_account_not_found',
      'accounts_must_have_the_same_commodity',
      'commodity_must_match_accounts',
      'debit_account_closed',
      'credit_account_closed',
      'exceeds_credits',
      'exceeds_debits',
    ]);
    expect(plan.failures.map((f) => f.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('lets a limited account spend exactly its credits and no more', () => {
    expect(codes([redemption('a', 6), redemption('b', 4), redemption('c', 1)])).toEqual([
      'created',
      'created',
      'exceeds_credits',
    ]);
  });
});

describe('planTransfers: idempotency', () => {
  const first = stored({
    id: 't1',
    debit_account_id: 'household',
    credit_account_id: 'delivered',
    amount: 4,
    code: 'redemption',
    references_json: '{"run":"r1"}',
  });

  it('answers exists for the same content, whatever the key order of references', () => {
    expect(
      codes([redemption('t1', 4, { references: { run: 'r1' } })], snapshot({ transfers: [first] })),
    ).toEqual(['exists']);
  });

  it('names the first field that differs, flags first', () => {
    const state = snapshot({ transfers: [first] });
    const same = { references: { run: 'r1' } };
    expect(
      codes(
        [
          redemption('t1', 5, { ...same, flags: TransferFlags.pending }),
          redemption('t1', 5, { ...same, debit_account_id: 'source' }),
          redemption('t1', 4, { ...same, credit_account_id: 'source' }),
          redemption('t1', 5, same),
          redemption('t1', 4, { references: { run: 'r2' } }),
          redemption('t1', 4, { ...same, commodity: 'oil' }),
          redemption('t1', 4, { ...same, code: 'loss' }),
          redemption('t1', 4, { ...same, pending_id: 'x' }),
        ],
        state,
      ),
    ).toEqual([
      'exists_with_different_flags',
      'exists_with_different_debit_account_id',
      'exists_with_different_credit_account_id',
      'exists_with_different_amount',
      'exists_with_different_references',
      'exists_with_different_commodity',
      'exists_with_different_code',
      'exists_with_different_pending_id',
    ]);
  });

  it('treats a repeated id in the same batch like a retry', () => {
    expect(codes([redemption('t1', 4), redemption('t1', 4), redemption('t1', 3)])).toEqual([
      'created',
      'exists',
      'exists_with_different_amount',
    ]);
  });

  it('keeps an id that failed on state failed forever, but not one that failed validation', () => {
    const plan = planTransfers(
      [redemption('a', 11), redemption('a', 1), redemption('b', 0), redemption('b', 1)],
      snapshot({ failures: [['old', 'exceeds_credits']] }),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual([
      'exceeds_credits',
      'id_already_failed',
      'amount_must_be_positive',
      'created',
    ]);
    expect(
      codes([redemption('old', 1)], snapshot({ failures: [['old', 'exceeds_credits']] })),
    ).toEqual(['id_already_failed']);
  });
});

describe('planTransfers: linked chains', () => {
  const linked = { flags: TransferFlags.linked };

  it('commits a chain whole when every item succeeds', () => {
    const plan = planTransfers(
      [redemption('a', 3, linked), redemption('b', 3, linked), redemption('c', 3)],
      snapshot(),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual(['created', 'created', 'created']);
    expect(plan.deltas.get('household')?.debits_posted).toBe(9);
  });

  it('fails a chain whole: the failing item has its code, the others linked_event_failed', () => {
    const plan = planTransfers(
      [
        redemption('before', 1),
        redemption('a', 3, linked),
        redemption('b', 5, linked),
        redemption('c', 3, linked),
        redemption('d', 1),
        redemption('after', 1),
      ],
      snapshot(),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual([
      'created',
      'linked_event_failed',
      'linked_event_failed',
      'exceeds_credits',
      'linked_event_failed',
      'created',
    ]);
    expect(plan.transfers.map((t) => t.id)).toEqual(['before', 'after']);
    expect(plan.deltas.get('household')?.debits_posted).toBe(2);
    expect(plan.failures).toEqual([{ id: 'c', code: 'exceeds_credits' }]);
  });

  it('rejects a chain left open at the end of the batch', () => {
    expect(
      codes([redemption('a', 1), redemption('b', 1, linked), redemption('c', 1, linked)]),
    ).toEqual(['created', 'linked_event_failed', 'linked_event_chain_open']);
  });

  it('answers exists throughout when a committed chain is retried', () => {
    const chain = [redemption('a', 3, linked), redemption('b', 3)];
    const first = planTransfers(chain, snapshot(), now, null);
    const retried = codes(chain, snapshot({ transfers: first.transfers }));
    expect(retried).toEqual(['exists', 'exists']);
  });

  it('rolls back a pending created earlier in a failed chain', () => {
    const plan = planTransfers(
      [
        redemption('p', 3, { flags: TransferFlags.linked | TransferFlags.pending }),
        { id: 'post', pending_id: 'p', flags: TransferFlags.postPending | TransferFlags.linked },
        redemption('boom', 100),
      ],
      snapshot(),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual([
      'linked_event_failed',
      'linked_event_failed',
      'exceeds_credits',
    ]);
    expect(plan.pendings).toEqual([]);
    expect(plan.transfers).toEqual([]);
    expect(plan.deltas.size).toBe(0);
  });
});

describe('planTransfers: two-phase transfers', () => {
  const reserve = stored({
    id: 'p1',
    debit_account_id: 'household',
    credit_account_id: 'delivered',
    amount: 6,
    code: 'reservation',
    flags: TransferFlags.pending,
    timeout_seconds: 3600,
  });
  const reserved = [
    account('source'),
    account('household', {
      flags: AccountFlags.debitsMustNotExceedCredits,
      credits_posted: 10,
      debits_pending: 6,
    }),
    account('delivered', { credits_pending: 6 }),
  ];
  const open = (status: PendingState['status'] = 'pending'): LedgerSnapshot =>
    snapshot({
      accounts: reserved,
      transfers: [reserve],
      pendings: [{ id: 'p1', status, expires_at: '2026-03-01T11:00:00.000Z' }],
    });

  it('reserves, counting the reservation against the limit', () => {
    const plan = planTransfers(
      [
        redemption('p', 7, { flags: TransferFlags.pending, timeout_seconds: 60 }),
        redemption('x', 4),
      ],
      snapshot(),
      now,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual(['created', 'exceeds_credits']);
    expect(plan.pendings).toEqual([
      { id: 'p', status: 'pending', expires_at: '2026-03-01T10:01:00.000Z' },
    ]);
    expect(plan.deltas.get('household')).toEqual({
      debits_posted: 0,
      credits_posted: 0,
      debits_pending: 7,
      credits_pending: 0,
    });
  });

  it('posts part of a reservation and releases the rest', () => {
    const plan = planTransfers(
      [{ id: 'post', pending_id: 'p1', flags: TransferFlags.postPending, amount: 4 }],
      open(),
      now,
      'user-2',
    );
    expect(plan.results[0]?.result).toBe('created');
    expect(plan.transfers[0]).toMatchObject({
      debit_account_id: 'household',
      credit_account_id: 'delivered',
      amount: 4,
      code: 'reservation',
      pending_id: 'p1',
    });
    expect(plan.pendingChanges).toEqual([
      { id: 'p1', status: 'posted', expires_at: '2026-03-01T11:00:00.000Z' },
    ]);
    expect(plan.deltas.get('household')).toEqual({
      debits_posted: 4,
      credits_posted: 0,
      debits_pending: -6,
      credits_pending: 0,
    });
  });

  it('posts the whole amount when the amount is left out, and voids', () => {
    const posted = planTransfers(
      [{ id: 'post', pending_id: 'p1', flags: TransferFlags.postPending }],
      open(),
      now,
      null,
    );
    expect(posted.transfers[0]?.amount).toBe(6);
    const voided = planTransfers(
      [{ id: 'void', pending_id: 'p1', flags: TransferFlags.voidPending }],
      open(),
      now,
      null,
    );
    expect(voided.pendingChanges[0]?.status).toBe('voided');
    expect(voided.deltas.get('delivered')).toEqual({
      debits_posted: 0,
      credits_posted: 0,
      debits_pending: 0,
      credits_pending: -6,
    });
  });

  it('posts or voids a pending only once', () => {
    expect(
      codes(
        [
          { id: 'post', pending_id: 'p1', flags: TransferFlags.postPending },
          { id: 'post-again', pending_id: 'p1', flags: TransferFlags.postPending },
          { id: 'void', pending_id: 'p1', flags: TransferFlags.voidPending },
        ],
        open(),
      ),
    ).toEqual(['created', 'pending_transfer_already_posted', 'pending_transfer_already_posted']);
    expect(
      codes([{ id: 'post', pending_id: 'p1', flags: TransferFlags.postPending }], open('voided')),
    ).toEqual(['pending_transfer_already_voided']);
  });

  it('checks the pending it names', () => {
    const single = stored({ id: 's1' });
    const state = snapshot({
      accounts: reserved,
      transfers: [reserve, single],
      pendings: [{ id: 'p1', status: 'pending', expires_at: null }],
    });
    expect(
      codes(
        [
          { id: 'a', pending_id: 'nope', flags: TransferFlags.postPending },
          { id: 'b', pending_id: 's1', flags: TransferFlags.postPending },
          {
            id: 'c',
            pending_id: 'p1',
            flags: TransferFlags.postPending,
            debit_account_id: 'source',
          },
          {
            id: 'd',
            pending_id: 'p1',
            flags: TransferFlags.postPending,
            credit_account_id: 'source',
          },
          { id: 'e', pending_id: 'p1', flags: TransferFlags.postPending, amount: 7 },
          { id: 'f', pending_id: 'p1', flags: TransferFlags.voidPending, amount: 5 },
          { id: 'g', pending_id: 'p1', flags: TransferFlags.postPending, commodity: 'oil' },
        ],
        state,
      ),
    ).toEqual([
      'pending_transfer_not_found',
      'pending_transfer_not_pending',
      'pending_transfer_has_different_debit_account',
      'pending_transfer_has_different_credit_account',
      'exceeds_pending_transfer_amount',
      'pending_transfer_has_different_amount',
      'pending_transfer_has_different_commodity',
    ]);
  });

  it('releases an expired reservation first, then refuses to post it', () => {
    const later = new Date('2026-03-01T11:00:00.000Z');
    const plan = planTransfers(
      [{ id: 'post', pending_id: 'p1', flags: TransferFlags.postPending }, redemption('spend', 10)],
      open(),
      later,
      null,
    );
    expect(plan.results.map((r) => r.result)).toEqual(['pending_transfer_expired', 'created']);
    expect(plan.expired).toEqual(['p1']);
    expect(plan.pendingChanges).toEqual([
      { id: 'p1', status: 'expired', expires_at: '2026-03-01T11:00:00.000Z' },
    ]);
    expect(plan.failures).toEqual([{ id: 'post', code: 'pending_transfer_expired' }]);
    expect(plan.deltas.get('household')).toEqual({
      debits_posted: 10,
      credits_posted: 0,
      debits_pending: -6,
      credits_pending: 0,
    });
  });

  it('writes a pending created and posted in one batch with its final status', () => {
    const plan = planTransfers(
      [
        redemption('p', 5, { flags: TransferFlags.pending }),
        { id: 'post', pending_id: 'p', flags: TransferFlags.postPending, amount: 2 },
      ],
      snapshot(),
      now,
      null,
    );
    expect(plan.pendings).toEqual([{ id: 'p', status: 'posted', expires_at: null }]);
    expect(plan.deltas.get('household')).toEqual({
      debits_posted: 2,
      credits_posted: 0,
      debits_pending: 0,
      credits_pending: 0,
    });
  });

  it('answers exists for a retried post that left the amount out', () => {
    const post = stored({
      id: 'post',
      debit_account_id: 'household',
      credit_account_id: 'delivered',
      amount: 6,
      code: 'reservation',
      flags: TransferFlags.postPending,
      pending_id: 'p1',
    });
    const state = snapshot({
      accounts: reserved,
      transfers: [reserve, post],
      pendings: [{ id: 'p1', status: 'posted', expires_at: null }],
    });
    expect(
      codes(
        [
          { id: 'post', pending_id: 'p1', flags: TransferFlags.postPending },
          { id: 'post', pending_id: 'p1', flags: TransferFlags.postPending, amount: 6 },
          { id: 'post', pending_id: 'p1', flags: TransferFlags.postPending, amount: 5 },
        ],
        state,
      ),
    ).toEqual(['exists', 'exists', 'exists_with_different_amount']);
  });

  it('refuses to post to a closed account but lets a reservation be voided', () => {
    const closed = reserved.map((a) =>
      a.id === 'delivered' ? { ...a, flags: AccountFlags.closed } : a,
    );
    const state = snapshot({
      accounts: closed,
      transfers: [reserve],
      pendings: [{ id: 'p1', status: 'pending', expires_at: null }],
    });
    expect(
      codes(
        [
          { id: 'post', pending_id: 'p1', flags: TransferFlags.postPending },
          { id: 'void', pending_id: 'p1', flags: TransferFlags.voidPending },
        ],
        state,
      ),
    ).toEqual(['credit_account_closed', 'created']);
  });
});

describe('batchReferences', () => {
  it('lists the ids a batch names once each', () => {
    expect(
      batchReferences([
        redemption('a', 1),
        redemption('a', 1),
        { id: 'b', pending_id: 'p', flags: TransferFlags.voidPending },
        { id: 'c', pending_id: 'q' },
      ]),
    ).toEqual({
      transferIds: ['a', 'b', 'c'],
      pendingIds: ['p'],
      accountIds: ['household', 'delivered'],
    });
  });
});
