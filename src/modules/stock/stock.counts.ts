/**
 * Warehouse stock counts: what is on the shelf per lot, against the books (every state but in
 * transit). A count changes nothing until a second person approves it; approval posts each
 * difference to the lot's available account against the commodity's `count_difference`
 * account (a shortfall out, a surplus in), so the books match the shelves and `awn ledger
 * verify` still balances. Idempotent by the client's id.
 */
import { hash } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  systemAccountId,
  systemAccounts,
  transferCodes,
} from '../../domain/entitlement/accounts.js';
import { canonicalJson, TransferFlags, type TransferInput } from '../../domain/ledger/ledger.js';
import { lotAccountId } from '../../domain/stores/accounts.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createTransfers } from '../ledger/ledger.service.js';
import { ensureAccounts, findLots, warehouseQuantities } from '../lots/lots.service.js';
import { requireWarehouse } from '../warehouses/warehouses.service.js';
import {
  approveCountRow,
  findCount,
  findCountLines,
  insertCount,
  listCounts as selectCounts,
  type StockCountLineRecord,
  type StockCountRecord,
} from './stock.counts.repository.js';
import type { StockCountInput, StockCountView } from './stock.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

async function present(db: Executor, row: StockCountRecord): Promise<StockCountView> {
  return {
    id: row.id,
    warehouse_id: row.warehouse_id,
    status: row.status,
    counted_by: row.counted_by,
    counted_at: row.counted_at,
    approved_by: row.approved_by,
    approved_at: row.approved_at,
    lines: (await findCountLines(db, row.id)).map((line) => ({
      lot_id: line.lot_id,
      commodity: line.commodity,
      books: Number(line.books),
      counted: Number(line.counted),
      difference: Number(line.difference),
    })),
  };
}

/** Records a count of lots in a warehouse (201; same id and body: 200; other body: 409). */
export async function submitCount(
  storage: WriteStorage,
  actor: Actor,
  warehouseId: string,
  input: StockCountInput,
  clock: Clock,
): Promise<{ created: boolean; count: StockCountView }> {
  const requestHash = hash('sha256', canonicalJson({ warehouse_id: warehouseId, ...input }));
  const replay = async (db: Executor) => {
    const stored = await findCount(db, input.id);
    if (!stored) return null;
    if (stored.request_hash !== requestHash) {
      throw new ConflictError('id-conflict', 'This id was already used for another request.');
    }
    return { created: false, count: await present(db, stored) };
  };
  try {
    return await writeTransaction(storage, async (trx) => {
      const earlier = await replay(trx);
      if (earlier) return earlier;
      await requireWarehouse(trx, actor, warehouseId);
      const lots = new Map(
        (
          await findLots(
            trx,
            input.lines.map((line) => line.lot_id),
          )
        ).map((lot) => [lot.id, lot]),
      );
      const seen = new Set<string>();
      const issues = input.lines.flatMap((line, index) => {
        const lot = lots.get(line.lot_id);
        const duplicate = seen.has(line.lot_id);
        seen.add(line.lot_id);
        if (!lot || lot.warehouse_id !== warehouseId) {
          return [{ path: `/lines/${index}/lot_id`, message: 'is not a lot of this warehouse' }];
        }
        return duplicate ? [{ path: `/lines/${index}/lot_id`, message: 'is counted twice' }] : [];
      });
      if (issues.length > 0) throw new ValidationError(issues);
      const quantities = await warehouseQuantities(trx, [...lots.values()]);
      const nowIso = clock().toISOString();
      const row: StockCountRecord = {
        id: input.id,
        request_hash: requestHash,
        warehouse_id: warehouseId,
        status: 'submitted',
        counted_by: actor.userId,
        counted_at: nowIso,
        approved_by: null,
        approved_at: null,
      };
      const lines: StockCountLineRecord[] = input.lines.map((line) => {
        const held = quantities.get(line.lot_id)!;
        const books =
          held.quarantined + held.available + held.allocated - held.in_transit + held.rejected;
        return {
          count_id: input.id,
          lot_id: line.lot_id,
          commodity: lots.get(line.lot_id)!.commodity,
          books,
          counted: line.quantity,
          difference: line.quantity - books,
        };
      });
      await insertCount(trx, row, lines);
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'stock.count',
          entity: 'warehouse',
          entityId: warehouseId,
          fields: ['lines'],
        },
        clock,
      );
      return { created: true, count: await present(trx, row) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const earlier = await replay(storage.db);
      if (earlier) return earlier;
    }
    throw error;
  }
}

/**
 * Approves a count and posts its differences. The approver must be another person than the
 * one who counted (409 second-person-required); 409 count-below-held when a shortfall is more
 * than the lot has available (the rest is quarantined, allocated or rejected).
 */
export async function approveCount(
  storage: WriteStorage,
  actor: Actor,
  warehouseId: string,
  countId: string,
  clock: Clock,
): Promise<StockCountView> {
  return writeTransaction(storage, async (trx) => {
    await requireWarehouse(trx, actor, warehouseId);
    const row = await findCount(trx, countId);
    if (!row || row.warehouse_id !== warehouseId) throw new NotFoundError('count');
    if (row.status === 'approved') return present(trx, row);
    if (row.counted_by !== null && row.counted_by === actor.userId) {
      throw new ConflictError(
        'second-person-required',
        'A count is approved by someone other than the person who counted it.',
      );
    }
    const lines = (await findCountLines(trx, countId)).filter(
      (line) => Number(line.difference) !== 0,
    );
    await ensureAccounts(
      trx,
      lines.map((line) => ({
        id: systemAccountId(systemAccounts.countDifference, line.commodity),
        commodity: line.commodity,
        owner_kind: 'system',
        owner_id: systemAccounts.countDifference,
        flags: 0,
      })),
      clock,
    );
    const batch: TransferInput[] = lines.map((line, index) => {
      const difference = Number(line.difference);
      const shelf = lotAccountId(line.lot_id, 'warehouse', warehouseId, 'available');
      const source = systemAccountId(systemAccounts.countDifference, line.commodity);
      return {
        id: `count:${countId}:${line.lot_id}`,
        debit_account_id: difference < 0 ? shelf : source,
        credit_account_id: difference < 0 ? source : shelf,
        amount: Math.abs(difference),
        commodity: line.commodity,
        code: transferCodes.countAdjustment,
        references: { count_id: countId, lot_id: line.lot_id },
        ...(index < lines.length - 1 ? { flags: TransferFlags.linked } : {}),
      };
    });
    const results = await createTransfers(trx, batch, { actor, clock });
    const short = results.findIndex((result) => result.result === 'exceeds_credits');
    if (short >= 0) {
      throw new ConflictError(
        'count-below-held',
        'A counted shortfall is more than the lot has available; resolve its allocations or inspection first.',
        { lot_id: lines[short]!.lot_id },
      );
    }
    const failed = results.find(
      (result) => result.result !== 'created' && result.result !== 'exists',
    );
    if (failed) throw new Error(`count transfer ${failed.id}: ${failed.result}`);
    await approveCountRow(trx, countId, actor.userId, clock().toISOString());
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'stock.count.approve',
        entity: 'warehouse',
        entityId: warehouseId,
        fields: ['status'],
      },
      clock,
    );
    return present(trx, (await findCount(trx, countId))!);
  });
}

export async function getCount(
  db: Executor,
  actor: Actor,
  warehouseId: string,
  countId: string,
): Promise<StockCountView> {
  await requireWarehouse(db, actor, warehouseId);
  const row = await findCount(db, countId);
  if (!row || row.warehouse_id !== warehouseId) throw new NotFoundError('count');
  return present(db, row);
}

/** A warehouse's latest counts (50), newest first, with their lines. */
export async function listCounts(
  db: Executor,
  actor: Actor,
  warehouseId: string,
): Promise<StockCountView[]> {
  await requireWarehouse(db, actor, warehouseId);
  const rows = await selectCounts(db, warehouseId, 50);
  const views: StockCountView[] = [];
  for (const row of rows) views.push(await present(db, row));
  return views;
}
