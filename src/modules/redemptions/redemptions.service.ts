/**
 * Redemption: a hand-over at a service point. Each item debits the household's entitlement
 * (earliest-ending open cycle first) into the `delivered` sink and moves the same quantity of
 * stock out of the service point into the `distributed` sink: one linked chain of transfers,
 * all or nothing, in one write transaction with its audit event. Idempotent by the client's id.
 *
 * Concurrent redemptions are group-committed (redemptions.batch.ts): one write transaction
 * reads what a batch touches with set-based statements, decides each redemption in arrival
 * order against that state (a later one sees what the earlier ones took, as if it came in a
 * later transaction), writes the accepted ones together and commits once.
 */
import { hash } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import type { Row } from '../../db/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import {
  redemptionStockTransferId,
  redemptionTransferId,
  stockAccountId,
  systemAccountId,
  systemAccounts,
  transferCodes,
} from '../../domain/entitlement/accounts.js';
import { TransferFlags, isSuccess, type TransferInput } from '../../domain/ledger/ledger.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents, type AuditEventInput } from '../audit/audit.service.js';
import { resolveCards, type ResolvedCard } from '../cards/cards.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { lockAccountBalances } from '../cycles/cycles.service.js';
import { newTimeOrderedId } from '../households/households.ids.js';
import { findHousehold } from '../households/households.search.js';
import { createTransfers } from '../ledger/ledger.service.js';
import { findServicePointAreaPaths } from '../service-points/service-points.service.js';
import { BatchQueue, type BatchOutcome } from './redemptions.batch.js';
import {
  findCycleStates,
  findHouseholdAccounts,
  findRedemptions,
  insertRedemptions,
  listRedemptions as selectRedemptions,
  lockRedemptionIds,
  type RedemptionFilter,
  type RedemptionRecord,
} from './redemptions.repository.js';
import type {
  EntitlementsView,
  RedeemInput,
  RedemptionListInput,
  RedemptionSummaryView,
  RedemptionView,
  RemainingView,
} from './redemptions.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

export interface RedeemResult {
  redemption: RedemptionView;
  /** False when this answers a retry with the first result. */
  created: boolean;
}

/** A household's entitlement account in one cycle, as a redemption sees it. */
interface Entitlement {
  account: Row<'accounts'>;
  cycleId: string;
  commodity: string;
  status: string;
  endsOn: string;
  /** credits_posted - debits_posted - debits_pending. */
  available: number;
}

/** SHA-256 of the request with its items in commodity order: what "the same body" means. */
export function redemptionRequestHash(input: RedeemInput): string {
  const items = [...input.items]
    .sort((a, b) => (a.commodity < b.commodity ? -1 : a.commodity > b.commodity ? 1 : 0))
    .map((item) => [item.commodity, item.quantity]);
  return hash('sha256', JSON.stringify([input.card, input.service_point_id, items]));
}

/** Parses `ent:<cycle>:<household>:<commodity>` (see domain/entitlement/accounts.ts). */
function parseEntitlementId(
  id: string,
  householdId: string,
): { cycleId: string; commodity: string } | null {
  if (!id.startsWith('ent:')) return null;
  const cycleEnd = id.indexOf(':', 4);
  if (cycleEnd < 0) return null;
  const cycleId = id.slice(4, cycleEnd);
  const prefix = `ent:${cycleId}:${householdId}:`;
  if (!id.startsWith(prefix)) return null;
  return { cycleId, commodity: id.slice(prefix.length) };
}

/**
 * Each household's entitlements in every cycle, earliest ending first, by household id (every
 * asked household is present). With `forUpdate` on PostgreSQL the accounts stay locked.
 */
async function loadEntitlements(
  trx: Executor,
  householdIds: readonly string[],
  forUpdate: boolean,
): Promise<Map<string, Entitlement[]>> {
  const accounts = await findHouseholdAccounts(trx, householdIds, forUpdate);
  const parsed = accounts.flatMap((account) => {
    const parts = parseEntitlementId(account.id, account.owner_id);
    return parts ? [{ account, householdId: account.owner_id, ...parts }] : [];
  });
  // Statuses are read after the accounts are locked: a close that started before this
  // point is seen, and one that starts after waits for these locks.
  const cycles = new Map(
    (await findCycleStates(trx, [...new Set(parsed.map((entry) => entry.cycleId))])).map(
      (cycle) => [cycle.id, cycle],
    ),
  );
  const byHousehold = new Map<string, Entitlement[]>(householdIds.map((id) => [id, []]));
  for (const { householdId, ...entry } of parsed) {
    const cycle = cycles.get(entry.cycleId);
    if (!cycle) continue;
    const { account } = entry;
    byHousehold.get(householdId)?.push({
      ...entry,
      status: cycle.status,
      endsOn: cycle.ends_on,
      available: account.credits_posted - account.debits_posted - account.debits_pending,
    });
  }
  for (const entitlements of byHousehold.values()) {
    entitlements.sort((a, b) =>
      a.endsOn !== b.endsOn ? (a.endsOn < b.endsOn ? -1 : 1) : a.cycleId < b.cycleId ? -1 : 1,
    );
  }
  return byHousehold;
}

function isRedeemable(entitlement: Entitlement, today: string): boolean {
  return entitlement.status === 'open' && today <= entitlement.endsOn;
}

function remainingOf(entitlements: readonly Entitlement[], today: string): RemainingView[] {
  return entitlements
    .filter((entitlement) => isRedeemable(entitlement, today))
    .map((entitlement) => ({
      cycle_id: entitlement.cycleId,
      commodity: entitlement.commodity,
      remaining: entitlement.available,
    }));
}

/**
 * Refuses items naming unknown commodities (400). Checked only on the way to a refusal: a
 * known commodity is implied by an entitlement or stock account, so the hot path skips it.
 */
async function assertKnownCommodities(trx: Executor, items: RedeemInput['items']): Promise<void> {
  const known = new Set(
    (
      await findCommodities(
        trx,
        items.map((item) => item.commodity),
      )
    ).map((row) => row.code),
  );
  const issues = items.flatMap((item, index) =>
    known.has(item.commodity)
      ? []
      : [{ path: `/items/${index}/commodity`, message: 'is not a known commodity' }],
  );
  if (issues.length > 0) throw new ValidationError(issues);
}

function idConflict(): ConflictError {
  return new ConflictError('id-conflict', 'This id was already used for another request.');
}

/** One redemption asked of a batch. */
interface RedemptionRequest {
  actor: Actor;
  input: RedeemInput;
  requestHash: string;
  clock: Clock;
}

/** The most redemptions decided and committed together in one write transaction. */
const maxRedemptionBatchSize = 128;

/** One queue (one writer) per database handle, shared by every caller in this process. */
const queues = new WeakMap<object, BatchQueue<RedemptionRequest, RedeemResult>>();

function redemptionQueue(storage: WriteStorage): BatchQueue<RedemptionRequest, RedeemResult> {
  let queue = queues.get(storage.db);
  if (!queue) {
    queue = new BatchQueue({
      maxBatchSize: maxRedemptionBatchSize,
      // A batch stamps everything with one clock reading.
      compatible: (head, request) => head.clock === request.clock,
      run: (requests) =>
        writeTransaction(storage, (trx) => redeemBatch(trx, storage.dialect, requests)),
    });
    queues.set(storage.db, queue);
  }
  return queue;
}

/**
 * Hands over the items to the household whose card is presented, at a service point in the
 * actor's scope. Answers 201-style (created) with what remains, or the first answer again for
 * a retry; throws `id-conflict`, `card-invalid` (400), `card-revoked`, `cycle-closed`,
 * `insufficient-entitlement`, `insufficient-stock` (409) or not found (404, also out of scope).
 * Answers only once the hand-over is committed; concurrent calls share one transaction.
 */
export async function redeem(
  storage: WriteStorage,
  actor: Actor,
  input: RedeemInput,
  clock: Clock,
): Promise<RedeemResult> {
  return redemptionQueue(storage).submit({
    actor,
    input,
    requestHash: redemptionRequestHash(input),
    clock,
  });
}

/** What a batch knows of the database, read under its locks, and what it has taken so far. */
interface BatchState {
  today: string;
  createdAt: string;
  stored: ReadonlyMap<string, RedemptionRecord>;
  /** By the card text as presented. */
  cards: ReadonlyMap<string, ResolvedCard>;
  /** Service point id -> its area's path. */
  servicePointPaths: ReadonlyMap<string, string>;
  /** By household id; `available` goes down as the batch accepts redemptions. */
  entitlements: ReadonlyMap<string, Entitlement[]>;
  /** Stock account id -> what it still holds; goes down as the batch accepts redemptions. */
  stock: Map<string, number>;
  /** Redemptions accepted earlier in this batch, by id. */
  accepted: Map<string, { requestHash: string; redemption: RedemptionView }>;
}

/** A decision: the answer, and for a new hand-over what to write. */
interface Decision {
  result: RedeemResult;
  transfers: TransferInput[];
}

/**
 * Decides and writes a batch in the caller's write transaction: one outcome per request, in
 * order. Expected refusals are outcomes; anything else throws (and nothing may be committed).
 */
async function redeemBatch(
  trx: Executor,
  dialect: WriteStorage['dialect'],
  requests: readonly RedemptionRequest[],
): Promise<BatchOutcome<RedeemResult>[]> {
  const [first] = requests;
  if (!first) return [];
  const now = first.clock();
  const postgres = dialect === 'postgres';
  const ids = [...new Set(requests.map((request) => request.input.id))];
  if (postgres) await lockRedemptionIds(trx, ids);
  const stored = new Map((await findRedemptions(trx, ids)).map((row) => [row.id, row]));

  const fresh = requests.filter((request) => !stored.has(request.input.id));
  const cardTexts = [...new Set(fresh.map((request) => request.input.card))];
  const resolved = await resolveCards(trx, cardTexts);
  const cards = new Map(cardTexts.map((text, index) => [text, resolved[index] as ResolvedCard]));
  const servicePointIds = [...new Set(fresh.map((request) => request.input.service_point_id))];
  const servicePointPaths = new Map(
    (await findServicePointAreaPaths(trx, servicePointIds)).map((row) => [row.id, row.area_path]),
  );
  const householdIds = [
    ...new Set([...cards.values()].flatMap((card) => (card.ok ? [card.household.id] : []))),
  ];
  const entitlements = await loadEntitlements(trx, householdIds, postgres);
  const stockIds = fresh.flatMap((request) =>
    request.input.items.map((item) =>
      stockAccountId(request.input.service_point_id, item.commodity),
    ),
  );
  const stock = new Map(
    (await lockAccountBalances(trx, stockIds, dialect)).map((account) => [
      account.id,
      account.credits_posted - account.debits_posted - account.debits_pending,
    ]),
  );
  const state: BatchState = {
    today: now.toISOString().slice(0, 10),
    createdAt: now.toISOString(),
    stored,
    cards,
    servicePointPaths,
    entitlements,
    stock,
    accepted: new Map(),
  };

  const outcomes: BatchOutcome<RedeemResult>[] = [];
  const created: { request: RedemptionRequest; decision: Decision }[] = [];
  for (const request of requests) {
    try {
      const decision = await decide(trx, state, request);
      outcomes.push({ ok: true, value: decision.result });
      if (decision.result.created) created.push({ request, decision });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  if (created.length === 0) return outcomes;

  // Transfers record who asked: one ledger batch per user, each redemption its own chain.
  // The accepted chains fit together and only take from what they debit, so the order of
  // the users' batches does not matter.
  const byUser = new Map<string | null, TransferInput[]>();
  for (const { request, decision } of created) {
    const transfers = byUser.get(request.actor.userId) ?? [];
    transfers.push(...decision.transfers);
    byUser.set(request.actor.userId, transfers);
  }
  for (const [userId, transfers] of byUser) {
    const results = await createTransfers(trx, transfers, {
      actor: { userId, requestId: null },
      clock: first.clock,
    });
    const failed = results.find((result) => !isSuccess(result.result));
    if (failed) {
      // The state was read under lock, so only a broken invariant gets here.
      throw new Error(`redemption transfer ${failed.id} failed: ${failed.result}`);
    }
  }
  await insertRedemptions(
    trx,
    created.map(({ request, decision }) => ({
      id: request.input.id,
      household_id: decision.result.redemption.household_id,
      service_point_id: request.input.service_point_id,
      request_hash: request.requestHash,
      result_json: JSON.stringify(decision.result.redemption),
      actor_id: request.actor.userId,
      created_at: decision.result.redemption.created_at,
    })),
  );
  await appendAuditEvents(
    trx,
    created.map(({ request }): AuditEventInput => ({
      actor: request.actor,
      action: 'redemption.create',
      entity: 'redemption',
      entityId: request.input.id,
      fields: ['household_id', 'service_point_id', 'items'],
    })),
    first.clock,
  );
  return outcomes;
}

/**
 * Decides one redemption of a batch against the batch's state, exactly as it would be decided
 * alone in a transaction after the batch's earlier ones; throws its refusal. Changes the state
 * only when it accepts.
 */
async function decide(
  trx: Executor,
  state: BatchState,
  { actor, input, requestHash }: RedemptionRequest,
): Promise<Decision> {
  const earlier = state.accepted.get(input.id) ?? storedAnswer(state.stored.get(input.id));
  if (earlier) {
    if (earlier.requestHash !== requestHash) throw idConflict();
    return { result: { created: false, redemption: earlier.redemption }, transfers: [] };
  }

  const seen = new Set<string>();
  const issues = input.items.flatMap((item, index) => {
    const repeated = seen.has(item.commodity);
    seen.add(item.commodity);
    return repeated
      ? [{ path: `/items/${index}/commodity`, message: 'appears more than once' }]
      : [];
  });
  if (issues.length > 0) throw new ValidationError(issues);

  const card = state.cards.get(input.card);
  if (!card?.ok) {
    if (card?.code === 'card-revoked') {
      throw new ConflictError('card-revoked', 'This card was revoked; ask for the current one.');
    }
    throw new AppError('card-invalid', 'This card is not valid.');
  }
  const household = card.household;
  if (!areaInScope(actor.scope, household.area_path)) throw new NotFoundError('household');
  const servicePointPath = state.servicePointPaths.get(input.service_point_id);
  if (servicePointPath === undefined || !areaInScope(actor.scope, servicePointPath)) {
    throw new NotFoundError('service point');
  }

  const today = state.today;
  const entitlements = state.entitlements.get(household.id) ?? [];
  // Decide every item before writing anything: entitlement first, then stock.
  const allocations: {
    item: RedeemInput['items'][number];
    from: Entitlement;
    quantity: number;
  }[] = [];
  for (const item of input.items) {
    const mine = entitlements.filter((entitlement) => entitlement.commodity === item.commodity);
    const redeemable = mine.filter((entitlement) => isRedeemable(entitlement, today));
    if (redeemable.length === 0 && mine.length > 0) {
      throw new ConflictError('cycle-closed', `The cycle for ${item.commodity} is closed.`, {
        commodity: item.commodity,
      });
    }
    const available = redeemable.reduce((sum, entitlement) => sum + entitlement.available, 0);
    if (available < item.quantity) {
      await assertKnownCommodities(trx, input.items);
      throw new ConflictError(
        'insufficient-entitlement',
        `The household has ${available} of ${item.commodity} left.`,
        { commodity: item.commodity, remaining: remainingOf(entitlements, today) },
      );
    }
    let needed = item.quantity;
    for (const entitlement of redeemable) {
      if (needed === 0) break;
      const quantity = Math.min(needed, entitlement.available);
      if (quantity > 0) allocations.push({ item, from: entitlement, quantity });
      needed -= quantity;
    }
  }
  for (const item of input.items) {
    const available = state.stock.get(stockAccountId(input.service_point_id, item.commodity)) ?? 0;
    if (available < item.quantity) {
      await assertKnownCommodities(trx, input.items);
      throw new ConflictError(
        'insufficient-stock',
        `The service point has ${available} of ${item.commodity}.`,
        { commodity: item.commodity, available },
      );
    }
  }

  // Accepted: what it takes is gone for the batch's later redemptions.
  for (const { from, quantity } of allocations) from.available -= quantity;
  for (const item of input.items) {
    const id = stockAccountId(input.service_point_id, item.commodity);
    state.stock.set(id, (state.stock.get(id) ?? 0) - item.quantity);
  }
  const handOverId = newTimeOrderedId();
  const references = {
    redemption_id: input.id,
    household_id: household.id,
    service_point_id: input.service_point_id,
  };
  const transfers: TransferInput[] = [
    ...allocations.map(({ item, from, quantity }) => ({
      id: redemptionTransferId(handOverId, item.commodity, from.cycleId),
      debit_account_id: from.account.id,
      credit_account_id: systemAccountId(systemAccounts.delivered, item.commodity),
      amount: quantity,
      commodity: item.commodity,
      code: transferCodes.redemption,
      references: { ...references, cycle_id: from.cycleId },
    })),
    ...input.items.map((item) => ({
      id: redemptionStockTransferId(handOverId, item.commodity),
      debit_account_id: stockAccountId(input.service_point_id, item.commodity),
      credit_account_id: systemAccountId(systemAccounts.distributed, item.commodity),
      amount: item.quantity,
      commodity: item.commodity,
      code: transferCodes.redemptionStock,
      references,
    })),
  ].map((transfer, index, all) => ({
    ...transfer,
    flags: index < all.length - 1 ? TransferFlags.linked : 0,
  }));
  const redemption: RedemptionView = {
    id: input.id,
    household_id: household.id,
    service_point_id: input.service_point_id,
    items: input.items.map((item) => ({ commodity: item.commodity, quantity: item.quantity })),
    remaining: remainingOf(entitlements, today),
    created_at: state.createdAt,
  };
  state.accepted.set(input.id, { requestHash, redemption });
  return { result: { created: true, redemption }, transfers };
}

function storedAnswer(
  stored: RedemptionRecord | undefined,
): { requestHash: string; redemption: RedemptionView } | undefined {
  if (!stored) return undefined;
  return {
    requestHash: stored.request_hash,
    redemption: JSON.parse(stored.result_json) as RedemptionView,
  };
}

/** What a household in the actor's scope is entitled to in each open cycle, and what is left. */
export async function getEntitlements(
  db: Executor,
  actor: Actor,
  householdId: string,
): Promise<EntitlementsView> {
  const household = await findHousehold(db, householdId);
  if (!household || !areaInScope(actor.scope, household.area_path)) {
    throw new NotFoundError('household');
  }
  const entitlements = (await loadEntitlements(db, [householdId], false)).get(householdId) ?? [];
  return {
    household_id: householdId,
    items: entitlements
      .filter((entitlement) => entitlement.status === 'open')
      .map((entitlement) => ({
        cycle_id: entitlement.cycleId,
        commodity: entitlement.commodity,
        entitled: entitlement.account.credits_posted,
        // Pending debits are the delivery runs' reservations (issue 11).
        reserved: entitlement.account.debits_pending,
        remaining: entitlement.available,
        ends_on: entitlement.endsOn,
      })),
  };
}

/** A page cursor: base64url of the last row's created_at and id (opaque to clients). */
export function encodeRedemptionCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

function decodeRedemptionCursor(cursor: string): { createdAt: string; id: string } {
  const invalid = () =>
    new ValidationError([{ path: '/cursor', message: 'is not a valid cursor' }]);
  if (!/^[A-Za-z0-9_-]{1,300}$/u.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string'
  ) {
    throw invalid();
  }
  return { createdAt: parsed[0], id: parsed[1] };
}

/**
 * Redemptions of households in the actor's scope, newest first, a page at a time; no personal
 * data, only who (household id), where, what and when.
 */
export async function listRedemptions(
  db: Executor,
  actor: Actor,
  input: RedemptionListInput,
): Promise<{ items: RedemptionSummaryView[]; next_cursor: string | null }> {
  const limit = input.limit ?? 50;
  const filter: RedemptionFilter = { limit: limit + 1 };
  if (input.household_id !== undefined) filter.householdId = input.household_id;
  if (input.service_point_id !== undefined) filter.servicePointId = input.service_point_id;
  if (input.since !== undefined) {
    const since = new Date(input.since);
    if (Number.isNaN(since.getTime())) {
      throw new ValidationError([{ path: '/since', message: 'is not a date-time' }]);
    }
    filter.since = since.toISOString();
  }
  if (input.cursor !== undefined) filter.before = decodeRedemptionCursor(input.cursor);
  const rows = await selectRedemptions(db, actor.scope, filter);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      household_id: row.household_id,
      service_point_id: row.service_point_id,
      items: (JSON.parse(row.result_json) as RedemptionView).items.map((item) => ({
        commodity: item.commodity,
        quantity: item.quantity,
      })),
      created_at: row.created_at,
    })),
    next_cursor:
      rows.length > limit && last ? encodeRedemptionCursor(last.created_at, last.id) : null,
  };
}
