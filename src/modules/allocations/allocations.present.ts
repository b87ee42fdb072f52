/** Allocations as they leave the server, the problems they answer, and their audit. */
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findLots, type LotRecord } from '../lots/lots.service.js';
import { findWarehouse } from '../warehouses/warehouses.service.js';
import {
  findAllocation,
  findLines,
  type AllocationLineRecord,
  type AllocationRecord,
} from './allocations.repository.js';
import type { AllocationView } from './allocations.schema.js';

export function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

export function lotNotReleased(lot: LotRecord, status: string): ConflictError {
  return new ConflictError(
    'lot-not-released',
    `Lot ${lot.number} is ${status}: only a released lot within its expiry may be allocated or dispatched.`,
    { lot_id: lot.id, lot_status: status },
  );
}

export function insufficientStock(commodity: string, lotId?: string): ConflictError {
  return new ConflictError(
    'insufficient-stock',
    `Not enough ${commodity} is available in this warehouse.`,
    { commodity, ...(lotId !== undefined ? { lot_id: lotId } : {}) },
  );
}

export function wrongState(allocation: AllocationRecord, action: string): ConflictError {
  return new ConflictError(
    'allocation-state',
    `A ${allocation.status} allocation cannot be ${action}.`,
    { status: allocation.status },
  );
}

export async function present(
  db: Executor,
  rows: readonly AllocationRecord[],
): Promise<AllocationView[]> {
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
export function presentRows(
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

export async function view(db: Executor, id: string): Promise<AllocationView> {
  const row = await findAllocation(db, id);
  if (!row) throw new NotFoundError('allocation');
  return (await present(db, [row]))[0]!;
}

/** The allocation if its warehouse is in the actor's scope, else NotFoundError. */
export async function requireAllocation(
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

export async function audit(
  trx: Executor,
  actor: Actor,
  action: string,
  id: string,
  fields: string[],
  clock: Clock,
): Promise<void> {
  await appendAuditEvent(trx, { actor, action, entity: 'allocation', entityId: id, fields }, clock);
}
