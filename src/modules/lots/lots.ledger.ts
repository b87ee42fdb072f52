/**
 * The lots' ledger work: the accounts a lot needs at a holder, receiving lots (with the
 * quarantine hold), and moving held stock between holders first expiry first out. See
 * src/domain/stores/accounts.ts for the accounts and the quarantine guard.
 */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import { AccountFlags, TransferFlags, type TransferInput } from '../../domain/ledger/ledger.js';
import {
  donationTransferId,
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
import { ConflictError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { createAccounts, createTransfers, getOwnedAccounts } from '../ledger/ledger.service.js';
import { findLots, findLotsByNumber, insertLots, type LotRecord } from './lots.repository.js';

export { findLots, listLotsOfDonations } from './lots.repository.js';
export type { LotRecord } from './lots.repository.js';

import { lotStatus } from './lots.status.js';

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
