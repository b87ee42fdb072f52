/**
 * Donors and donations. A donation is received at a warehouse in the actor's scope: one lot
 * per line (see receiveLotsIn), a receipt number from the year's series, all in one
 * transaction with its ledger transfers. Idempotent by the client's id: the same id and body
 * answers the first answer again, another body is a 409 `id-conflict`.
 */
import { hash, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { canonicalJson } from '../../domain/ledger/ledger.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import { deliveriesOfLots } from '../allocations/allocations.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { listLotsOfDonations, presentLots, receiveLotsIn } from '../lots/lots.service.js';
import { getWarehouse, requireWarehouse } from '../warehouses/warehouses.service.js';
import {
  findDonation,
  findDonationsOfDonor,
  findDonor,
  insertDonation,
  insertDonor,
  listDonors as selectDonors,
  nextNumber,
  updateDonationAnswer,
  type DonationRecord,
  type DonorRecord,
} from './donations.repository.js';
import type {
  CreateDonationInput,
  CreateDonorInput,
  DonationView,
  DonorStatementView,
  DonorView,
} from './donations.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

export { findDonation, findDonor } from './donations.repository.js';

const timeZone = configuredTimeZone();

function presentDonor(row: DonorRecord): DonorView {
  return { ...row };
}

export async function createDonor(
  storage: WriteStorage,
  actor: Actor,
  input: CreateDonorInput,
  clock: Clock,
): Promise<DonorView> {
  if (input.kind === 'anonymous' && input.name !== undefined) {
    throw new ValidationError([{ path: '/name', message: 'an anonymous donor has no name' }]);
  }
  if (input.kind !== 'anonymous' && input.name === undefined) {
    throw new ValidationError([{ path: '/name', message: 'is required unless anonymous' }]);
  }
  return writeTransaction(storage, async (trx) => {
    const row: DonorRecord = {
      id: randomUUID(),
      kind: input.kind,
      name: input.name?.trim() ?? null,
      phone: input.phone?.trim() ?? null,
      email: input.email?.trim() ?? null,
      created_at: clock().toISOString(),
    };
    await insertDonor(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'donor.create',
        entity: 'donor',
        entityId: row.id,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentDonor(row);
  });
}

export async function listDonors(db: Executor): Promise<DonorView[]> {
  return (await selectDonors(db)).map(presentDonor);
}

function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

/** Receives a donation (201) or answers a retry (created: false); see the module comment. */
export async function createDonation(
  storage: WriteStorage,
  actor: Actor,
  input: CreateDonationInput,
  clock: Clock,
): Promise<{ created: boolean; donation: DonationView }> {
  const requestHash = hash('sha256', canonicalJson(input));
  const replay = (stored: DonationRecord | undefined) => {
    if (!stored) return null;
    if (stored.request_hash !== requestHash) throw idConflict();
    return { created: false, donation: JSON.parse(stored.answer_json) as DonationView };
  };
  try {
    return await writeTransaction(storage, async (trx) => {
      const earlier = replay(await findDonation(trx, input.id));
      if (earlier) return earlier;
      const warehouse = await requireWarehouse(trx, actor, input.warehouse_id);
      const issues: FieldIssue[] = [];
      if (!(await findDonor(trx, input.donor_id))) {
        issues.push({ path: '/donor_id', message: 'is not a known donor' });
      }
      const commodities = new Map(
        (await findCommodities(trx, [...new Set(input.lines.map((line) => line.commodity))])).map(
          (row) => [row.code, row],
        ),
      );
      const locations = new Set(
        (await getWarehouse(trx, actor, warehouse.id)).locations.map((location) => location.id),
      );
      input.lines.forEach((line, index) => {
        if (!commodities.has(line.commodity)) {
          issues.push({ path: `/lines/${index}/commodity`, message: 'is not a known commodity' });
        }
        if (line.location_id !== undefined && !locations.has(line.location_id)) {
          issues.push({
            path: `/lines/${index}/location_id`,
            message: 'is not a location of this warehouse',
          });
        }
      });
      if (issues.length > 0) throw new ValidationError(issues);

      const now = clock();
      const year = Number(localDay(now, timeZone).slice(0, 4));
      const receiptNumber = `${year}-${String(await nextNumber(trx, 'donation', year)).padStart(6, '0')}`;
      const receivedAt = now.toISOString();
      // The donation row goes in first: the lots name it.
      await insertDonation(trx, {
        id: input.id,
        request_hash: requestHash,
        receipt_number: receiptNumber,
        warehouse_id: warehouse.id,
        donor_id: input.donor_id,
        received_by: actor.userId,
        received_at: receivedAt,
        answer_json: '{}',
      });
      const lots = await receiveLotsIn(trx, actor, clock, {
        warehouse,
        donationId: input.id,
        numberPrefix: receiptNumber,
        lines: input.lines.map((line) => ({
          lotId: randomUUID(),
          number: line.lot_number,
          commodity: line.commodity,
          quantity: line.quantity,
          expiresOn: line.expires_on ?? null,
          condition: line.condition ?? null,
          locationId: line.location_id ?? null,
          requiresInspection: Number(commodities.get(line.commodity)!.requires_inspection) === 1,
        })),
      });
      const donation: DonationView = {
        id: input.id,
        receipt_number: receiptNumber,
        warehouse_id: warehouse.id,
        donor_id: input.donor_id,
        received_at: receivedAt,
        lots: lots.map((lot) => ({
          id: lot.id,
          number: lot.number,
          commodity: lot.commodity,
          quantity: Number(lot.quantity),
          expires_on: lot.expires_on,
          status: lot.status,
        })),
      };
      await updateDonationAnswer(trx, input.id, JSON.stringify(donation));
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'donation.receive',
          entity: 'donation',
          entityId: input.id,
          fields: ['warehouse_id', 'donor_id', 'lines'],
        },
        clock,
      );
      return { created: true, donation };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const earlier = replay(await findDonation(storage.db, input.id));
      if (earlier) return earlier;
    }
    throw error;
  }
}

/** The donation in the actor's scope (its warehouse), with its lots as first received. */
export async function getDonation(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<{ donation: DonationView; record: DonationRecord }> {
  const record = await findDonation(db, id);
  if (!record) throw new NotFoundError('donation');
  await requireWarehouse(db, actor, record.warehouse_id);
  return { donation: JSON.parse(record.answer_json) as DonationView, record };
}

/**
 * Everything a donor gave and where it went, per lot (split-off rejected parts included):
 * released, rejected, still held, allocated, received by whom, lost in transit.
 */
export async function getDonorStatement(
  db: Executor,
  actor: Actor,
  donorId: string,
  clock: Clock,
): Promise<DonorStatementView> {
  const donor = await findDonor(db, donorId);
  if (!donor) throw new NotFoundError('donor');
  const donations = await findDonationsOfDonor(db, donorId);
  const visible: DonationRecord[] = [];
  for (const donation of donations) {
    try {
      await requireWarehouse(db, actor, donation.warehouse_id);
      visible.push(donation);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const lots = await listLotsOfDonations(
    db,
    visible.map((donation) => donation.id),
  );
  const views = new Map((await presentLots(db, lots, clock)).map((view) => [view.id, view]));
  const deliveries = await deliveriesOfLots(
    db,
    lots.map((lot) => lot.id),
  );
  const byId = new Map(visible.map((donation) => [donation.id, donation]));
  return {
    donor: presentDonor(donor),
    lines: lots.map((lot) => {
      const view = views.get(lot.id)!;
      const donation = byId.get(lot.donation_id ?? '')!;
      const delivered = deliveries.get(lot.id) ?? { delivered: [], lost: 0 };
      const quantity = Number(lot.quantity);
      return {
        donation_id: donation.id,
        receipt_number: donation.receipt_number,
        received_at: donation.received_at,
        lot_id: lot.id,
        lot_number: lot.number,
        commodity: lot.commodity,
        status: view.status,
        received: quantity,
        quarantined: view.in_warehouse.quarantined,
        released: lot.status === 'released' ? quantity : 0,
        rejected: view.in_warehouse.rejected,
        available: view.in_warehouse.available,
        allocated: view.in_warehouse.allocated,
        delivered: delivered.delivered,
        lost_in_transit: delivered.lost,
      };
    }),
  };
}
