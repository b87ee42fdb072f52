/**
 * Disposal of rejected goods, recorded after the inspection that rejected them: a transfer from
 * the lot's `rejected` account in its warehouse to the commodity's `disposed` sink, carrying the
 * method and note. Idempotent by the client's id (the transfer's id).
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
import { ConflictError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createTransfers, getTransfers } from '../ledger/ledger.service.js';
import type { Disposal, DisposalInput } from './lots.schema.js';
import {
  ensureAccounts,
  lotAccountInputs,
  presentLots,
  requireLot,
  warehouseQuantities,
} from './lots.service.js';

/** Disposes of (part of) a lot's rejected stock; 409 nothing-to-dispose when there is too little. */
export async function disposeRejected(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  lotId: string,
  input: DisposalInput,
  clock: Clock,
): Promise<{ created: boolean; disposal: Static<typeof Disposal> }> {
  return writeTransaction(storage, async (trx) => {
    const lot = await requireLot(trx, actor, lotId);
    const transferId = `disposal:${input.id}`;
    const answer = async (quantity: number) => ({
      id: input.id,
      lot_id: lot.id,
      quantity,
      method: input.method.trim(),
      lot: (await presentLots(trx, [lot], clock))[0]!,
    });
    const [earlier] = await getTransfers(trx, [transferId]);
    if (earlier) return { created: false, disposal: await answer(earlier.amount) };
    const rejected = (await warehouseQuantities(trx, [lot])).get(lot.id)!.rejected;
    const quantity = input.quantity ?? rejected;
    if (quantity <= 0 || quantity > rejected) {
      throw new ConflictError(
        'nothing-to-dispose',
        'The lot holds less rejected stock here than this disposal names.',
        { rejected },
      );
    }
    await ensureAccounts(
      trx,
      lotAccountInputs(lot.id, lot.commodity, 'warehouse', lot.warehouse_id),
      clock,
    );
    const [result] = await createTransfers(
      trx,
      [
        {
          id: transferId,
          debit_account_id: lotAccountId(lot.id, 'warehouse', lot.warehouse_id, 'rejected'),
          credit_account_id: storeSystemAccountId(storeSystemAccounts.disposed, lot.commodity),
          amount: quantity,
          commodity: lot.commodity,
          code: storeTransferCodes.disposal,
          references: {
            lot_id: lot.id,
            method: input.method.trim(),
            ...(input.note?.trim() ? { note: input.note.trim() } : {}),
          },
        },
      ],
      { actor, clock },
    );
    if (!result || !isSuccess(result.result)) {
      throw new ConflictError('id-conflict', 'This id was already used for another request.');
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'lot.dispose',
        entity: 'lot',
        entityId: lot.id,
        fields: Object.keys(input),
      },
      clock,
    );
    return { created: true, disposal: await answer(quantity) };
  });
}
