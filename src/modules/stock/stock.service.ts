/**
 * Service point stock: each service point holds one account per commodity, flagged so that
 * physical stock cannot go negative. Receipts move goods in from the `stock_received` source,
 * idempotent by the client's id.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  ownerKinds,
  stockAccountId,
  stockReceiptTransferId,
  systemAccountId,
  systemAccounts,
  transferCodes,
  type SystemAccount,
} from '../../domain/entitlement/accounts.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import { AccountFlags } from '../../domain/ledger/ledger.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodity } from '../commodities/commodities.service.js';
import {
  createAccounts,
  createTransfers,
  getOwnedAccounts,
  getTransfers,
} from '../ledger/ledger.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import type { ReceiveStockInput, StockBalancesView, StockReceiptView } from './stock.schema.js';

export interface ReceiptResult {
  receipt: StockReceiptView;
  /** False when this is a retry of a receipt already recorded. */
  created: boolean;
}

function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

const systemAccountKinds: readonly SystemAccount[] = [
  systemAccounts.stockReceived,
  systemAccounts.delivered,
  systemAccounts.distributed,
];

/**
 * The accounts a service point's stock of a commodity needs: the stock account itself, the
 * source it is received from and the sinks a redemption moves it and the entitlement to.
 */
export function stockAccountInputs(servicePointId: string, commodity: string): AccountInput[] {
  return [
    {
      id: stockAccountId(servicePointId, commodity),
      commodity,
      owner_kind: ownerKinds.servicePoint,
      owner_id: servicePointId,
      flags: AccountFlags.debitsMustNotExceedCredits,
    },
    ...systemAccountKinds.map((kind) => ({
      id: systemAccountId(kind, commodity),
      commodity,
      owner_kind: ownerKinds.system,
      owner_id: kind,
      flags: 0,
    })),
  ];
}

/**
 * Receives stock into a service point in the actor's scope. The same id and body again
 * answers the first receipt (created: false); the same id with another body is a 409
 * `id-conflict`.
 */
export async function receiveStock(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  servicePointId: string,
  input: ReceiveStockInput,
  clock: Clock,
): Promise<ReceiptResult> {
  return writeTransaction(storage, async (trx) => {
    if (!(await findServicePoint(trx, actor.scope, servicePointId))) {
      throw new NotFoundError('service point');
    }
    const transferId = stockReceiptTransferId(input.id);
    const accountId = stockAccountId(servicePointId, input.commodity);
    const replay = async (): Promise<ReceiptResult> => {
      const [stored] = await getTransfers(trx, [transferId]);
      if (!stored || stored.credit_account_id !== accountId || stored.amount !== input.quantity) {
        throw idConflict();
      }
      return {
        created: false,
        receipt: {
          id: input.id,
          service_point_id: servicePointId,
          commodity: stored.commodity,
          quantity: stored.amount,
          received_at: stored.created_at,
        },
      };
    };
    if ((await getTransfers(trx, [transferId])).length > 0) return replay();
    if (!(await findCommodity(trx, input.commodity))) {
      throw new ValidationError([{ path: '/commodity', message: 'is not a known commodity' }]);
    }
    const accounts = await createAccounts(
      trx,
      stockAccountInputs(servicePointId, input.commodity),
      clock,
    );
    const failedAccount = accounts.find(
      (result) => result.result !== 'created' && result.result !== 'exists',
    );
    if (failedAccount) throw new Error(`account ${failedAccount.id}: ${failedAccount.result}`);
    const [result] = await createTransfers(
      trx,
      [
        {
          id: transferId,
          debit_account_id: systemAccountId(systemAccounts.stockReceived, input.commodity),
          credit_account_id: accountId,
          amount: input.quantity,
          commodity: input.commodity,
          code: transferCodes.stockReceipt,
          references: { service_point_id: servicePointId },
        },
      ],
      { actor, clock },
    );
    if (result?.result === 'exists') return replay();
    if (
      result?.result.startsWith('exists_with_different') ||
      result?.result === 'id_already_failed'
    ) {
      throw idConflict();
    }
    if (result?.result !== 'created') {
      throw new Error(`stock receipt ${transferId} failed: ${result?.result ?? 'no result'}`);
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'stock.receive',
        entity: 'service_point',
        entityId: servicePointId,
        fields: ['commodity', 'quantity'],
      },
      clock,
    );
    return {
      created: true,
      receipt: {
        id: input.id,
        service_point_id: servicePointId,
        commodity: input.commodity,
        quantity: input.quantity,
        received_at: clock().toISOString(),
      },
    };
  });
}

/** The stock a service point in the actor's scope holds, per commodity. */
export async function getStock(
  db: Executor,
  actor: Actor,
  servicePointId: string,
): Promise<StockBalancesView> {
  if (!(await findServicePoint(db, actor.scope, servicePointId))) {
    throw new NotFoundError('service point');
  }
  const accounts = (await getOwnedAccounts(db, ownerKinds.servicePoint, [servicePointId])).sort(
    (a, b) => a.commodity.localeCompare(b.commodity),
  );
  return {
    service_point_id: servicePointId,
    items: accounts.map((account) => {
      const onHand = account.credits_posted - account.debits_posted;
      return {
        commodity: account.commodity,
        on_hand: onHand,
        reserved: account.debits_pending,
        available: onHand - account.debits_pending,
      };
    }),
  };
}
