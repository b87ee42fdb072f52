/**
 * Receiving and dispatching at ledger speed: a donation of 1,000 lines (1,000 lots, their
 * accounts and receipt transfers, the receipt number, the audit) and an allocation of 1,000
 * lines (draft, approval: 1,000 holds; dispatch: 1,000 pending transfers to the recipient and
 * its accounts), each through its service as the HTTP route calls it, against the ledger's own
 * batch of the same transfers (createTransfers of 1,000 transfers of the same shape, accounts
 * already there) in one write transaction, measured side by side in the same run on SQLite and
 * PostgreSQL. Target (issue 12): each within 3x of the ledger's batch. Median of the rounds;
 * the ledger is verified after the run (not timed).
 */
import { randomUUID } from 'node:crypto';
import type { Dialect, Storage } from '../src/db/connect.js';
import { writeTransaction } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import { TransferFlags, type TransferInput } from '../src/domain/ledger/ledger.js';
import { lotAccountId, storeSystemAccountId } from '../src/domain/stores/accounts.js';
import {
  approveAllocation,
  createAllocation,
  dispatchAllocation,
} from '../src/modules/allocations/allocations.service.js';
import { seedTestAreas } from '../src/modules/cycles/cycles.fixtures.js';
import { createDonation, createDonor } from '../src/modules/donations/donations.service.js';
import {
  createAccounts,
  createTransfers,
  verifyLedger,
} from '../src/modules/ledger/ledger.service.js';
import { lotAccountInputs } from '../src/modules/lots/lots.service.js';
import { createWarehouse } from '../src/modules/warehouses/warehouses.service.js';
import { systemClock } from '../src/shared/clock.js';
import { markdownTable, openBenchStorage, postgresAvailable, type Benchmark } from './harness.js';

const lines = 1_000;
const rounds = 5;
const commodities = ['mask', 'glove', 'gown', 'sanitiser'];
const target = 3;

interface Setup {
  warehouseId: string;
  donorId: string;
  partnerId: string;
}

async function seed(storage: Storage): Promise<Setup> {
  await seedTestAreas(storage.db);
  const now = new Date().toISOString();
  await storage.db
    .insertInto('commodities')
    .values(
      commodities.map((code) => ({
        code,
        name_ar: code,
        name_en: code,
        base_unit: 'piece',
        display_unit: 'piece',
        display_scale: 1,
        created_at: now,
      })),
    )
    .execute();
  const partnerId = randomUUID();
  await storage.db
    .insertInto('partners')
    .values({
      id: partnerId,
      kind: 'health_directorate',
      name_ar: 'مديرية الصحة',
      name_en: 'Health directorate',
      area_pcode: 'SY06',
      created_at: now,
    })
    .execute();
  const warehouse = await createWarehouse(
    storage,
    systemActor,
    { name_ar: 'مستودع', name_en: 'Warehouse', area_pcode: 'SY06' },
    systemClock,
  );
  const donor = await createDonor(
    storage,
    systemActor,
    { kind: 'member', name: 'Members' },
    systemClock,
  );
  return { warehouseId: warehouse.id, donorId: donor.id, partnerId };
}

function donationLines() {
  return Array.from({ length: lines }, (_, index) => ({
    commodity: commodities[index % commodities.length]!,
    quantity: 100 + (index % 50),
    expires_on: '2030-01-01',
  }));
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** 1,000 fresh lots' accounts at a holder (not timed), for the ledger's own batches. */
async function freshLotAccounts(
  storage: Storage,
  holder: { kind: 'warehouse' | 'partner'; id: string },
): Promise<{ lotId: string; commodity: string }[]> {
  const lots = Array.from({ length: lines }, (_, index) => ({
    lotId: randomUUID(),
    commodity: commodities[index % commodities.length]!,
  }));
  await writeTransaction(storage, (trx) =>
    createAccounts(
      trx,
      lots.flatMap((lot) => lotAccountInputs(lot.lotId, lot.commodity, holder.kind, holder.id)),
    ),
  );
  return lots;
}

async function ledgerBatch(storage: Storage, batch: TransferInput[]): Promise<number> {
  const { ms, value } = await timed(() =>
    writeTransaction(storage, (trx) =>
      createTransfers(trx, batch, { actor: systemActor, clock: systemClock }),
    ),
  );
  const failed = value.find((result) => result.result !== 'created');
  if (failed) throw new Error(`bench transfer ${failed.id}: ${failed.result}`);
  return ms;
}

interface Round {
  donation: number;
  donationLedger: number;
  draft: number;
  approve: number;
  approveLedger: number;
  dispatch: number;
  dispatchLedger: number;
}

async function round(storage: Storage, setup: Setup): Promise<Round> {
  const warehouse = { kind: 'warehouse' as const, id: setup.warehouseId };
  // Donation: 1,000 lines through the service, then the same 1,000 receipt transfers alone.
  const donation = await timed(() =>
    createDonation(
      storage,
      systemActor,
      {
        id: randomUUID(),
        warehouse_id: setup.warehouseId,
        donor_id: setup.donorId,
        lines: donationLines(),
      },
      systemClock,
    ),
  );
  const receiptLots = await freshLotAccounts(storage, warehouse);
  const donationLedger = await ledgerBatch(
    storage,
    receiptLots.map((lot, index) => ({
      id: randomUUID(),
      debit_account_id: storeSystemAccountId('donated', lot.commodity),
      credit_account_id: lotAccountId(lot.lotId, 'warehouse', setup.warehouseId, 'available'),
      amount: 100 + (index % 50),
      commodity: lot.commodity,
      code: 'donation_receipt',
    })),
  );

  // Allocation of the donation's 1,000 lots: draft, approve, dispatch.
  const allocationId = randomUUID();
  const draft = await timed(() =>
    createAllocation(
      storage,
      systemActor,
      {
        id: allocationId,
        warehouse_id: setup.warehouseId,
        recipient: { kind: 'partner', id: setup.partnerId },
        lines: donation.value.donation.lots.map((lot) => ({
          lot_id: lot.id,
          commodity: lot.commodity,
          quantity: lot.quantity - 10,
        })),
        purpose: 'bench',
      },
      systemClock,
    ),
  );
  const approve = await timed(() =>
    approveAllocation(storage, systemActor, allocationId, systemClock),
  );
  // The same holds, alone: available -> allocated on the other 1,000 lots, linked as approval links them.
  const holds: TransferInput[] = receiptLots.map((lot, index) => ({
    id: randomUUID(),
    debit_account_id: lotAccountId(lot.lotId, 'warehouse', setup.warehouseId, 'available'),
    credit_account_id: lotAccountId(lot.lotId, 'warehouse', setup.warehouseId, 'allocated'),
    amount: 90 + (index % 50),
    commodity: lot.commodity,
    code: 'allocation_hold',
    ...(index < lines - 1 ? { flags: TransferFlags.linked } : {}),
  }));
  const approveLedger = await ledgerBatch(storage, holds);
  const dispatch = await timed(() =>
    dispatchAllocation(storage, systemActor, allocationId, systemClock),
  );
  // The same pending transfers alone (the recipient's accounts created beforehand, untimed).
  await writeTransaction(storage, (trx) =>
    createAccounts(
      trx,
      receiptLots.flatMap((lot) =>
        lotAccountInputs(lot.lotId, lot.commodity, 'partner', setup.partnerId),
      ),
    ),
  );
  const dispatchLedger = await ledgerBatch(
    storage,
    receiptLots.map((lot, index) => ({
      id: randomUUID(),
      debit_account_id: lotAccountId(lot.lotId, 'warehouse', setup.warehouseId, 'allocated'),
      credit_account_id: lotAccountId(lot.lotId, 'partner', setup.partnerId, 'available'),
      amount: 90 + (index % 50),
      commodity: lot.commodity,
      code: 'allocation_dispatch',
      flags: TransferFlags.pending | (index < lines - 1 ? TransferFlags.linked : 0),
    })),
  );
  return {
    donation: donation.ms,
    donationLedger,
    draft: draft.ms,
    approve: approve.ms,
    approveLedger,
    dispatch: dispatch.ms,
    dispatchLedger,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function runDialect(dialect: Dialect): Promise<string[][]> {
  const storage = await openBenchStorage(dialect);
  try {
    const setup = await seed(storage);
    await round(storage, setup); // warm-up, not counted
    const measured: Round[] = [];
    for (let index = 0; index < rounds; index++) measured.push(await round(storage, setup));
    const report = await verifyLedger(storage.db);
    if (!report.ok) throw new Error(`ledger verify failed on ${dialect}`);
    const of = (key: keyof Round) => median(measured.map((item) => item[key]));
    const row = (step: string, service: number, ledger: number | null) => [
      dialect,
      step,
      `${service.toFixed(1)} ms`,
      ledger === null ? '—' : `${ledger.toFixed(1)} ms`,
      ledger === null ? '—' : `${(service / ledger).toFixed(2)}x`,
      ledger === null ? '—' : service / ledger <= target ? 'yes' : 'no',
    ];
    return [
      row('donation, 1,000 lines', of('donation'), of('donationLedger')),
      row('allocation draft, 1,000 lines (no transfers)', of('draft'), null),
      row('approval (1,000 holds)', of('approve'), of('approveLedger')),
      row('dispatch (1,000 pending transfers)', of('dispatch'), of('dispatchLedger')),
      row(
        'allocation: draft + approve + dispatch',
        of('draft') + of('approve') + of('dispatch'),
        of('approveLedger') + of('dispatchLedger'),
      ),
    ];
  } finally {
    await storage.close();
  }
}

export const storesBenchmark: Benchmark = {
  name: 'stores',
  async run() {
    const dialects: Dialect[] = (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
    const rows: string[][] = [];
    for (const dialect of dialects) rows.push(...(await runDialect(dialect)));
    return [
      "## Stores: a donation and an allocation of 1,000 lines against the ledger's own batch",
      '',
      `Median of ${rounds} rounds (after one warm-up) per dialect. "Ledger batch" is createTransfers of the same 1,000 transfers (same shape, accounts already there) in one write transaction. Target: within ${target}x.`,
      '',
      markdownTable(['dialect', 'step', 'service', 'ledger batch', 'ratio', `<= ${target}x`], rows),
    ].join('\n');
  },
};
