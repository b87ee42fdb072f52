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
import { canonicalJson } from '../../domain/ledger/ledger.js';
import { pickFirstExpiry } from '../../domain/stores/accounts.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import {
  allocatableLots,
  availableInWarehouse,
  findLots,
  lotStatus,
  type LotRecord,
} from '../lots/lots.service.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import { findPartner } from '../partners/partners.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import { getTeam } from '../teams/teams.service.js';
import {
  findWarehouse,
  listWarehouses,
  requireWarehouse,
} from '../warehouses/warehouses.service.js';
import {
  findAllocation,
  findReceivedLinesOfLots,
  insertAllocation,
  listAllocations as selectAllocations,
  type AllocationLineRecord,
  type AllocationRecord,
} from './allocations.repository.js';
import type {
  AllocationListInput,
  AllocationView,
  CreateAllocationInput,
} from './allocations.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

import {
  idConflict,
  insufficientStock,
  lotNotReleased,
  presentRows,
  requireAllocation,
  present,
  view,
  audit,
} from './allocations.present.js';

export {
  approveAllocation,
  cancelAllocation,
  dispatchAllocation,
  receiveAllocation,
} from './allocations.steps.js';
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
