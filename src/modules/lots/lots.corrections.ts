/**
 * Corrections of a received quantity: a miscounted donation line is never edited; a reversing
 * transfer (`available -> donated`, or `donated -> available` for more) records the correction
 * with its reason, and the lot's received quantity follows. Only for a released lot at its own
 * warehouse; idempotent by the client's id (the transfer's id).
 */
import type { Static } from '@sinclair/typebox';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { isSuccess } from '../../domain/ledger/ledger.js';
import {
  lotAccountId,
  storeSystemAccountId,
  storeSystemAccounts,
  storeTransferCodes,
} from '../../domain/stores/accounts.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createTransfers, getTransfers } from '../ledger/ledger.service.js';
import { updateLot } from './lots.repository.js';
import type { Correction, CorrectionInput } from './lots.schema.js';
import { lotStatus } from './lots.status.js';
import { ensureAccounts, lotAccountInputs } from './lots.ledger.js';
import { presentLots, requireLot } from './lots.service.js';

/** Corrects a released lot's received quantity by `quantity` (negative: fewer were received). */
export async function correctReceipt(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  lotId: string,
  input: CorrectionInput,
  clock: Clock,
): Promise<{ created: boolean; correction: Static<typeof Correction> }> {
  if (input.quantity === 0) {
    throw new ValidationError([{ path: '/quantity', message: 'must not be 0' }]);
  }
  return writeTransaction(storage, async (trx) => {
    const lot = await requireLot(trx, actor, lotId);
    const transferId = `correction:${input.id}`;
    const answer = async (quantity: number) => ({
      id: input.id,
      lot_id: lot.id,
      quantity,
      reason: input.reason.trim(),
      lot: (await presentLots(trx, [await requireLot(trx, actor, lotId)], clock))[0]!,
    });
    const [earlier] = await getTransfers(trx, [transferId]);
    if (earlier) {
      const signed =
        earlier.code === storeTransferCodes.receiptCorrectionOut ? -earlier.amount : earlier.amount;
      if (signed !== input.quantity) {
        throw new ConflictError('id-conflict', 'This id was already used for another request.');
      }
      return { created: false, correction: await answer(signed) };
    }
    const status = lotStatus(lot, clock);
    if (status !== 'released') {
      throw new ConflictError(
        'lot-not-released',
        `Lot ${lot.number} is ${status}: only a released lot's receipt is corrected here.`,
        { lot_id: lot.id, lot_status: status },
      );
    }
    await ensureAccounts(
      trx,
      lotAccountInputs(lot.id, lot.commodity, 'warehouse', lot.warehouse_id),
      clock,
    );
    const shelf = lotAccountId(lot.id, 'warehouse', lot.warehouse_id, 'available');
    const source = storeSystemAccountId(storeSystemAccounts.donated, lot.commodity);
    const [result] = await createTransfers(
      trx,
      [
        {
          id: transferId,
          debit_account_id: input.quantity < 0 ? shelf : source,
          credit_account_id: input.quantity < 0 ? source : shelf,
          amount: Math.abs(input.quantity),
          commodity: lot.commodity,
          code:
            input.quantity < 0
              ? storeTransferCodes.receiptCorrectionOut
              : storeTransferCodes.receiptCorrectionIn,
          references: { lot_id: lot.id, reason: input.reason.trim() },
        },
      ],
      { actor, clock },
    );
    if (result?.result === 'exceeds_credits') {
      throw new ConflictError(
        'insufficient-stock',
        'Less of this lot is available than the correction removes.',
        { lot_id: lot.id },
      );
    }
    if (!result || !isSuccess(result.result)) {
      throw new Error(`correction ${transferId}: ${result?.result ?? 'no result'}`);
    }
    await updateLot(trx, lot.id, { quantity: Number(lot.quantity) + input.quantity });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'lot.correct',
        entity: 'lot',
        entityId: lot.id,
        fields: ['quantity', 'reason'],
      },
      clock,
    );
    return { created: true, correction: await answer(input.quantity) };
  });
}
