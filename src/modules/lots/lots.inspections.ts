/**
 * Inspection of a quarantined lot by a partner's inspector. Pass posts the quarantine hold
 * (quarantined -> available); fail voids it and moves the lot to its `rejected` account; a
 * part pass posts the passed quantity (the rest returns to quarantine by the partial post) and
 * splits the rest off into a new rejected lot, so passed + rejected is exactly what was held.
 * All in one linked batch with the lot rows, in one transaction; idempotent by the client id.
 */
import { hash, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { canonicalJson, TransferFlags, type TransferInput } from '../../domain/ledger/ledger.js';
import {
  inspectionTransferId,
  lotAccountId,
  quarantineHoldId,
  storeTransferCodes,
} from '../../domain/stores/accounts.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findPartner } from '../partners/partners.service.js';
import { findUserById } from '../users/users.service.js';
import {
  findInspection,
  findLots,
  insertInspection,
  insertLots,
  updateLot,
  type InspectionRecord,
  type LotRecord,
} from './lots.repository.js';
import type { InspectionInput, InspectionResultView } from './lots.schema.js';
import {
  canInspect,
  ensureAccounts,
  lotAccountInputs,
  postTransfers,
  presentInspection,
  presentLots,
  requireLot,
} from './lots.service.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** The partner the acting inspector works for; 403 when the user is tied to none. */
export async function inspectorPartner(
  db: Executor,
  actor: Actor,
): Promise<{ id: string; kind: string } | null> {
  if (actor.role !== 'inspector' || actor.userId === null) return null;
  const user = await findUserById(db, actor.userId);
  if (!user?.partner_id) return null;
  const partner = await findPartner(db, user.partner_id);
  return partner ? { id: partner.id, kind: partner.kind } : null;
}

function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

async function answer(
  db: Executor,
  row: InspectionRecord,
  clock: Clock,
): Promise<InspectionResultView> {
  const lots = await findLots(
    db,
    [row.lot_id, row.rejected_lot_id].filter((id): id is string => id !== null),
  );
  const views = await presentLots(db, lots, clock);
  return {
    inspection: presentInspection(row),
    lot: views.find((view) => view.id === row.lot_id)!,
    rejected_lot: views.find((view) => view.id === row.rejected_lot_id) ?? null,
  };
}

/**
 * Records an inspection of a quarantined lot and moves its stock as the result says. Only an
 * inspector tied to the lot's inspecting partner (see canInspect) may: 403 `not-your-lot`
 * otherwise. 409 `lot-not-quarantined` once inspected; the same id and body again answers the
 * first result (created: false), another body 409 `id-conflict`.
 */
export async function recordInspection(
  storage: WriteStorage,
  actor: Actor,
  lotId: string,
  input: InspectionInput,
  clock: Clock,
): Promise<{ created: boolean; result: InspectionResultView }> {
  const requestHash = hash('sha256', canonicalJson({ lot_id: lotId, ...input }));
  const replay = async (db: Executor) => {
    const stored = await findInspection(db, input.id);
    if (!stored) return null;
    if (stored.request_hash !== requestHash) throw idConflict();
    return { created: false, result: await answer(db, stored, clock) };
  };
  try {
    return await writeTransaction(storage, async (trx) => {
      const lot = await requireLot(trx, actor, lotId);
      const partner = await inspectorPartner(trx, actor);
      if (!partner || !canInspect(lot, partner)) {
        throw new ForbiddenError(
          'not-your-lot',
          "Only an inspector of the lot's inspecting partner may record its inspection.",
        );
      }
      const earlier = await replay(trx);
      if (earlier) return earlier;
      if (lot.status !== 'quarantined') {
        throw new ConflictError('lot-not-quarantined', 'This lot is not waiting for inspection.');
      }
      const held = Number(lot.quantity);
      const passed =
        input.result === 'pass' ? held : input.result === 'fail' ? 0 : (input.passed_quantity ?? 0);
      if (input.result === 'partial' && !(passed > 0 && passed < held)) {
        throw new ValidationError([
          {
            path: '/passed_quantity',
            message: `a part pass needs a passed quantity from 1 to ${held - 1}`,
          },
        ]);
      }
      if (
        input.result !== 'partial' &&
        input.passed_quantity !== undefined &&
        passed !== input.passed_quantity
      ) {
        throw new ValidationError([
          { path: '/passed_quantity', message: 'is only for a part pass (or equals the result)' },
        ]);
      }
      const rejected = held - passed;
      const nowIso = clock().toISOString();
      const warehouseId = lot.warehouse_id;
      const account = (id: string, state: 'quarantined' | 'rejected') =>
        lotAccountId(id, 'warehouse', warehouseId, state);
      const references = { lot_id: lot.id, inspection_id: input.id };
      const batch: TransferInput[] = [];
      let rejectedLot: LotRecord | null = null;
      if (input.result === 'pass') {
        batch.push({
          id: inspectionTransferId(input.id, 'release'),
          pending_id: quarantineHoldId(lot.id),
          flags: TransferFlags.postPending,
          code: storeTransferCodes.inspectionRelease,
          references,
        });
      } else if (input.result === 'fail') {
        batch.push(
          {
            id: inspectionTransferId(input.id, 'void'),
            pending_id: quarantineHoldId(lot.id),
            flags: TransferFlags.voidPending | TransferFlags.linked,
            code: storeTransferCodes.inspectionReject,
            references,
          },
          {
            id: inspectionTransferId(input.id, 'reject'),
            debit_account_id: account(lot.id, 'quarantined'),
            credit_account_id: account(lot.id, 'rejected'),
            amount: held,
            commodity: lot.commodity,
            code: storeTransferCodes.inspectionReject,
            references,
          },
        );
      } else {
        rejectedLot = {
          ...lot,
          id: randomUUID(),
          number: `${lot.number}-R`,
          source: 'split',
          status: 'rejected',
          quantity: rejected,
          parent_lot_id: lot.id,
          created_at: nowIso,
        };
        await insertLots(trx, [rejectedLot]);
        await ensureAccounts(
          trx,
          lotAccountInputs(rejectedLot.id, lot.commodity, 'warehouse', warehouseId),
          clock,
        );
        batch.push(
          {
            id: inspectionTransferId(input.id, 'release'),
            pending_id: quarantineHoldId(lot.id),
            amount: passed,
            flags: TransferFlags.postPending | TransferFlags.linked,
            code: storeTransferCodes.inspectionRelease,
            references,
          },
          {
            id: inspectionTransferId(input.id, 'reject'),
            debit_account_id: account(lot.id, 'quarantined'),
            credit_account_id: account(rejectedLot.id, 'rejected'),
            amount: rejected,
            commodity: lot.commodity,
            code: storeTransferCodes.inspectionReject,
            references: { ...references, rejected_lot_id: rejectedLot.id },
          },
        );
      }
      await postTransfers(trx, batch, actor, clock);
      await updateLot(trx, lot.id, {
        status: input.result === 'fail' ? 'rejected' : 'released',
        ...(input.result === 'partial' ? { quantity: passed } : {}),
      });
      const row: InspectionRecord = {
        id: input.id,
        request_hash: requestHash,
        lot_id: lot.id,
        partner_id: partner.id,
        inspector_id: actor.userId ?? '',
        result: input.result,
        sample_size: input.sample_size ?? null,
        passed_quantity: passed,
        rejected_quantity: rejected,
        sterilisation_method: input.sterilisation?.method ?? null,
        sterilised_on: input.sterilisation?.date ?? null,
        sterilised_by: input.sterilisation?.by ?? null,
        certificate_ref: input.certificate_ref ?? null,
        notes: input.notes ?? null,
        rejected_lot_id: rejectedLot?.id ?? null,
        created_at: nowIso,
      };
      await insertInspection(trx, row);
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'lot.inspect',
          entity: 'lot',
          entityId: lot.id,
          fields: Object.keys(input),
        },
        clock,
      );
      return { created: true, result: await answer(trx, row, clock) };
    });
  } catch (error) {
    // A concurrent request with the same id won the insert: answer as its retry.
    if (isUniqueViolation(error)) {
      const earlier = await replay(storage.db);
      if (earlier) return earlier;
    }
    throw error;
  }
}
