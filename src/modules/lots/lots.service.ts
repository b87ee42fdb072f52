/**
 * Lots: batches of one commodity with expiry and inspection status, whose quantities live in
 * the ledger (see src/domain/stores/accounts.ts for the accounts per lot, holder and state and
 * how the quarantine hold makes the ledger itself refuse to move an uninspected unit).
 * Other modules receive lots through receiveLotsIn and move them through the ledger.
 */
import type { Static } from '@sinclair/typebox';
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { lotAccountId, lotStates } from '../../domain/stores/accounts.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { getAccounts } from '../ledger/ledger.service.js';
import { findWarehouse, listWarehouses } from '../warehouses/warehouses.service.js';
import {
  findInspectionsOfLots,
  findLots,
  listLots as selectLots,
  type InspectionRecord,
  type LotRecord,
} from './lots.repository.js';
import type { InspectionView, LotDetail, LotListInput, LotView } from './lots.schema.js';
import { lotStatus } from './lots.status.js';

export { findLots, listLotsOfDonations } from './lots.repository.js';
export type { LotRecord } from './lots.repository.js';
export { lotStatus, today } from './lots.status.js';
export {
  ensureAccounts,
  lotAccountInputs,
  moveHeldStock,
  postTransfers,
  receiveLotsIn,
  type ReceivedLine,
} from './lots.ledger.js';

type Quantities = Static<typeof import('./lots.schema.js').LotQuantities>;

/** The quantities of lots at their own warehouse, by lot id, from the ledger. */
export async function warehouseQuantities(
  db: Executor,
  lots: readonly LotRecord[],
): Promise<Map<string, Quantities>> {
  const ids = lots.flatMap((lot) =>
    lotStates.map((state) => lotAccountId(lot.id, 'warehouse', lot.warehouse_id, state)),
  );
  const accounts = new Map((await getAccounts(db, ids)).map((account) => [account.id, account]));
  const result = new Map<string, Quantities>();
  for (const lot of lots) {
    const account = (state: (typeof lotStates)[number]) =>
      accounts.get(lotAccountId(lot.id, 'warehouse', lot.warehouse_id, state));
    const balance = (state: (typeof lotStates)[number]) => {
      const found = account(state);
      return found ? found.credits_posted - found.debits_posted : 0;
    };
    result.set(lot.id, {
      quarantined: balance('quarantined'),
      available: balance('available') - (account('available')?.debits_pending ?? 0),
      allocated: balance('allocated'),
      in_transit: account('allocated')?.debits_pending ?? 0,
      rejected: balance('rejected'),
    });
  }
  return result;
}

/** What each lot has available at its own warehouse (one account read per lot). */
export async function availableInWarehouse(
  db: Executor,
  lots: readonly LotRecord[],
): Promise<Map<string, number>> {
  const accounts = new Map(
    (
      await getAccounts(
        db,
        lots.map((lot) => lotAccountId(lot.id, 'warehouse', lot.warehouse_id, 'available')),
      )
    ).map((account) => [account.id, account]),
  );
  return new Map(
    lots.map((lot) => {
      const account = accounts.get(
        lotAccountId(lot.id, 'warehouse', lot.warehouse_id, 'available'),
      );
      return [
        lot.id,
        account ? account.credits_posted - account.debits_posted - account.debits_pending : 0,
      ];
    }),
  );
}

export function presentLot(lot: LotRecord, quantities: Quantities, clock: Clock): LotView {
  return {
    id: lot.id,
    number: lot.number,
    commodity: lot.commodity,
    expires_on: lot.expires_on,
    source: lot.source,
    status: lotStatus(lot, clock),
    warehouse_id: lot.warehouse_id,
    location_id: lot.location_id,
    donation_id: lot.donation_id,
    quantity: Number(lot.quantity),
    condition: lot.condition,
    inspection_partner_id: lot.inspection_partner_id,
    parent_lot_id: lot.parent_lot_id,
    in_warehouse: quantities,
    created_at: lot.created_at,
  };
}

export async function presentLots(
  db: Executor,
  lots: readonly LotRecord[],
  clock: Clock,
): Promise<LotView[]> {
  const quantities = await warehouseQuantities(db, lots);
  return lots.map((lot) => presentLot(lot, quantities.get(lot.id)!, clock));
}

export function presentInspection(row: InspectionRecord): InspectionView {
  return {
    ...row,
    passed_quantity: Number(row.passed_quantity),
    rejected_quantity: Number(row.rejected_quantity),
  };
}

/** The lot if its warehouse is in the actor's scope, else NotFoundError. */
export async function requireLot(db: Executor, actor: Actor, id: string): Promise<LotRecord> {
  const [lot] = await findLots(db, [id]);
  if (!lot || !(await findWarehouse(db, actor.scope, lot.warehouse_id))) {
    throw new NotFoundError('lot');
  }
  return lot;
}

export async function getLot(
  db: Executor,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<Static<typeof LotDetail>> {
  const lot = await requireLot(db, actor, id);
  const [view] = await presentLots(db, [lot], clock);
  return {
    lot: view!,
    inspections: (await findInspectionsOfLots(db, [id])).map(presentInspection),
  };
}

/**
 * The lots in warehouses of the actor's scope; `waiting_for_me` narrows an inspector's list to
 * the quarantined lots their partner may inspect (see canInspect).
 */
export async function listLots(
  db: Executor,
  actor: Actor,
  input: LotListInput,
  clock: Clock,
  inspectorPartner?: { id: string; kind: string } | null,
): Promise<LotView[]> {
  const warehouses = await listWarehouses(db, actor);
  const warehouseIds = warehouses
    .map((warehouse) => warehouse.id)
    .filter((id) => input.warehouse_id === undefined || id === input.warehouse_id);
  const storedStatus: LotRecord['status'][] | undefined =
    input.waiting_for_me === true
      ? ['quarantined']
      : input.status === undefined || input.status === 'expired'
        ? undefined
        : [input.status];
  let rows = await selectLots(db, {
    warehouseIds,
    ...(input.commodity !== undefined ? { commodity: input.commodity } : {}),
    ...(storedStatus !== undefined ? { statuses: storedStatus } : {}),
  });
  if (input.waiting_for_me === true) {
    rows = rows.filter((lot) => inspectorPartner && canInspect(lot, inspectorPartner));
  }
  const views = await presentLots(db, rows, clock);
  return input.status === undefined ? views : views.filter((view) => view.status === input.status);
}

/**
 * The inspection rule: a lot that names an inspecting partner (its warehouse's, when received)
 * is inspected by that partner's inspectors only; a lot that names none, by the inspectors of
 * any health directorate.
 */
export function canInspect(
  lot: Pick<LotRecord, 'inspection_partner_id'>,
  partner: { id: string; kind: string },
): boolean {
  return lot.inspection_partner_id !== null
    ? lot.inspection_partner_id === partner.id
    : partner.kind === 'health_directorate';
}

/** A warehouse's lots of a commodity that may be allocated today (released, not expired), with what each has available. */
export async function allocatableLots(
  db: Executor,
  warehouseId: string,
  commodity: string,
  clock: Clock,
): Promise<(LotRecord & { available: number })[]> {
  const rows = (
    await selectLots(db, { warehouseIds: [warehouseId], commodity, statuses: ['released'] })
  ).filter((lot) => lotStatus(lot, clock) === 'released');
  const available = await availableInWarehouse(db, rows);
  return rows.map((lot) => ({ ...lot, available: available.get(lot.id) ?? 0 }));
}
