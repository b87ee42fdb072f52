/**
 * The office's queue of field exceptions. Approving records the goods handed over against the
 * overdraw account (entitlement side: overdraw -> delivered; goods: suspense, or overdraw when
 * the team's stock did not hold them, -> distributed), so the books balance; rejecting records
 * why, and the goods held in suspense are written off as lost. An exception is never deleted.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { systemAccountId, systemAccounts } from '../../domain/entitlement/accounts.js';
import { TransferFlags, isSuccess, type TransferInput } from '../../domain/ledger/ledger.js';
import {
  exceptionTransferId,
  runSystemAccountId,
  runSystemAccounts,
  runTransferCodes,
} from '../../domain/runs/accounts.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createTransfers } from '../ledger/ledger.service.js';
import { getRun, listRuns, parseItems } from '../runs/runs.service.js';
import {
  findException,
  findExceptions,
  updateException,
  type ExceptionRecord,
} from './sync.repository.js';
import type { FieldExceptionView } from './sync.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

function present(row: ExceptionRecord): FieldExceptionView {
  return {
    id: row.id,
    op_id: row.op_id,
    run_id: row.run_id,
    stop_id: row.stop_id,
    household_id: row.household_id,
    items: parseItems(row.items_json),
    code: row.code,
    status: row.status,
    resolution_reason: row.resolution_reason,
    resolved_at: row.resolved_at,
    created_at: row.created_at,
  };
}

/** Exceptions of runs in the actor's scope, oldest first. */
export async function listExceptions(
  db: Executor,
  actor: Actor,
  filter: { status?: string | undefined; run_id?: string | undefined },
): Promise<FieldExceptionView[]> {
  const runIds =
    actor.scope.kind === 'all' ? undefined : (await listRuns(db, actor, {})).map((run) => run.id);
  const rows = await findExceptions(db, {
    status: filter.status,
    runId: filter.run_id,
    ...(runIds ? { runIds } : {}),
  });
  return rows.map(present);
}

async function resolve(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  decision: 'approved' | 'rejected',
  reason: string | null,
  clock: Clock,
): Promise<FieldExceptionView> {
  return writeTransaction(storage, async (trx) => {
    const row = await findException(trx, id);
    if (!row) throw new NotFoundError('exception');
    await getRun(trx, actor, row.run_id);
    if (row.status !== 'open') {
      if (row.status === decision) return present(row);
      throw new ConflictError('exception-resolved', `This exception was already ${row.status}.`);
    }
    const items = parseItems(row.items_json);
    const references = {
      exception_id: row.id,
      op_id: row.op_id,
      run_id: row.run_id,
      ...(row.household_id ? { household_id: row.household_id } : {}),
    };
    const goodsFrom = (commodity: string) =>
      row.goods_held === 'team'
        ? runSystemAccountId(runSystemAccounts.suspense, commodity)
        : runSystemAccountId(runSystemAccounts.overdraw, commodity);
    let transfers: TransferInput[] = [];
    if (decision === 'approved') {
      transfers = items.flatMap((item) => [
        {
          id: exceptionTransferId(row.id, item.commodity, 'entitlement'),
          debit_account_id: runSystemAccountId(runSystemAccounts.overdraw, item.commodity),
          credit_account_id: systemAccountId(systemAccounts.delivered, item.commodity),
          amount: item.quantity,
          commodity: item.commodity,
          code: runTransferCodes.exceptionApproved,
          references,
        },
        {
          id: exceptionTransferId(row.id, item.commodity, 'goods'),
          debit_account_id: goodsFrom(item.commodity),
          credit_account_id: systemAccountId(systemAccounts.distributed, item.commodity),
          amount: item.quantity,
          commodity: item.commodity,
          code: runTransferCodes.exceptionGoods,
          references,
        },
      ]);
    } else if (row.goods_held === 'team') {
      transfers = items.map((item) => ({
        id: exceptionTransferId(row.id, item.commodity, 'goods'),
        debit_account_id: runSystemAccountId(runSystemAccounts.suspense, item.commodity),
        credit_account_id: runSystemAccountId(runSystemAccounts.lost, item.commodity),
        amount: item.quantity,
        commodity: item.commodity,
        code: runTransferCodes.exceptionRejected,
        references,
      }));
    }
    const linked = transfers.map((transfer, index) => ({
      ...transfer,
      flags: index < transfers.length - 1 ? TransferFlags.linked : 0,
    }));
    const results = await createTransfers(trx, linked, { actor, clock });
    const failed = results.find((result) => !isSuccess(result.result));
    if (failed) throw new Error(`exception transfer ${failed.id} failed: ${failed.result}`);
    const changes = {
      status: decision,
      resolution_reason: reason,
      resolved_by: actor.userId,
      resolved_at: clock().toISOString(),
    };
    await updateException(trx, id, changes);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: `field_exception.${decision === 'approved' ? 'approve' : 'reject'}`,
        entity: 'field_exception',
        entityId: id,
        fields: ['status', 'resolution_reason'],
      },
      clock,
    );
    return present({ ...row, ...changes });
  });
}

export async function approveException(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
) {
  return resolve(storage, actor, id, 'approved', null, clock);
}

export async function rejectException(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  reason: string,
  clock: Clock,
) {
  return resolve(storage, actor, id, 'rejected', reason.trim(), clock);
}
