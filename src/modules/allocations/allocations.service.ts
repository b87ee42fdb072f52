/**
 * Allocations: released stock of one warehouse assigned to a recipient. Each step is ledger
 * transfers on the lot's accounts (see src/domain/stores/accounts.ts), in one transaction
 * with the status change:
 *   draft -> approved: available -> allocated (the hold; racing approvals are serialised by
 *     the ledger's account locks and its no-overdraw flag, so a lot is never over-taken);
 *   approved -> dispatched: a pending transfer allocated -> the recipient (in transit);
 *   dispatched -> received: the pending is posted with what arrived, and the shortfall goes
 *     from allocated to the commodity's `lost_in_transit` sink, never silently;
 *   draft or approved -> cancelled: an approved hold is released (allocated -> available).
 * A service point receives into its ordinary stock account (so its counter can hand it out);
 * every other recipient holds the lot in lot accounts of its own.
 */
import { hash } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { stockAccountId } from '../../domain/entitlement/accounts.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import {
  canonicalJson,
  TransferFlags,
  type TransferInput,
  type TransferResult,
} from '../../domain/ledger/ledger.js';
import {
  allocationTransferId,
  lotAccountId,
  pickFirstExpiry,
  storeSystemAccountId,
  storeSystemAccounts,
  storeTransferCodes,
  type HolderKind,
} from '../../domain/stores/accounts.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createTransfers } from '../ledger/ledger.service.js';
import {
  allocatableLots,
  availableInWarehouse,
  ensureAccounts,
  findLots,
  lotAccountInputs,
  lotStatus,
  postTransfers,
  type LotRecord,
} from '../lots/lots.service.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import { findPartner } from '../partners/partners.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import { stockAccountInputs } from '../stock/stock.service.js';
import { getTeam } from '../teams/teams.service.js';
import {
  findWarehouse,
  listWarehouses,
  requireWarehouse,
} from '../warehouses/warehouses.service.js';
import {
  changeStatus,
  findAllocation,
  findLines,
  findReceivedLinesOfLots,
  insertAllocation,
  listAllocations as selectAllocations,
  setReceivedQuantities,
  type AllocationLineRecord,
  type AllocationRecord,
} from './allocations.repository.js';
import type {
  AllocationListInput,
  AllocationView,
  CreateAllocationInput,
  ReceiveAllocationInput,
} from './allocations.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

function lotNotReleased(lot: LotRecord, status: string): ConflictError {
  return new ConflictError(
    'lot-not-released',
    `Lot ${lot.number} is ${status}: only a released lot within its expiry may be allocated or dispatched.`,
    { lot_id: lot.id, lot_status: status },
  );
}

function insufficientStock(commodity: string, lotId?: string): ConflictError {
  return new ConflictError(
    'insufficient-stock',
    `Not enough ${commodity} is available in this warehouse.`,
    { commodity, ...(lotId !== undefined ? { lot_id: lotId } : {}) },
  );
}

function wrongState(allocation: AllocationRecord, action: string): ConflictError {
  return new ConflictError(
    'allocation-state',
    `A ${allocation.status} allocation cannot be ${action}.`,
    { status: allocation.status },
  );
}

async function present(db: Executor, rows: readonly AllocationRecord[]): Promise<AllocationView[]> {
  const lines = await findLines(
    db,
    rows.map((row) => row.id),
  );
  const lots = new Map(
    (await findLots(db, [...new Set(lines.map((line) => line.lot_id))])).map((lot) => [
      lot.id,
      lot,
    ]),
  );
  return rows.map((row) => ({
    id: row.id,
    warehouse_id: row.warehouse_id,
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    purpose: row.purpose,
    status: row.status,
    lines: lines
      .filter((line) => line.allocation_id === row.id)
      .map((line) => {
        const received = line.received_quantity === null ? null : Number(line.received_quantity);
        return {
          id: line.id,
          line_number: Number(line.line_number),
          lot_id: line.lot_id,
          lot_number: lots.get(line.lot_id)?.number ?? '',
          commodity: line.commodity,
          quantity: Number(line.quantity),
          received_quantity: received,
          lost_in_transit: received === null ? null : Number(line.quantity) - received,
        };
      }),
    created_at: row.created_at,
    approved_at: row.approved_at,
    dispatched_at: row.dispatched_at,
    received_at: row.received_at,
    cancelled_at: row.cancelled_at,
  }));
}

/** A just-drafted allocation, from what is in hand (no re-read). */
function presentRows(
  row: AllocationRecord,
  lines: readonly AllocationLineRecord[],
  named: ReadonlyMap<string, LotRecord>,
  picks: readonly { lot: LotRecord }[],
): AllocationView {
  const numbers = new Map<string, string>();
  for (const lot of named.values()) numbers.set(lot.id, lot.number);
  for (const pick of picks) numbers.set(pick.lot.id, pick.lot.number);
  return {
    id: row.id,
    warehouse_id: row.warehouse_id,
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    purpose: row.purpose,
    status: row.status,
    lines: lines.map((line) => ({
      id: line.id,
      line_number: line.line_number,
      lot_id: line.lot_id,
      lot_number: numbers.get(line.lot_id) ?? '',
      commodity: line.commodity,
      quantity: line.quantity,
      received_quantity: null,
      lost_in_transit: null,
    })),
    created_at: row.created_at,
    approved_at: null,
    dispatched_at: null,
    received_at: null,
    cancelled_at: null,
  };
}

async function view(db: Executor, id: string): Promise<AllocationView> {
  const row = await findAllocation(db, id);
  if (!row) throw new NotFoundError('allocation');
  return (await present(db, [row]))[0]!;
}

/** The allocation if its warehouse is in the actor's scope, else NotFoundError. */
async function requireAllocation(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<AllocationRecord> {
  const row = await findAllocation(db, id);
  if (!row || !(await findWarehouse(db, actor.scope, row.warehouse_id))) {
    throw new NotFoundError('allocation');
  }
  return row;
}

async function recipientExists(
  db: Executor,
  actor: Actor,
  input: CreateAllocationInput,
): Promise<boolean> {
  const { kind, id } = input.recipient;
  const missing = (error: unknown) => {
    if (error instanceof NotFoundError) return false;
    throw error;
  };
  switch (kind) {
    case 'partner':
      return (await findPartner(db, id)) !== undefined;
    case 'team':
      return getTeam(db, actor, id).then(() => true, missing);
    case 'org_unit':
      return getOrgUnit(db, id).then(() => true, missing);
    case 'service_point':
      return (await findServicePoint(db, actor.scope, id)) !== undefined;
    case 'warehouse':
      return id !== input.warehouse_id && (await findWarehouse(db, actor.scope, id)) !== undefined;
  }
}

/**
 * Drafts an allocation. Lines naming a lot take it (409 lot-not-released unless released and
 * within expiry); lines naming only a commodity take the released lots first expiry first out.
 * What the warehouse cannot cover now is refused at once (409 insufficient-stock); nothing is
 * held until approval. Idempotent by the client's id (same body: 200; other: 409 id-conflict).
 */
export async function createAllocation(
  storage: WriteStorage,
  actor: Actor,
  input: CreateAllocationInput,
  clock: Clock,
): Promise<{ created: boolean; allocation: AllocationView }> {
  const requestHash = hash('sha256', canonicalJson(input));
  const replay = async (db: Executor) => {
    const stored = await findAllocation(db, input.id);
    if (!stored) return null;
    if (stored.request_hash !== requestHash) throw idConflict();
    return { created: false, allocation: await view(db, stored.id) };
  };
  try {
    return await writeTransaction(storage, async (trx) => {
      const earlier = await replay(trx);
      if (earlier) return earlier;
      const warehouse = await requireWarehouse(trx, actor, input.warehouse_id);
      if (!(await recipientExists(trx, actor, input))) {
        throw new ValidationError([{ path: '/recipient/id', message: 'is not a known recipient' }]);
      }
      const named = new Map(
        (
          await findLots(
            trx,
            input.lines.flatMap((line) => (line.lot_id !== undefined ? [line.lot_id] : [])),
          )
        ).map((lot) => [lot.id, lot]),
      );
      const issues: FieldIssue[] = [];
      input.lines.forEach((line, index) => {
        if (line.lot_id === undefined) return;
        const lot = named.get(line.lot_id);
        if (!lot || lot.warehouse_id !== warehouse.id) {
          issues.push({
            path: `/lines/${index}/lot_id`,
            message: 'is not a lot of this warehouse',
          });
        } else if (lot.commodity !== line.commodity) {
          issues.push({ path: `/lines/${index}/commodity`, message: "is not the lot's commodity" });
        }
      });
      if (issues.length > 0) throw new ValidationError(issues);

      // Available per lot, taken down as lines claim it, so two lines never count it twice.
      const available = new Map<string, number>();
      for (const [id, quantity] of await availableInWarehouse(trx, [...named.values()])) {
        available.set(id, quantity);
      }
      const candidates = new Map<string, Awaited<ReturnType<typeof allocatableLots>>>();
      const picks: { lot: LotRecord; quantity: number }[] = [];
      for (const line of input.lines) {
        if (line.lot_id !== undefined) {
          const lot = named.get(line.lot_id)!;
          const status = lotStatus(lot, clock);
          if (status !== 'released') throw lotNotReleased(lot, status);
          const left = available.get(lot.id) ?? 0;
          if (left < line.quantity) throw insufficientStock(line.commodity, lot.id);
          available.set(lot.id, left - line.quantity);
          picks.push({ lot, quantity: line.quantity });
          continue;
        }
        let lots = candidates.get(line.commodity);
        if (!lots) {
          lots = await allocatableLots(trx, warehouse.id, line.commodity, clock);
          candidates.set(line.commodity, lots);
          for (const lot of lots) if (!available.has(lot.id)) available.set(lot.id, lot.available);
        }
        const chosen = pickFirstExpiry(
          lots.map((lot) => ({ ...lot, available: available.get(lot.id) ?? 0 })),
          line.quantity,
        );
        if (!chosen) throw insufficientStock(line.commodity);
        for (const pick of chosen) {
          available.set(pick.lot.id, (available.get(pick.lot.id) ?? 0) - pick.quantity);
          picks.push({ lot: pick.lot, quantity: pick.quantity });
        }
      }
      const nowIso = clock().toISOString();
      const row: AllocationRecord = {
        id: input.id,
        request_hash: requestHash,
        warehouse_id: warehouse.id,
        recipient_kind: input.recipient.kind,
        recipient_id: input.recipient.id,
        purpose: input.purpose.trim(),
        status: 'draft',
        created_by: actor.userId,
        created_at: nowIso,
        approved_by: null,
        approved_at: null,
        dispatched_by: null,
        dispatched_at: null,
        received_by: null,
        received_at: null,
        cancelled_at: null,
      };
      const lines: AllocationLineRecord[] = picks.map((pick, index) => ({
        id: `${input.id}:${index + 1}`,
        allocation_id: input.id,
        line_number: index + 1,
        lot_id: pick.lot.id,
        commodity: pick.lot.commodity,
        quantity: pick.quantity,
        received_quantity: null,
      }));
      await insertAllocation(trx, row, lines);
      await audit(
        trx,
        actor,
        'allocation.create',
        input.id,
        ['warehouse_id', 'recipient', 'lines', 'purpose'],
        clock,
      );
      return { created: true, allocation: presentRows(row, lines, named, picks) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const earlier = await replay(storage.db);
      if (earlier) return earlier;
    }
    throw error;
  }
}

async function audit(
  trx: Executor,
  actor: Actor,
  action: string,
  id: string,
  fields: string[],
  clock: Clock,
): Promise<void> {
  await appendAuditEvent(trx, { actor, action, entity: 'allocation', entityId: id, fields }, clock);
}

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

export async function getAllocation(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<AllocationView> {
  await requireAllocation(db, actor, id);
  return view(db, id);
}

export async function listAllocations(
  db: Executor,
  actor: Actor,
  input: AllocationListInput,
): Promise<AllocationView[]> {
  const warehouses = (await listWarehouses(db, actor))
    .map((warehouse) => warehouse.id)
    .filter((id) => input.warehouse_id === undefined || id === input.warehouse_id);
  return present(db, await selectAllocations(db, warehouses, input.status));
}

/** Per lot: what recipients received (by recipient), and what was lost in transit. */
export async function deliveriesOfLots(
  db: Executor,
  lotIds: readonly string[],
): Promise<
  Map<
    string,
    {
      delivered: { recipient_kind: string; recipient_id: string; quantity: number }[];
      lost: number;
    }
  >
> {
  const result = new Map<
    string,
    {
      delivered: { recipient_kind: string; recipient_id: string; quantity: number }[];
      lost: number;
    }
  >();
  for (const line of await findReceivedLinesOfLots(db, lotIds)) {
    if (line.status !== 'received' || line.received_quantity === null) continue;
    const entry = result.get(line.lot_id) ?? { delivered: [], lost: 0 };
    const got = Number(line.received_quantity);
    entry.lost += Number(line.quantity) - got;
    const same = entry.delivered.find(
      (item) =>
        item.recipient_kind === line.recipient_kind && item.recipient_id === line.recipient_id,
    );
    if (same) same.quantity += got;
    else if (got > 0)
      entry.delivered.push({
        recipient_kind: line.recipient_kind,
        recipient_id: line.recipient_id,
        quantity: got,
      });
    result.set(line.lot_id, entry);
  }
  return result;
}
