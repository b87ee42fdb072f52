/**
 * Field sync: a batch of ops recorded offline on a phone, answered per op in order.
 *
 * - An op's id is the phone's (time-ordered); the first answer is stored in `sync_ops`. The
 *   same op again is `duplicate` and changes nothing; the same id with other content is
 *   `rejected` `id-conflict`; inside one batch the second copy of an id is `duplicate`.
 * - `applied` deliveries post the stop's reservations (what was not handed over is released)
 *   and move the goods from the team's stock to the distributed sink; `visit-failed` keeps the
 *   reservation until the run closes. Ad-hoc deliveries (a card instead of a stop) take free
 *   entitlement of the run's cycle directly.
 * - A report the books cannot take (a stop already delivered, a closed run, entitlement held
 *   elsewhere...) is an `exception`: it is queued for the office, and the goods the volunteer
 *   says were handed over move from the team's stock to a suspense account, so nothing is lost.
 * - A malformed op, or one naming a run or stop the sender may not touch, is `rejected`.
 * Transfer ids derive from stop and op ids, so the ledger's own idempotency backs all of it.
 * One batch is one write transaction: ops on one run from several devices serialize on its row.
 */
import { hash, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import type { StopState } from '../../db/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import {
  entitlementAccountId,
  systemAccountId,
  systemAccounts,
} from '../../domain/entitlement/accounts.js';
import {
  TransferFlags,
  canonicalJson,
  isSuccess,
  type TransferInput,
  type TransferResult,
} from '../../domain/ledger/ledger.js';
import {
  adHocTransferId,
  deliverGoodsTransferId,
  deliverTransferId,
  exceptionTransferId,
  reserveTransferId,
  runSystemAccountId,
  runSystemAccounts,
  runTransferCodes,
  teamStockAccountId,
} from '../../domain/runs/accounts.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { resolveCards } from '../cards/cards.service.js';
import { createTransfers, getAccounts } from '../ledger/ledger.service.js';
import { findServicePointAreaPaths } from '../service-points/service-points.service.js';
import { failedReasons } from '../runs/runs.schema.js';
import {
  findStopsByIds,
  lockRuns,
  parseItems,
  updateStopResults,
  type Item,
  type RunRecord,
  type StopRecord,
  type StopResult,
} from '../runs/runs.service.js';
import { teamsOfVolunteer } from '../teams/teams.service.js';
import { volunteerOfUser } from '../volunteers/volunteers.service.js';
import {
  findSyncOps,
  insertExceptions,
  lockOpIds,
  insertSyncOps,
  updateDevice,
  type DeviceRecord,
  type ExceptionRecord,
  type SyncOpRecord,
} from './sync.repository.js';
import type { SyncResultView } from './sync.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** A field op as the phone sends it, once its shape is checked. */
export type FieldOp =
  | { id: string; kind: 'delivery'; run_id: string; stop_id: string; items: Item[]; at: string }
  | { id: string; kind: 'delivery'; run_id: string; card: string; items: Item[]; at: string }
  | {
      id: string;
      kind: 'visit-failed';
      run_id: string;
      stop_id: string;
      reason: string;
      at: string;
    };

const idPattern = /^[A-Za-z0-9_-]{1,100}$/u;
const commodityPattern = /^[a-z][a-z0-9_]{0,39}$/u;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The op, or why it is malformed (`path` names the bad field). */
export function parseOp(
  raw: unknown,
): { ok: true; op: FieldOp } | { ok: false; path: string; message: string } {
  const bad = (path: string, message: string) => ({ ok: false as const, path, message });
  if (!isRecord(raw)) return bad('', 'must be an object');
  const id = raw.id;
  if (typeof id !== 'string' || !idPattern.test(id))
    return bad('/id', 'must be 1 to 100 letters, digits, - or _');
  const kind = raw.kind;
  const allowed =
    kind === 'delivery'
      ? ['id', 'kind', 'run_id', 'items', 'at', 'card' in raw ? 'card' : 'stop_id']
      : kind === 'visit-failed'
        ? ['id', 'kind', 'run_id', 'stop_id', 'reason', 'at']
        : null;
  if (allowed === null) return bad('/kind', "must be 'delivery' or 'visit-failed'");
  for (const key of Object.keys(raw))
    if (!allowed.includes(key)) return bad(`/${key}`, 'is not allowed here');
  if (typeof raw.run_id !== 'string' || !idPattern.test(raw.run_id))
    return bad('/run_id', 'must be a run id');
  if (typeof raw.at !== 'string' || raw.at.length > 40 || Number.isNaN(Date.parse(raw.at))) {
    return bad('/at', 'must be a date-time');
  }
  const at = new Date(raw.at).toISOString();
  if (kind === 'visit-failed') {
    if (typeof raw.stop_id !== 'string' || !idPattern.test(raw.stop_id))
      return bad('/stop_id', 'must be a stop id');
    if (
      typeof raw.reason !== 'string' ||
      !(failedReasons as readonly string[]).includes(raw.reason)
    ) {
      return bad('/reason', `must be one of ${failedReasons.join(', ')}`);
    }
    return {
      ok: true,
      op: {
        id,
        kind: 'visit-failed',
        run_id: raw.run_id,
        stop_id: raw.stop_id,
        reason: raw.reason,
        at,
      },
    };
  }
  if (!Array.isArray(raw.items) || raw.items.length === 0 || raw.items.length > 20) {
    return bad('/items', 'must list 1 to 20 items');
  }
  const items: Item[] = [];
  const seen = new Set<string>();
  for (const [index, item] of raw.items.entries()) {
    if (
      !isRecord(item) ||
      Object.keys(item).some((key) => key !== 'commodity' && key !== 'quantity')
    ) {
      return bad(`/items/${index}`, 'must be {commodity, quantity}');
    }
    if (
      typeof item.commodity !== 'string' ||
      !commodityPattern.test(item.commodity) ||
      seen.has(item.commodity)
    ) {
      return bad(`/items/${index}/commodity`, 'must be a commodity code, once');
    }
    if (
      typeof item.quantity !== 'number' ||
      !Number.isSafeInteger(item.quantity) ||
      item.quantity < 1
    ) {
      return bad(`/items/${index}/quantity`, 'must be a positive whole number');
    }
    seen.add(item.commodity);
    items.push({ commodity: item.commodity, quantity: item.quantity });
  }
  items.sort((a, b) => (a.commodity < b.commodity ? -1 : 1));
  if ('card' in raw) {
    if (typeof raw.card !== 'string' || raw.card.length < 1 || raw.card.length > 2000)
      return bad('/card', 'must be a card number or QR payload');
    return {
      ok: true,
      op: { id, kind: 'delivery', run_id: raw.run_id, card: raw.card, items, at },
    };
  }
  if (typeof raw.stop_id !== 'string' || !idPattern.test(raw.stop_id))
    return bad('/stop_id', 'must be a stop id');
  return {
    ok: true,
    op: { id, kind: 'delivery', run_id: raw.run_id, stop_id: raw.stop_id, items, at },
  };
}

/** SHA-256 of the op's canonical JSON: what "the same op" means. */
export function opHash(op: FieldOp): string {
  return hash('sha256', canonicalJson(op));
}

/** Who sends a batch: the actor and, for an enrolled phone, its device row and op count. */
export interface SyncSender {
  actor: Actor;
  device?: DeviceRecord | undefined;
  /** How many ops the phone says it has ever recorded (header Awn-Device-Ops). */
  deviceOpCount?: number | undefined;
}

export interface SyncOutcome {
  results: SyncResultView[];
  /** True when the phone holds fewer ops than the server has received from it. */
  deviceWiped: boolean;
}

interface Pending {
  index: number;
  op: FieldOp;
  contentHash: string;
  run: RunRecord;
  stop?: StopRecord;
}

interface Answer {
  status: 'applied' | 'exception' | 'rejected';
  code?: string;
  message?: string;
}

const messages: Record<string, string> = {
  'id-conflict': 'This id was already used for another op.',
  'run-not-found': 'No such run.',
  'stop-not-found': 'No such stop on this run.',
  'not-a-member': 'You are not a member of this run’s team.',
  'run-not-dispatched': 'The run has not been dispatched.',
  'run-closed': 'The run was closed before this was received.',
  'already-delivered': 'This stop was already delivered by another op.',
  'stop-not-reserved': 'This stop holds no reservation.',
  'exceeds-reservation': 'More was handed over than the stop reserved.',
  'reservation-expired': 'The reservation expired before this was received.',
  'card-invalid': 'This card is not valid.',
  'card-revoked': 'This card was revoked.',
  'household-not-active': 'The household is not active.',
  'entitlement-held': 'The household’s entitlement is reserved elsewhere or already used.',
  'insufficient-team-stock': 'The team’s stock on the books does not cover this.',
};

function answer(status: Answer['status'], code: string): Answer {
  return { status, code, message: messages[code] ?? code };
}

/** Ingests one batch in one write transaction; one result per op, in order. */
export async function syncOps(
  storage: WriteStorage,
  sender: SyncSender,
  ops: readonly unknown[],
  clock: Clock,
): Promise<SyncOutcome> {
  return writeTransaction(storage, (trx) => ingest(trx, sender, ops, clock));
}

async function ingest(
  trx: Executor,
  sender: SyncSender,
  rawOps: readonly unknown[],
  clock: Clock,
): Promise<SyncOutcome> {
  const { actor } = sender;
  const now = clock().toISOString();
  const results: SyncResultView[] = new Array<SyncResultView>(rawOps.length);
  const parsed: { index: number; op: FieldOp; contentHash: string }[] = [];
  for (const [index, raw] of rawOps.entries()) {
    const checked = parseOp(raw);
    if (checked.ok) parsed.push({ index, op: checked.op, contentHash: opHash(checked.op) });
    else {
      const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : null;
      results[index] = {
        id,
        status: 'rejected',
        code: 'invalid-op',
        message: `${checked.path || 'op'} ${checked.message}`,
      };
    }
  }

  // Replays: earlier in this batch, or stored from an earlier batch.
  // Runs first, then op ids, each in a fixed order: two batches never deadlock, and a batch
  // reads the stored ops only once no other batch can still add one of its ids.
  const runs = new Map(
    (await lockRuns(trx, [...new Set(parsed.map((entry) => entry.op.run_id))])).map((run) => [
      run.id,
      run,
    ]),
  );
  await lockOpIds(trx, [...new Set(parsed.map((entry) => entry.op.id))]);
  const stored = new Map(
    (await findSyncOps(trx, [...new Set(parsed.map((entry) => entry.op.id))])).map((row) => [
      row.id,
      row,
    ]),
  );
  const firstInBatch = new Map<string, string>();
  const fresh: typeof parsed = [];
  for (const entry of parsed) {
    const { op, index, contentHash } = entry;
    const earlier = firstInBatch.get(op.id) ?? stored.get(op.id)?.content_hash;
    if (earlier !== undefined) {
      const first = stored.get(op.id);
      results[index] =
        earlier !== contentHash
          ? { id: op.id, ...answer('rejected', 'id-conflict') }
          : {
              id: op.id,
              status: 'duplicate',
              ...(first?.code ? { code: first.code } : {}),
              ...(first?.message
                ? { message: `first answered ${first.status}: ${first.message}` }
                : {}),
            };
      continue;
    }
    firstInBatch.set(op.id, contentHash);
    fresh.push(entry);
  }

  const stopIds = [
    ...new Set(fresh.flatMap((entry) => ('stop_id' in entry.op ? [entry.op.stop_id] : []))),
  ];
  const stops = new Map((await findStopsByIds(trx, stopIds)).map((stop) => [stop.id, stop]));
  const allowed = await allowedRuns(trx, actor, [...runs.values()]);

  const opRows: SyncOpRecord[] = [];
  const record = (
    entry: { index: number; op: FieldOp; contentHash: string },
    outcome: Answer,
    stopId: string | null,
    goods: Item[] | null,
  ) => {
    results[entry.index] = {
      id: entry.op.id,
      status: outcome.status,
      ...(outcome.code ? { code: outcome.code } : {}),
      ...(outcome.message ? { message: outcome.message } : {}),
    };
    opRows.push({
      id: entry.op.id,
      content_hash: entry.contentHash,
      kind: entry.op.kind,
      run_id: entry.op.run_id,
      stop_id: stopId,
      device_id: sender.device?.id ?? null,
      actor_id: actor.userId,
      status: outcome.status,
      code: outcome.code ?? null,
      message: outcome.message ?? null,
      goods_json: goods && goods.length > 0 ? JSON.stringify(goods) : null,
      at: entry.op.at,
      received_at: now,
    });
  };

  // First pass: refuse what may not be touched, and decide each op against the stops' states.
  const decided: (Pending & { decision: Decision })[] = [];
  const state = new Map<string, { state: StopState; failedOp: string | null }>();
  const stateOf = (stop: StopRecord) => {
    let current = state.get(stop.id);
    if (!current) {
      current = { state: stop.state, failedOp: stop.state === 'failed' ? stop.op_id : null };
      state.set(stop.id, current);
    }
    return current;
  };
  const cardTexts: string[] = [];
  for (const entry of fresh) {
    const { op } = entry;
    const run = runs.get(op.run_id);
    if (!run || !allowed.has(run.id)) {
      record(
        entry,
        answer('rejected', run && allowed.inScope.has(run.id) ? 'not-a-member' : 'run-not-found'),
        null,
        null,
      );
      continue;
    }
    let stop: StopRecord | undefined;
    if ('stop_id' in op) {
      stop = stops.get(op.stop_id);
      if (!stop || stop.run_id !== run.id) {
        record(entry, answer('rejected', 'stop-not-found'), null, null);
        continue;
      }
    }
    if (run.status === 'planned') {
      record(entry, answer('rejected', 'run-not-dispatched'), stop?.id ?? null, null);
      continue;
    }
    if (run.status === 'closed') {
      if (op.kind === 'visit-failed')
        record(entry, answer('rejected', 'run-closed'), stop?.id ?? null, null);
      else
        decided.push({
          ...entry,
          run,
          ...(stop ? { stop } : {}),
          decision: { kind: 'exception', code: 'run-closed', holdGoods: false },
        });
      continue;
    }
    if (op.kind === 'visit-failed') {
      const current = stateOf(stop as StopRecord);
      if (current.state === 'delivered' || current.state === 'partial') {
        record(entry, answer('rejected', 'already-delivered'), stop?.id ?? null, null);
      } else if (current.state === 'voided' || current.state === 'planned') {
        record(entry, answer('rejected', 'stop-not-reserved'), stop?.id ?? null, null);
      } else {
        // The latest report (by time-ordered op id) names the reason, whatever the arrival order.
        if (current.failedOp === null || op.id > current.failedOp) {
          current.state = 'failed';
          current.failedOp = op.id;
        }
        decided.push({ ...entry, run, ...(stop ? { stop } : {}), decision: { kind: 'failed' } });
      }
      continue;
    }
    if (stop) {
      const current = stateOf(stop);
      if (current.state === 'delivered' || current.state === 'partial') {
        decided.push({
          ...entry,
          run,
          stop,
          decision: { kind: 'exception', code: 'already-delivered', holdGoods: true },
        });
        continue;
      }
      if (current.state !== 'reserved' && current.state !== 'failed') {
        decided.push({
          ...entry,
          run,
          stop,
          decision: { kind: 'exception', code: 'stop-not-reserved', holdGoods: true },
        });
        continue;
      }
      const reserved = new Map(
        parseItems(stop.items_json).map((item) => [item.commodity, item.quantity]),
      );
      if (op.items.some((item) => (reserved.get(item.commodity) ?? 0) < item.quantity)) {
        decided.push({
          ...entry,
          run,
          stop,
          decision: { kind: 'exception', code: 'exceeds-reservation', holdGoods: true },
        });
        continue;
      }
      const full =
        reserved.size === op.items.length &&
        op.items.every((item) => reserved.get(item.commodity) === item.quantity);
      current.state = full ? 'delivered' : 'partial';
      decided.push({ ...entry, run, stop, decision: { kind: 'deliver', full } });
      continue;
    }
    cardTexts.push((op as { card: string }).card);
    decided.push({ ...entry, run, decision: { kind: 'ad-hoc' } });
  }

  // Ad-hoc deliveries: resolve the cards and read the households' free entitlement.
  const cards = new Map<string, Awaited<ReturnType<typeof resolveCards>>[number]>();
  if (cardTexts.length > 0) {
    const unique = [...new Set(cardTexts)];
    const resolved = await resolveCards(trx, unique);
    unique.forEach((text, index) => cards.set(text, resolved[index] as (typeof resolved)[number]));
  }
  const freeIds = decided.flatMap((entry) => {
    if (entry.decision.kind !== 'ad-hoc' || !('card' in entry.op)) return [];
    const card = cards.get(entry.op.card);
    if (!card?.ok) return [];
    return entry.op.items.map((item) =>
      entitlementAccountId(entry.run.cycle_id, card.household.id, item.commodity),
    );
  });
  const free = new Map(
    (await getAccounts(trx, freeIds)).map((account) => [
      account.id,
      account.credits_posted - account.debits_posted - account.debits_pending,
    ]),
  );
  for (const entry of decided) {
    if (entry.decision.kind !== 'ad-hoc' || !('card' in entry.op)) continue;
    const card = cards.get(entry.op.card);
    if (!card?.ok) {
      entry.decision =
        card?.code === 'card-revoked'
          ? { kind: 'exception', code: 'card-revoked', holdGoods: true }
          : { kind: 'rejected', code: 'card-invalid' };
      continue;
    }
    entry.decision.householdId = card.household.id;
    if (card.household.status !== 'active') {
      entry.decision = {
        kind: 'exception',
        code: 'household-not-active',
        holdGoods: true,
        householdId: card.household.id,
      };
      continue;
    }
    const ids = entry.op.items.map((item) =>
      entitlementAccountId(entry.run.cycle_id, card.household.id, item.commodity),
    );
    if (
      entry.op.items.some((item, index) => (free.get(ids[index] as string) ?? 0) < item.quantity)
    ) {
      entry.decision = {
        kind: 'exception',
        code: 'entitlement-held',
        holdGoods: true,
        householdId: card.household.id,
      };
      continue;
    }
    entry.op.items.forEach((item, index) =>
      free.set(ids[index] as string, (free.get(ids[index] as string) ?? 0) - item.quantity),
    );
  }

  // The ledger: every applied op is one linked chain; a chain the ledger refuses becomes an
  // exception. Dispatch opened the team's and the system accounts for the run's commodities;
  // goods of any other commodity find no account, so the op becomes an exception.
  const chains = new Map<number, TransferInput[]>();
  for (const entry of decided) {
    const transfers = chainFor(entry);
    if (transfers.length > 0) chains.set(entry.index, transfers);
  }
  const context = { actor, clock };
  const ledgerResults = await createTransfers(trx, [...chains.values()].flat(), context);
  const byId = new Map(ledgerResults.map((result) => [result.id, result]));
  for (const entry of decided) {
    const transfers = chains.get(entry.index);
    if (!transfers) continue;
    const failure = transfers
      .map((transfer) => byId.get(transfer.id) as TransferResult)
      .find((result) => !isSuccess(result.result) && result.result !== 'linked_event_failed');
    if (!failure) continue;
    if (entry.decision.kind === 'deliver' && entry.stop) {
      stateOf(entry.stop).state = entry.stop.state;
    }
    const code =
      failure.result === 'pending_transfer_expired'
        ? 'reservation-expired'
        : failure.id.endsWith(':goods') || failure.id.startsWith('run-give:')
          ? 'insufficient-team-stock'
          : 'entitlement-held';
    entry.decision = {
      kind: 'exception',
      code,
      holdGoods: code !== 'insufficient-team-stock',
      ...(entry.decision.kind === 'ad-hoc' && entry.decision.householdId
        ? { householdId: entry.decision.householdId }
        : {}),
    };
  }

  // Exceptions: the goods handed over wait in suspense (when the team's stock holds them).
  const exceptions: ExceptionRecord[] = [];
  const holds: TransferInput[][] = [];
  for (const entry of decided) {
    if (entry.decision.kind !== 'exception' || !('items' in entry.op)) continue;
    const exceptionId = randomUUID();
    exceptions.push({
      id: exceptionId,
      op_id: entry.op.id,
      run_id: entry.run.id,
      stop_id: entry.stop?.id ?? null,
      household_id: entry.stop?.household_id ?? entry.decision.householdId ?? null,
      items_json: JSON.stringify(entry.op.items),
      code: entry.decision.code,
      goods_held: 'none',
      status: 'open',
      resolution_reason: null,
      resolved_by: null,
      resolved_at: null,
      created_at: now,
    });
    if (entry.decision.holdGoods) {
      holds.push(
        entry.op.items.map((item, index, all) => ({
          id: exceptionTransferId(exceptionId, item.commodity, 'hold'),
          debit_account_id: teamStockAccountId(entry.run.team_id, item.commodity),
          credit_account_id: runSystemAccountId(runSystemAccounts.suspense, item.commodity),
          amount: item.quantity,
          commodity: item.commodity,
          code: runTransferCodes.exceptionHold,
          flags: index < all.length - 1 ? TransferFlags.linked : 0,
          references: { run_id: entry.run.id, op_id: entry.op.id, exception_id: exceptionId },
        })),
      );
    }
  }
  if (holds.length > 0) {
    const held = await createTransfers(trx, holds.flat(), context);
    const okIds = new Set(
      held.filter((result) => isSuccess(result.result)).map((result) => result.id),
    );
    for (const exception of exceptions) {
      const items = parseItems(exception.items_json);
      if (
        items.length > 0 &&
        items.every((item) => okIds.has(exceptionTransferId(exception.id, item.commodity, 'hold')))
      ) {
        exception.goods_held = 'team';
      }
    }
  }
  const heldGoods = new Map(
    exceptions
      .filter((row) => row.goods_held === 'team')
      .map((row) => [row.op_id, parseItems(row.items_json)]),
  );

  // Answers, stop changes and the op log.
  const stopChanges = new Map<
    string,
    {
      state: StopState;
      failed_reason?: string | null;
      delivered_json?: string | null;
      op_id?: string | null;
    }
  >();
  for (const entry of decided) {
    const { decision, op } = entry;
    switch (decision.kind) {
      case 'failed': {
        const current = stateOf(entry.stop as StopRecord);
        if (current.failedOp === op.id && 'reason' in op) {
          stopChanges.set((entry.stop as StopRecord).id, {
            state: 'failed',
            failed_reason: op.reason,
            op_id: op.id,
          });
        }
        record(entry, { status: 'applied' }, entry.stop?.id ?? null, null);
        break;
      }
      case 'deliver':
        stopChanges.set((entry.stop as StopRecord).id, {
          state: decision.full ? 'delivered' : 'partial',
          delivered_json: JSON.stringify((op as { items: Item[] }).items),
          op_id: op.id,
          failed_reason: null,
        });
        record(
          entry,
          { status: 'applied' },
          entry.stop?.id ?? null,
          (op as { items: Item[] }).items,
        );
        break;
      case 'ad-hoc':
        record(entry, { status: 'applied' }, null, (op as { items: Item[] }).items);
        break;
      case 'rejected':
        record(entry, answer('rejected', decision.code), null, null);
        break;
      case 'exception':
        record(
          entry,
          answer('exception', decision.code),
          entry.stop?.id ?? null,
          heldGoods.get(op.id) ?? null,
        );
        break;
    }
  }
  results.forEach((result, index) => {
    if (!result) throw new Error(`sync op ${index} has no answer`);
  });

  await updateStopResults(
    trx,
    [...stopChanges].map(([id, change]): StopResult => ({
      id,
      state: change.state,
      failed_reason: change.failed_reason ?? null,
      delivered_json: change.delivered_json ?? null,
      op_id: change.op_id ?? null,
      updated_at: now,
    })),
  );
  await insertSyncOps(trx, opRows);
  await insertExceptions(trx, exceptions);
  const touched = [
    ...new Set(opRows.filter((row) => row.status === 'applied').map((row) => row.run_id as string)),
  ];
  await markInProgress(
    trx,
    touched.filter((id) => runs.get(id)?.status === 'dispatched'),
  );
  if (touched.length > 0) {
    await appendAuditEvents(
      trx,
      touched.map((runId) => ({
        actor,
        action: 'run.sync',
        entity: 'run',
        entityId: runId,
        fields: ['stops'],
      })),
      clock,
    );
  }
  let deviceWiped = false;
  if (sender.device) {
    const received = sender.device.ops_received + opRows.length;
    deviceWiped = sender.deviceOpCount !== undefined && sender.deviceOpCount < received;
    await updateDevice(trx, sender.device.id, {
      ops_received: received,
      last_sync_at: now,
      ...(deviceWiped && sender.device.wiped_at === null ? { wiped_at: now } : {}),
    });
    if (deviceWiped && sender.device.wiped_at === null) {
      await appendAuditEvents(
        trx,
        [
          {
            actor,
            action: 'device.wiped',
            entity: 'field_device',
            entityId: sender.device.id,
            fields: ['wiped_at'],
          },
        ],
        clock,
      );
    }
  }
  return { results, deviceWiped };
}

type Decision =
  | { kind: 'failed' }
  | { kind: 'deliver'; full: boolean }
  | { kind: 'ad-hoc'; householdId?: string }
  | { kind: 'rejected'; code: string }
  | { kind: 'exception'; code: string; holdGoods: boolean; householdId?: string };

/** The linked transfers an accepted delivery makes (none for other decisions). */
function chainFor(entry: Pending & { decision: Decision }): TransferInput[] {
  const { op, run, stop, decision } = entry;
  if (!('items' in op)) return [];
  const references = {
    run_id: run.id,
    op_id: op.id,
    ...(stop ? { stop_id: stop.id, household_id: stop.household_id } : {}),
  };
  let transfers: TransferInput[];
  if (decision.kind === 'deliver' && stop) {
    const delivered = new Map(op.items.map((item) => [item.commodity, item.quantity]));
    transfers = [
      ...parseItems(stop.items_json).map((item): TransferInput => {
        const quantity = delivered.get(item.commodity) ?? 0;
        // Posting part of a reservation releases the rest (the household keeps it); nothing
        // handed over of a commodity voids its reservation.
        return quantity > 0
          ? {
              id: deliverTransferId(stop.id, item.commodity),
              pending_id: reserveTransferId(stop.id, item.commodity),
              amount: quantity,
              flags: TransferFlags.postPending,
              code: runTransferCodes.deliver,
              references,
            }
          : {
              id: deliverTransferId(stop.id, item.commodity),
              pending_id: reserveTransferId(stop.id, item.commodity),
              flags: TransferFlags.voidPending,
              code: runTransferCodes.release,
              references,
            };
      }),
      ...op.items.map((item) => ({
        id: deliverGoodsTransferId(stop.id, item.commodity),
        debit_account_id: teamStockAccountId(run.team_id, item.commodity),
        credit_account_id: systemAccountId(systemAccounts.distributed, item.commodity),
        amount: item.quantity,
        commodity: item.commodity,
        code: runTransferCodes.deliverGoods,
        references,
      })),
    ];
  } else if (decision.kind === 'ad-hoc' && decision.householdId) {
    const householdId = decision.householdId;
    const adHocReferences = { ...references, household_id: householdId, cycle_id: run.cycle_id };
    transfers = op.items.flatMap((item) => [
      {
        id: adHocTransferId(op.id, item.commodity, 'entitlement'),
        debit_account_id: entitlementAccountId(run.cycle_id, householdId, item.commodity),
        credit_account_id: systemAccountId(systemAccounts.delivered, item.commodity),
        amount: item.quantity,
        commodity: item.commodity,
        code: runTransferCodes.adHoc,
        references: adHocReferences,
      },
      {
        id: adHocTransferId(op.id, item.commodity, 'goods'),
        debit_account_id: teamStockAccountId(run.team_id, item.commodity),
        credit_account_id: systemAccountId(systemAccounts.distributed, item.commodity),
        amount: item.quantity,
        commodity: item.commodity,
        code: runTransferCodes.adHocGoods,
        references: adHocReferences,
      },
    ]);
  } else return [];
  return transfers.map((transfer, index) => ({
    ...transfer,
    flags: (transfer.flags ?? 0) | (index < transfers.length - 1 ? TransferFlags.linked : 0),
  }));
}

/**
 * The runs (among those named) the actor may report on: for admins and coordinators those
 * whose source is in scope; for volunteers and team leaders those of teams they belong to.
 */
async function allowedRuns(trx: Executor, actor: Actor, runs: readonly RunRecord[]) {
  const inScope = new Set<string>();
  const paths = new Map(
    (
      await findServicePointAreaPaths(trx, [
        ...new Set(runs.map((run) => run.source_service_point_id)),
      ])
    ).map((row) => [row.id, row.area_path]),
  );
  for (const run of runs) {
    const path = paths.get(run.source_service_point_id);
    if (path !== undefined && areaInScope(actor.scope, path)) inScope.add(run.id);
  }
  const allowed = new Set<string>();
  if (actor.role === 'admin' || actor.role === 'coordinator') {
    for (const id of inScope) allowed.add(id);
  } else if (actor.userId !== null) {
    const volunteer = await volunteerOfUser(trx, actor.userId);
    const teamIds = new Set(
      volunteer ? (await teamsOfVolunteer(trx, volunteer.id)).map((team) => team.id) : [],
    );
    for (const run of runs) if (teamIds.has(run.team_id)) allowed.add(run.id);
  }
  return Object.assign(allowed, { inScope });
}

async function markInProgress(trx: Executor, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await trx
    .updateTable('runs')
    .set({ status: 'in_progress' })
    .where('id', 'in', [...runIds])
    .where('status', '=', 'dispatched')
    .execute();
}
