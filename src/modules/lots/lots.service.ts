/**
 * Lots: batches of one commodity with expiry and inspection status, whose quantities live in
 * the ledger (see src/domain/stores/accounts.ts for the accounts per lot, holder and state and
 * how the quarantine hold makes the ledger itself refuse to move an uninspected unit).
 * Other modules receive lots through receiveLotsIn and move them through the ledger.
 */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import { AccountFlags, TransferFlags, type TransferInput } from '../../domain/ledger/ledger.js';
import {
  donationTransferId,
  effectiveLotStatus,
  lotAccountId,
  lotStates,
  parseLotAccountId,
  pickFirstExpiry,
  quarantineHoldId,
  storeSystemAccountId,
  storeSystemAccounts,
  storeTransferCodes,
  type HolderKind,
} from '../../domain/stores/accounts.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import {
  createAccounts,
  createTransfers,
  getAccounts,
  getOwnedAccounts,
} from '../ledger/ledger.service.js';
import { findWarehouse } from '../warehouses/warehouses.service.js';
import { listWarehouses } from '../warehouses/warehouses.service.js';
import {
  findInspectionsOfLots,
  findLots,
  findLotsByNumber,
  insertLots,
  listLots as selectLots,
  type InspectionRecord,
  type LotRecord,
} from './lots.repository.js';
import type { InspectionView, LotDetail, LotListInput, LotView } from './lots.schema.js';
import type { Static } from '@sinclair/typebox';

export { findLots, listLotsOfDonations } from './lots.repository.js';
export type { LotRecord } from './lots.repository.js';

const timeZone = configuredTimeZone();

/** Today in the deployment's time zone (YYYY-MM-DD), the day expiry is judged on. */
export function today(clock: Clock): string {
  return localDay(clock(), timeZone);
}

/** The lot's status on the clock's day (expired once its expiry date has passed). */
export function lotStatus(lot: LotRecord, clock: Clock): LotView['status'] {
  return effectiveLotStatus(lot.status, lot.expires_on, today(clock));
}

/** The accounts a lot needs at a holder (one per state) and its commodity's system accounts. */
export function lotAccountInputs(
  lotId: string,
  commodity: string,
  holderKind: HolderKind,
  holderId: string,
): AccountInput[] {
  return [
    ...lotStates.map((state) => ({
      id: lotAccountId(lotId, holderKind, holderId, state),
      commodity,
      owner_kind: holderKind,
      owner_id: holderId,
      flags: AccountFlags.debitsMustNotExceedCredits,
    })),
    ...Object.values(storeSystemAccounts).map((kind) => ({
      id: storeSystemAccountId(kind, commodity),
      commodity,
      owner_kind: 'system',
      owner_id: kind,
      flags: 0,
    })),
  ];
}

/** Creates accounts, throwing on anything but created/exists (ids are ours: a bug otherwise). */
export async function ensureAccounts(
  trx: Executor,
  inputs: readonly AccountInput[],
  clock: Clock,
): Promise<void> {
  const unique = new Map(inputs.map((input) => [input.id, input]));
  const results = await createAccounts(trx, [...unique.values()], clock);
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (failed) throw new Error(`account ${failed.id}: ${failed.result}`);
}

/** Submits transfers that must all succeed (their ids are ours, their amounts checked). */
export async function postTransfers(
  trx: Executor,
  batch: readonly TransferInput[],
  actor: Actor,
  clock: Clock,
): Promise<void> {
  const results = await createTransfers(trx, batch, { actor, clock });
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (failed) throw new Error(`transfer ${failed.id}: ${failed.result}`);
}

export interface ReceivedLine {
  lotId: string;
  number: string | undefined;
  commodity: string;
  quantity: number;
  expiresOn: string | null;
  condition: string | null;
  locationId: string | null;
  requiresInspection: boolean;
}

/**
 * Inside the caller's transaction: records one lot per line in the warehouse, numbered as given
 * or `<prefix>-<line>`, quarantined when its commodity requires inspection (with the quarantine
 * hold), else released; the goods come from the commodity's `donated` source. A given number
 * already used for the commodity is a 409 `lot-number-taken`.
 */
export async function receiveLotsIn(
  trx: Executor,
  actor: Actor,
  clock: Clock,
  receipt: {
    warehouse: Row<'warehouses'>;
    donationId: string;
    numberPrefix: string;
    lines: readonly ReceivedLine[];
  },
): Promise<LotRecord[]> {
  const nowIso = clock().toISOString();
  const rows: LotRecord[] = receipt.lines.map((line, index) => ({
    id: line.lotId,
    number: line.number ?? `${receipt.numberPrefix}-${index + 1}`,
    commodity: line.commodity,
    expires_on: line.expiresOn,
    source: 'donation',
    status: line.requiresInspection ? 'quarantined' : 'released',
    warehouse_id: receipt.warehouse.id,
    location_id: line.locationId,
    donation_id: receipt.donationId,
    line_number: index + 1,
    quantity: line.quantity,
    condition: line.condition,
    inspection_partner_id: line.requiresInspection ? receipt.warehouse.inspection_partner_id : null,
    parent_lot_id: null,
    created_at: nowIso,
  }));
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.commodity}\u0000${row.number}`;
    if (seen.has(key)) throw lotNumberTaken(row.number);
    seen.add(key);
  }
  const taken = await findLotsByNumber(trx, rows);
  if (taken.length > 0) throw lotNumberTaken(taken[0]!.number);
  await insertLots(trx, rows);

  const accounts: AccountInput[] = [];
  const transfers: TransferInput[] = [];
  rows.forEach((row, index) => {
    accounts.push(...lotAccountInputs(row.id, row.commodity, 'warehouse', receipt.warehouse.id));
    const quarantined = row.status === 'quarantined';
    const into = lotAccountId(
      row.id,
      'warehouse',
      receipt.warehouse.id,
      quarantined ? 'quarantined' : 'available',
    );
    const references = { donation_id: receipt.donationId, lot_id: row.id };
    transfers.push({
      id: donationTransferId(receipt.donationId, index + 1),
      debit_account_id: storeSystemAccountId(storeSystemAccounts.donated, row.commodity),
      credit_account_id: into,
      amount: row.quantity,
      commodity: row.commodity,
      code: storeTransferCodes.donationReceipt,
      references,
    });
    if (quarantined) {
      transfers.push({
        id: quarantineHoldId(row.id),
        debit_account_id: into,
        credit_account_id: lotAccountId(row.id, 'warehouse', receipt.warehouse.id, 'available'),
        amount: row.quantity,
        commodity: row.commodity,
        code: storeTransferCodes.quarantineHold,
        flags: TransferFlags.pending,
        references,
      });
    }
  });
  await ensureAccounts(trx, accounts, clock);
  await postTransfers(trx, transfers, actor, clock);
  return rows;
}

function lotNumberTaken(number: string): ConflictError {
  return new ConflictError(
    'lot-number-taken',
    `Lot number ${number} is already used for this commodity.`,
  );
}

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

/**
 * Inside the caller's transaction: moves `quantity` of a commodity from one holder's available
 * lot stock to another's, first expiry first out over the giver's lots within expiry, in one
 * linked batch (`<transferPrefix>:<n>`). 409 insufficient-stock when the giver has too little.
 * Answers the lots drawn from and how much of each.
 */
export async function moveHeldStock(
  trx: Executor,
  actor: Actor,
  clock: Clock,
  move: {
    from: { kind: HolderKind; id: string };
    to: { kind: HolderKind; id: string };
    commodity: string;
    quantity: number;
    transferPrefix: string;
    code: string;
    references: Record<string, unknown>;
  },
): Promise<{ lotId: string; quantity: number }[]> {
  const accounts = (
    await getOwnedAccounts(trx, move.from.kind, [move.from.id], { forWrite: true })
  ).filter((account) => {
    const key = parseLotAccountId(account.id);
    return key !== null && key.state === 'available' && account.commodity === move.commodity;
  });
  const balances = new Map(
    accounts.map((account) => [
      parseLotAccountId(account.id)!.lotId,
      account.credits_posted - account.debits_posted - account.debits_pending,
    ]),
  );
  const lots = (await findLots(trx, [...balances.keys()])).filter(
    (lot) => lotStatus(lot, clock) === 'released',
  );
  const picks = pickFirstExpiry(
    lots.map((lot) => ({ ...lot, available: balances.get(lot.id) ?? 0 })),
    move.quantity,
  );
  if (!picks) {
    throw new ConflictError('insufficient-stock', `Not enough ${move.commodity} is held here.`, {
      commodity: move.commodity,
    });
  }
  await ensureAccounts(
    trx,
    picks.flatMap((pick) =>
      lotAccountInputs(pick.lot.id, move.commodity, move.to.kind, move.to.id),
    ),
    clock,
  );
  await postTransfers(
    trx,
    picks.map((pick, index) => ({
      id: `${move.transferPrefix}:${index + 1}`,
      debit_account_id: lotAccountId(pick.lot.id, move.from.kind, move.from.id, 'available'),
      credit_account_id: lotAccountId(pick.lot.id, move.to.kind, move.to.id, 'available'),
      amount: pick.quantity,
      commodity: move.commodity,
      code: move.code,
      references: { ...move.references, lot_id: pick.lot.id },
      ...(index < picks.length - 1 ? { flags: TransferFlags.linked } : {}),
    })),
    actor,
    clock,
  );
  return picks.map((pick) => ({ lotId: pick.lot.id, quantity: pick.quantity }));
}
