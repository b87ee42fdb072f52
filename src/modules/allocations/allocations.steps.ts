/**
 * The steps of an approved plan, each ledger transfers in one transaction with its status
 * change (see allocations.service.ts for the whole life): approve holds, dispatch sends
 * pending transfers into transit, receive posts what arrived and records the shortfall as lost
 * in transit, cancel releases a hold.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { stockAccountId } from '../../domain/entitlement/accounts.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import {
  TransferFlags,
  type TransferInput,
  type TransferResult,
} from '../../domain/ledger/ledger.js';
import {
  allocationTransferId,
  lotAccountId,
  storeSystemAccountId,
  storeSystemAccounts,
  storeTransferCodes,
  type HolderKind,
} from '../../domain/stores/accounts.js';
import { ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { createTransfers } from '../ledger/ledger.service.js';
import {
  ensureAccounts,
  findLots,
  lotAccountInputs,
  lotStatus,
  postTransfers,
  type LotRecord,
} from '../lots/lots.service.js';
import { stockAccountInputs } from '../stock/stock.service.js';
import {
  changeStatus,
  findLines,
  setReceivedQuantities,
  type AllocationLineRecord,
  type AllocationRecord,
} from './allocations.repository.js';
import type { AllocationView, ReceiveAllocationInput } from './allocations.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

import {
  audit,
  insufficientStock,
  lotNotReleased,
  requireAllocation,
  view,
  wrongState,
} from './allocations.present.js';
/** Chains the batch: each item but the last is linked to the next (all or nothing). */
function linked(batch: TransferInput[]): TransferInput[] {
  return batch.map((item, index) =>
    index < batch.length - 1 ? { ...item, flags: (item.flags ?? 0) | TransferFlags.linked } : item,
  );
}

/** Lines' lots, refusing any that is not released or is past its expiry (409 lot-not-released). */
async function releasedLots(
  db: Executor,
  lines: readonly AllocationLineRecord[],
  clock: Clock,
): Promise<Map<string, LotRecord>> {
  const lots = new Map(
    (await findLots(db, [...new Set(lines.map((line) => line.lot_id))])).map((lot) => [
      lot.id,
      lot,
    ]),
  );
  for (const lot of lots.values()) {
    const status = lotStatus(lot, clock);
    if (status !== 'released') throw lotNotReleased(lot, status);
  }
  return lots;
}

/** Approves a draft: holds each line's quantity (available -> allocated) in one linked batch. */
export async function approveAllocation(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<AllocationView> {
  return writeTransaction(storage, async (trx) => {
    const row = await requireAllocation(trx, actor, id);
    if (row.status === 'approved') return view(trx, id);
    if (row.status !== 'draft') throw wrongState(row, 'approved');
    const lines = await findLines(trx, [id]);
    await releasedLots(trx, lines, clock);
    const batch = linked(
      lines.map((line) => ({
        id: allocationTransferId(id, Number(line.line_number), 'hold'),
        debit_account_id: lotAccountId(line.lot_id, 'warehouse', row.warehouse_id, 'available'),
        credit_account_id: lotAccountId(line.lot_id, 'warehouse', row.warehouse_id, 'allocated'),
        amount: Number(line.quantity),
        commodity: line.commodity,
        code: storeTransferCodes.allocationHold,
        references: { allocation_id: id, lot_id: line.lot_id },
      })),
    );
    const results = await createTransfers(trx, batch, { actor, clock });
    throwIfShort(results, lines);
    const nowIso = clock().toISOString();
    await changeStatus(trx, id, 'draft', {
      status: 'approved',
      approved_by: actor.userId,
      approved_at: nowIso,
    });
    await audit(trx, actor, 'allocation.approve', id, ['status'], clock);
    return view(trx, id);
  });
}

/** 409 insufficient-stock for a hold the ledger refused as an overdraw; a bug for anything else. */
function throwIfShort(
  results: readonly TransferResult[],
  lines: readonly AllocationLineRecord[],
): void {
  const short = results.findIndex((result) => result.result === 'exceeds_credits');
  if (short >= 0) throw insufficientStock(lines[short]!.commodity, lines[short]!.lot_id);
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (failed) throw new Error(`allocation transfer ${failed.id}: ${failed.result}`);
}

function recipientAccount(
  row: AllocationRecord,
  line: AllocationLineRecord,
): { id: string; inputs: AccountInput[] } {
  if (row.recipient_kind === 'service_point') {
    return {
      id: stockAccountId(row.recipient_id, line.commodity),
      inputs: stockAccountInputs(row.recipient_id, line.commodity),
    };
  }
  const kind = row.recipient_kind as HolderKind;
  return {
    id: lotAccountId(line.lot_id, kind, row.recipient_id, 'available'),
    inputs: lotAccountInputs(line.lot_id, line.commodity, kind, row.recipient_id),
  };
}

/** Dispatches an approved allocation: pending transfers allocated -> recipient (in transit). */
export async function dispatchAllocation(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<AllocationView> {
  return writeTransaction(storage, async (trx) => {
    const row = await requireAllocation(trx, actor, id);
    if (row.status === 'dispatched') return view(trx, id);
    if (row.status !== 'approved') throw wrongState(row, 'dispatched');
    const lines = await findLines(trx, [id]);
    await releasedLots(trx, lines, clock);
    const targets = lines.map((line) => recipientAccount(row, line));
    await ensureAccounts(
      trx,
      targets.flatMap((target) => target.inputs),
      clock,
    );
    await postTransfers(
      trx,
      linked(
        lines.map((line, index) => ({
          id: allocationTransferId(id, Number(line.line_number), 'dispatch'),
          debit_account_id: lotAccountId(line.lot_id, 'warehouse', row.warehouse_id, 'allocated'),
          credit_account_id: targets[index]!.id,
          amount: Number(line.quantity),
          commodity: line.commodity,
          code: storeTransferCodes.allocationDispatch,
          flags: TransferFlags.pending,
          references: { allocation_id: id, lot_id: line.lot_id },
        })),
      ),
      actor,
      clock,
    );
    await changeStatus(trx, id, 'approved', {
      status: 'dispatched',
      dispatched_by: actor.userId,
      dispatched_at: clock().toISOString(),
    });
    await audit(trx, actor, 'allocation.dispatch', id, ['status'], clock);
    return view(trx, id);
  });
}

/**
 * What arrived of each line: everything when no lines are given; else each given quantity goes
 * to the lines of its commodity (and lot, when named) in order, none beyond what was dispatched.
 */
function receivedPerLine(
  lines: readonly AllocationLineRecord[],
  input: ReceiveAllocationInput,
): number[] {
  if (input.lines === undefined) return lines.map((line) => Number(line.quantity));
  const received = lines.map(() => 0);
  const issues: FieldIssue[] = [];
  input.lines.forEach((given, index) => {
    let left = given.quantity;
    lines.forEach((line, lineIndex) => {
      if (line.commodity !== given.commodity) return;
      if (given.lot_id !== undefined && line.lot_id !== given.lot_id) return;
      const take = Math.min(left, Number(line.quantity) - received[lineIndex]!);
      received[lineIndex]! += take;
      left -= take;
    });
    if (left > 0) {
      issues.push({
        path: `/lines/${index}/quantity`,
        message: 'is more than was dispatched of this commodity (and lot)',
      });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return received;
}

/** Confirms receipt of a dispatched allocation, in part or in full; the shortfall is a loss in transit. */
export async function receiveAllocation(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  input: ReceiveAllocationInput,
  clock: Clock,
): Promise<AllocationView> {
  return writeTransaction(storage, async (trx) => {
    const row = await requireAllocation(trx, actor, id);
    if (row.status !== 'dispatched') throw wrongState(row, 'received');
    const lines = await findLines(trx, [id]);
    const received = receivedPerLine(lines, input);
    const batch: TransferInput[] = [];
    lines.forEach((line, index) => {
      const number = Number(line.line_number);
      const got = received[index]!;
      const shortfall = Number(line.quantity) - got;
      const pendingId = allocationTransferId(id, number, 'dispatch');
      const references = { allocation_id: id, lot_id: line.lot_id };
      batch.push(
        got > 0
          ? {
              id: allocationTransferId(id, number, 'receive'),
              pending_id: pendingId,
              amount: got,
              flags: TransferFlags.postPending,
              code: storeTransferCodes.allocationReceipt,
              references,
            }
          : {
              id: allocationTransferId(id, number, 'void'),
              pending_id: pendingId,
              flags: TransferFlags.voidPending,
              code: storeTransferCodes.lossInTransit,
              references,
            },
      );
      if (shortfall > 0) {
        batch.push({
          id: allocationTransferId(id, number, 'loss'),
          debit_account_id: lotAccountId(line.lot_id, 'warehouse', row.warehouse_id, 'allocated'),
          credit_account_id: storeSystemAccountId(
            storeSystemAccounts.lostInTransit,
            line.commodity,
          ),
          amount: shortfall,
          commodity: line.commodity,
          code: storeTransferCodes.lossInTransit,
          references,
        });
      }
    });
    await postTransfers(trx, linked(batch), actor, clock);
    await setReceivedQuantities(
      trx,
      lines.map((line, index) => ({ id: line.id, received: received[index]! })),
    );
    await changeStatus(trx, id, 'dispatched', {
      status: 'received',
      received_by: actor.userId,
      received_at: clock().toISOString(),
    });
    await audit(trx, actor, 'allocation.receive', id, ['status', 'lines'], clock);
    return view(trx, id);
  });
}

/** Cancels a draft or an approved allocation (releasing its hold); 409 once dispatched. */
export async function cancelAllocation(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<AllocationView> {
  return writeTransaction(storage, async (trx) => {
    const row = await requireAllocation(trx, actor, id);
    if (row.status === 'cancelled') return view(trx, id);
    if (row.status !== 'draft' && row.status !== 'approved') throw wrongState(row, 'cancelled');
    if (row.status === 'approved') {
      const lines = await findLines(trx, [id]);
      await postTransfers(
        trx,
        linked(
          lines.map((line) => ({
            id: allocationTransferId(id, Number(line.line_number), 'release'),
            debit_account_id: lotAccountId(line.lot_id, 'warehouse', row.warehouse_id, 'allocated'),
            credit_account_id: lotAccountId(
              line.lot_id,
              'warehouse',
              row.warehouse_id,
              'available',
            ),
            amount: Number(line.quantity),
            commodity: line.commodity,
            code: storeTransferCodes.allocationRelease,
            references: { allocation_id: id, lot_id: line.lot_id },
          })),
        ),
        actor,
        clock,
      );
    }
    await changeStatus(trx, id, row.status, {
      status: 'cancelled',
      cancelled_at: clock().toISOString(),
    });
    await audit(trx, actor, 'allocation.cancel', id, ['status'], clock);
    return view(trx, id);
  });
}
