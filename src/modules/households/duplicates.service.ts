/**
 * Review of likely duplicates flagged at registration: keep both, or merge one household into
 * the other. A merge deletes nothing: the merged-away household gets status `merged` with
 * `merged_into`, its cards are revoked, and what its ledger accounts hold is carried over to the
 * kept household's accounts by transfers, in one transaction.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ownerKinds } from '../../domain/entitlement/accounts.js';
import { AccountFlags } from '../../domain/ledger/ledger.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents, recordPersonalDataReads } from '../audit/audit.service.js';
import { revokeHouseholdCards } from '../cards/cards.service.js';
import { carryCycleMemberships } from '../cycles/cycles.service.js';
import { createAccounts, createTransfers, getOwnedAccounts } from '../ledger/ledger.service.js';
import {
  countCandidates,
  findCandidate,
  listCandidates,
  updateCandidate,
  type CandidateSide,
  type CandidateWithSides,
} from './duplicates.repository.js';
import { fullName } from './households.names.js';
import { updateHousehold } from './households.repository.js';
import type {
  DuplicateCandidateView,
  DuplicateListInput,
  ResolveDuplicateInput,
} from './households.schema.js';
import { decodeCursor, encodeCursor } from './households.search.js';
import { todayIso } from './households.shared.js';

/** The transfer code of a balance carried from a merged household to the kept one. */
export const mergeTransferCode = 'household_merge';

function presentSide(side: CandidateSide) {
  return {
    id: side.id,
    card_number: side.card_number,
    head_full_name: fullName({ ...side, head_name_latin: null }),
    household_size: side.household_size,
    area_pcode: side.area_pcode,
    status: side.status,
  };
}

function presentCandidate(entry: CandidateWithSides): DuplicateCandidateView {
  return {
    ...entry.candidate,
    household: presentSide(entry.household),
    other_household: presentSide(entry.other),
  };
}

const sideFields = [
  'head_given_name',
  'head_father_name',
  'head_grandfather_name',
  'head_family_name',
];

/**
 * One page of likely duplicates (open by default) whose two households are both in the
 * actor's scope, with how many there are in all; the names shown are logged as reads of
 * personal data. With `count: 'only'` just the total: nothing personal is read.
 */
export async function listDuplicates(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: DuplicateListInput,
  clock: Clock,
): Promise<{ items: DuplicateCandidateView[]; next_cursor: string | null; total: number }> {
  const status = input.status ?? 'open';
  const total = await countCandidates(storage.db, actor.scope, status);
  if (input.count === 'only') return { items: [], next_cursor: null, total };
  const limit = input.limit ?? 50;
  const rows = await listCandidates(storage.db, actor.scope, {
    status,
    limit,
    ...(input.cursor !== undefined ? { afterId: decodeCursor(input.cursor) } : {}),
  });
  const page = rows.slice(0, limit);
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    page.flatMap((entry) => [entry.household.id, entry.other.id]),
    sideFields,
    clock,
  );
  const last = page[page.length - 1];
  return {
    items: page.map(presentCandidate),
    next_cursor: rows.length > limit && last ? encodeCursor(last.candidate.id) : null,
    total,
  };
}

export interface CarriedBalance {
  from_account_id: string;
  to_account_id: string;
  commodity: string;
  amount: number;
}

/** The kept household's counterpart of an account of the merged one. */
function counterpartId(accountId: string, mergedId: string, keptId: string): string {
  return accountId.includes(mergedId)
    ? accountId.split(mergedId).join(keptId)
    : `${accountId}:merged-into:${keptId}`;
}

/**
 * Carries what the merged household's accounts hold to the kept household's counterparts
 * (created when missing, with the same commodity and flags), as one linked batch of transfers:
 * all or nothing. Reserved amounts (pending) stay where they are, to be posted or voided there.
 */
async function carryBalances(
  trx: Executor,
  actor: Actor,
  candidateId: string,
  merged: CandidateSide,
  kept: CandidateSide,
  clock: Clock,
): Promise<CarriedBalance[]> {
  const accounts = await getOwnedAccounts(trx, ownerKinds.household, [merged.id], {
    forWrite: true,
  });
  const moves: (CarriedBalance & { reverse: boolean })[] = [];
  for (const account of accounts) {
    const credit = account.credits_posted - account.debits_posted - account.debits_pending;
    const debit = account.debits_posted - account.credits_posted - account.credits_pending;
    const to = counterpartId(account.id, merged.id, kept.id);
    if (credit > 0) {
      moves.push({
        from_account_id: account.id,
        to_account_id: to,
        commodity: account.commodity,
        amount: credit,
        reverse: false,
      });
    } else if (debit > 0) {
      moves.push({
        from_account_id: account.id,
        to_account_id: to,
        commodity: account.commodity,
        amount: debit,
        reverse: true,
      });
    }
  }
  if (moves.length === 0) return [];

  const created = await createAccounts(
    trx,
    moves.map((move) => {
      const source = accounts.find((account) => account.id === move.from_account_id);
      return {
        id: move.to_account_id,
        commodity: move.commodity,
        owner_kind: 'household',
        owner_id: kept.id,
        flags: (source?.flags ?? 0) & ~AccountFlags.closed,
      };
    }),
    clock,
  );
  const refused = created.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (refused) {
    throw new ConflictError(
      'merge-ledger-refused',
      'The kept household cannot take these balances.',
      {
        account_id: refused.id,
        result: refused.result,
      },
    );
  }

  // Entitlements are found through cycle membership.
  await carryCycleMemberships(trx, merged.id, kept);

  const results = await createTransfers(
    trx,
    moves.map((move, index) => ({
      id: `merge:${candidateId}:${move.from_account_id}`,
      debit_account_id: move.reverse ? move.to_account_id : move.from_account_id,
      credit_account_id: move.reverse ? move.from_account_id : move.to_account_id,
      amount: move.amount,
      commodity: move.commodity,
      code: mergeTransferCode,
      flags: index < moves.length - 1 ? 1 : 0,
      references: {
        household_id: merged.id,
        merged_into: kept.id,
        duplicate_candidate_id: candidateId,
      },
    })),
    { actor, clock },
  );
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'linked_event_failed',
  );
  if (failed) {
    throw new ConflictError('merge-ledger-refused', 'The balances could not be carried over.', {
      transfer_id: failed.id,
      result: failed.result,
    });
  }
  return moves.map(({ reverse: _reverse, ...move }) => move);
}

/**
 * Resolves a likely duplicate in the actor's scope: `keep_both` closes it as `kept`; `merge`
 * merges the other household into `keep` (one of the pair) and carries its balances over.
 * An already resolved candidate, or a household already merged, is a 409.
 */
export async function resolveDuplicate(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  input: ResolveDuplicateInput,
  clock: Clock,
): Promise<{ candidate: DuplicateCandidateView; transfers: CarriedBalance[] }> {
  return writeTransaction(storage, async (trx) => {
    const entry = await findCandidate(trx, actor.scope, id);
    if (!entry) throw new NotFoundError('duplicate candidate');
    if (entry.candidate.status !== 'open') {
      throw new ConflictError('duplicate-resolved', 'This duplicate was already resolved.', {
        status: entry.candidate.status,
      });
    }
    const now = clock().toISOString();
    let transfers: CarriedBalance[] = [];
    let keptId: string | null = null;

    if (input.action === 'merge') {
      const pair = [entry.household, entry.other];
      const kept = pair.find((side) => side.id === input.keep);
      const merged = pair.find((side) => side.id !== input.keep);
      if (input.keep === undefined || !kept || !merged) {
        throw new ValidationError([
          { path: '/keep', message: 'must be the id of one of the two households' },
        ]);
      }
      for (const side of pair) {
        if (side.status === 'merged') {
          throw new ConflictError(
            'household-merged',
            'One of these households was already merged.',
            {
              household_id: side.id,
            },
          );
        }
      }
      await updateHousehold(trx, merged.id, {
        status: 'merged',
        merged_into: kept.id,
        status_reason: 'duplicate',
        status_changed_on: todayIso(clock),
        updated_at: now,
      });
      await revokeHouseholdCards(trx, merged.id, 'merged', clock);
      transfers = await carryBalances(trx, actor, id, merged, kept, clock);
      keptId = kept.id;
      await appendAuditEvents(
        trx,
        [
          {
            actor,
            action: 'household.merge',
            entity: 'household',
            entityId: merged.id,
            fields: ['status', 'merged_into', 'status_reason', 'status_changed_on', 'card_number'],
          },
        ],
        clock,
      );
    }

    const changes = {
      status: input.action === 'merge' ? ('merged' as const) : ('kept' as const),
      kept_household_id: keptId,
      resolved_by: actor.userId,
      resolved_at: now,
    };
    await updateCandidate(trx, id, changes);
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'duplicate_candidate.resolve',
          entity: 'duplicate_candidate',
          entityId: id,
          fields: ['status', 'kept_household_id'],
        },
      ],
      clock,
    );
    const after = await findCandidate(trx, actor.scope, id);
    if (!after) throw new Error('resolved duplicate candidate vanished');
    return { candidate: presentCandidate(after), transfers };
  });
}
