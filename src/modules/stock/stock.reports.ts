/**
 * Stock reports: alerts (lots expiring soon, holders below their reorder level) and the
 * pipeline of each commodity from donation to households, counted from the ledger's transfers.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { transferCodes } from '../../domain/entitlement/accounts.js';
import { hasFlag, TransferFlags } from '../../domain/ledger/ledger.js';
import { storeTransferCodes } from '../../domain/stores/accounts.js';
import { addDays } from '../../domain/runs/calendar.js';
import { ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodity } from '../commodities/commodities.service.js';
import { sumTransfersByCode } from '../ledger/ledger.service.js';
import { listLots, today } from '../lots/lots.service.js';
import { listReorderLevels, upsertReorderLevel } from './stock.counts.repository.js';
import { getHoldings } from './stock.holdings.js';
import type { AlertsView, PipelineView, ReorderLevelInput } from './stock.schema.js';

/** Sets the least a holder should keep of a commodity (0 turns the alert off). */
export async function setReorderLevel(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: ReorderLevelInput,
  clock: Clock,
): Promise<ReorderLevelInput> {
  return writeTransaction(storage, async (trx) => {
    if (!(await findCommodity(trx, input.commodity))) {
      throw new ValidationError([{ path: '/commodity', message: 'is not a known commodity' }]);
    }
    await upsertReorderLevel(trx, { ...input, updated_at: clock().toISOString() });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'stock.reorder_level',
        entity: input.holder_kind,
        entityId: input.holder_id,
        fields: ['commodity', 'level'],
      },
      clock,
    );
    return input;
  });
}

/** Lots expiring within `withinDays` (or already expired) still held, and holders below their level. */
export async function getAlerts(
  db: Executor,
  actor: Actor,
  withinDays: number,
  clock: Clock,
): Promise<AlertsView> {
  const until = addDays(today(clock), withinDays);
  const lots = await listLots(db, actor, {}, clock);
  const expiring = lots
    .filter(
      (lot) =>
        lot.expires_on !== null &&
        lot.expires_on <= until &&
        lot.status !== 'rejected' &&
        lot.in_warehouse.quarantined + lot.in_warehouse.available + lot.in_warehouse.allocated > 0,
    )
    .map((lot) => ({
      lot_id: lot.id,
      number: lot.number,
      commodity: lot.commodity,
      warehouse_id: lot.warehouse_id,
      expires_on: lot.expires_on!,
      status: lot.status,
      quantity:
        lot.in_warehouse.quarantined +
        lot.in_warehouse.available +
        lot.in_warehouse.allocated -
        lot.in_warehouse.in_transit,
    }))
    .sort((a, b) => (a.expires_on < b.expires_on ? -1 : a.expires_on > b.expires_on ? 1 : 0));
  const levels = (await listReorderLevels(db)).filter((level) => Number(level.level) > 0);
  const belowReorder: AlertsView['below_reorder'] = [];
  if (levels.length > 0) {
    const { items } = await getHoldings(db, actor, {}, clock);
    const available = new Map<string, number>();
    for (const item of items) {
      if (item.state !== 'available' || (item.status !== null && item.status !== 'released')) {
        continue;
      }
      const key = `${item.holder_kind}\u0000${item.holder_id}\u0000${item.commodity}`;
      available.set(key, (available.get(key) ?? 0) + item.quantity);
    }
    for (const level of levels) {
      const key = `${level.holder_kind}\u0000${level.holder_id}\u0000${level.commodity}`;
      const held = available.get(key) ?? 0;
      if (held < Number(level.level)) {
        belowReorder.push({
          holder_kind: level.holder_kind,
          holder_id: level.holder_id,
          commodity: level.commodity,
          level: Number(level.level),
          available: held,
        });
      }
    }
  }
  return { until, expiring, below_reorder: belowReorder };
}

const pipelineCodes = [
  ...Object.values(storeTransferCodes),
  transferCodes.redemptionStock,
] as readonly string[];

/**
 * Per commodity, from the ledger: donated -> awaiting inspection / passed / rejected ->
 * released -> allocated -> dispatched -> received by recipients (or lost in transit) ->
 * issued to volunteers, and handed to households at service points (all of that commodity).
 */
export async function getPipeline(db: Executor, commodity?: string): Promise<PipelineView> {
  const rows = await sumTransfersByCode(db, pipelineCodes, commodity);
  const byCommodity = new Map<string, Map<string, number>>();
  const add = (code: string, key: string, amount: number) => {
    const sums = byCommodity.get(code) ?? new Map<string, number>();
    sums.set(key, (sums.get(key) ?? 0) + amount);
    byCommodity.set(code, sums);
  };
  for (const row of rows) {
    const kind = hasFlag(row.flags, TransferFlags.voidPending)
      ? 'voided'
      : hasFlag(row.flags, TransferFlags.pending)
        ? 'pending'
        : 'moved';
    add(row.commodity, `${row.code}:${kind}`, row.amount);
  }
  const items = [...byCommodity.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, sums]) => {
      const sum = (key: string) => sums.get(key) ?? 0;
      // Corrections of received quantities count as received (more) or not received (fewer).
      const donated =
        sum(`${storeTransferCodes.donationReceipt}:moved`) +
        sum(`${storeTransferCodes.receiptCorrectionIn}:moved`) -
        sum(`${storeTransferCodes.receiptCorrectionOut}:moved`);
      const quarantined = sum(`${storeTransferCodes.quarantineHold}:pending`);
      const passed = sum(`${storeTransferCodes.inspectionRelease}:moved`);
      const rejected = sum(`${storeTransferCodes.inspectionReject}:moved`);
      return {
        commodity: code,
        donated,
        awaiting_inspection: quarantined - passed - rejected,
        passed_inspection: passed,
        rejected,
        disposed: sum(`${storeTransferCodes.disposal}:moved`),
        released: donated - quarantined + passed,
        allocated:
          sum(`${storeTransferCodes.allocationHold}:moved`) -
          sum(`${storeTransferCodes.allocationRelease}:moved`),
        dispatched: sum(`${storeTransferCodes.allocationDispatch}:pending`),
        received_by_recipients: sum(`${storeTransferCodes.allocationReceipt}:moved`),
        lost_in_transit: sum(`${storeTransferCodes.lossInTransit}:moved`),
        issued_to_volunteers: sum(`${storeTransferCodes.ppeIssue}:moved`),
        handed_to_households: sum(`${transferCodes.redemptionStock}:moved`),
      };
    });
  return { items };
}
