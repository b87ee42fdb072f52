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
import { dialectOf } from '../../db/dialect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { ownerKinds, stockAccountId } from '../../domain/entitlement/accounts.js';
import { ruleLimits, type ProgrammeRules } from '../../domain/entitlement/rules.js';
import { isSuccess, type TransferInput } from '../../domain/ledger/ledger.js';
import {
  decideRedemptions,
  isRedeemable,
  type EntitlementState,
  type RedemptionRequest as DecisionRequest,
  type RedemptionSnapshot,
  type Refusal,
} from '../../domain/redemption/decide.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../shared/errors.js';
import { can } from '../../shared/permissions.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone, localDay, localDayBounds } from '../../shared/time-zone.js';
import { appendAuditEvents, type AuditEventInput } from '../audit/audit.service.js';
import { resolveCard, resolveCards, type ResolvedCard } from '../cards/cards.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { newTimeOrderedId } from '../households/households.ids.js';
import { findHousehold } from '../households/households.search.js';
import { findCollectorKeys } from '../households/proxies.service.js';
import {
  createTransfers,
  getAccountsForWrite,
  getOwnedAccounts,
} from '../ledger/ledger.service.js';
import {
  findHomeServicePoints,
  findServicePointStates,
  findUserServicePoints,
} from '../service-points/service-points.service.js';
import { BatchQueue, type BatchOutcome } from './redemptions.batch.js';
import {
  findCycleStates,
  findHandedSince,
  findRedemptions,
  insertRedemptions,
  listRedemptions as selectRedemptions,
  lockRedemptionIds,
  type RedemptionFilter,
} from './redemptions.repository.js';
import type {
  CardCheckView,
  EntitlementsView,
  RedeemInput,
  RedemptionListInput,
  RedemptionSummaryView,
  RedemptionView,
} from './redemptions.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** Days (daily limits, a cycle's first and last day) are counted in this zone. */
const deploymentTimeZone = configuredTimeZone();

export interface RedeemResult {
  redemption: RedemptionView;
  /** False when this answers a retry with the first result. */
  created: boolean;
}

/** A household's entitlement in one cycle, with what it was credited. */
interface Entitlement extends EntitlementState {
  credited: number;
  /** Pending debits: reservations of delivery runs. */
  reserved: number;
}

/** SHA-256 of the request with its items in commodity order: what "the same body" means. */
export function redemptionRequestHash(input: RedeemInput): string {
  const items = [...input.items]
    .sort((a, b) => (a.commodity < b.commodity ? -1 : a.commodity > b.commodity ? 1 : 0))
    .map((item) => [item.commodity, item.quantity]);
  // Who collected and an override count only when given, so earlier hashes stay valid.
  const extra =
    input.collected_by !== undefined || input.override_reason !== undefined
      ? [input.collected_by ?? null, input.override_reason ?? null]
      : [];
  return hash('sha256', JSON.stringify([input.card, input.service_point_id, items, ...extra]));
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
  const accounts = await getOwnedAccounts(trx, ownerKinds.household, householdIds, {
    forWrite: forUpdate,
  });
  const parsed = accounts.flatMap((account) => {
    const parts = parseEntitlementId(account.id, account.owner_id);
    return parts ? [{ account, householdId: account.owner_id, ...parts }] : [];
  });
  // Statuses are read after the accounts are locked: a close that started before this
  // point is seen, and one that starts after waits for these locks.
  const cycles = new Map(
    (await findCycleStates(trx, [...new Set(parsed.map((entry) => entry.cycleId))])).map(
      (cycle) => [
        cycle.id,
        { ...cycle, limits: ruleLimits(JSON.parse(cycle.rules_json) as ProgrammeRules) },
      ],
    ),
  );
  const byHousehold = new Map<string, Entitlement[]>(householdIds.map((id) => [id, []]));
  for (const { householdId, ...entry } of parsed) {
    const cycle = cycles.get(entry.cycleId);
    if (!cycle) continue;
    const { account, cycleId, commodity } = entry;
    const limits = cycle.limits.get(commodity);
    byHousehold.get(householdId)?.push({
      accountId: account.id,
      cycleId,
      commodity,
      programmeId: cycle.programme_id,
      credited: account.credits_posted,
      reserved: account.debits_pending,
      status: cycle.status,
      startsOn: cycle.starts_on,
      endsOn: cycle.ends_on,
      perDayMax: limits?.perDayMax ?? null,
      perVisitMax: limits?.perVisitMax ?? null,
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

/**
 * What each household with a daily limit on a redeemable entitlement was handed today, by
 * commodity (every such household present, possibly with nothing): the stored answers since
 * the day began in the deployment's time zone.
 */
async function loadHandedToday(
  trx: Executor,
  entitlements: ReadonlyMap<string, readonly Entitlement[]>,
  today: string,
): Promise<Map<string, Map<string, number>>> {
  const limited = [...entitlements]
    .filter(([, mine]) =>
      mine.some(
        (entitlement) => entitlement.perDayMax !== null && isRedeemable(entitlement, today),
      ),
    )
    .map(([householdId]) => householdId);
  const handed = new Map(limited.map((id) => [id, new Map<string, number>()]));
  if (limited.length === 0) return handed;
  const { start } = localDayBounds(today, deploymentTimeZone);
  for (const row of await findHandedSince(trx, limited, start)) {
    const byCommodity = handed.get(row.household_id);
    if (!byCommodity) continue;
    for (const item of (JSON.parse(row.result_json) as RedemptionView).items) {
      byCommodity.set(item.commodity, (byCommodity.get(item.commodity) ?? 0) + item.quantity);
    }
  }
  return handed;
}

/** A 400 naming each item whose commodity is not known, or null when all are known. */
async function unknownCommodities(
  trx: Executor,
  items: RedeemInput['items'],
): Promise<ValidationError | null> {
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
  return issues.length > 0 ? new ValidationError(issues) : null;
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
      run: (requests) => writeTransaction(storage, (trx) => redeemBatch(trx, requests)),
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
  if (input.override_reason !== undefined && !can(actor.role, 'redemptions.override')) {
    throw new ForbiddenError(
      'forbidden',
      'Only a coordinator may serve a household away from its home service point.',
    );
  }
  return redemptionQueue(storage).submit({
    actor,
    input,
    requestHash: redemptionRequestHash(input),
    clock,
  });
}

/**
 * Decides and writes a batch in the caller's write transaction: one outcome per request, in
 * order. The decisions are domain/redemption's pure function over a snapshot read here under
 * lock; expected refusals are outcomes; anything else throws (and nothing may be committed).
 */
async function redeemBatch(
  trx: Executor,
  requests: readonly RedemptionRequest[],
): Promise<BatchOutcome<RedeemResult>[]> {
  const [first] = requests;
  if (!first) return [];
  const now = first.clock();
  const postgres = dialectOf(trx) === 'postgres';
  const ids = [...new Set(requests.map((request) => request.input.id))];
  if (postgres) await lockRedemptionIds(trx, ids);
  const stored = new Map(
    (await findRedemptions(trx, ids)).map((row) => [
      row.id,
      {
        requestHash: row.request_hash,
        householdAreaPath: row.household_area_path,
        redemption: JSON.parse(row.result_json) as RedemptionView,
      },
    ]),
  );

  const fresh = requests.filter((request) => !stored.has(request.input.id));
  const cardTexts = [...new Set(fresh.map((request) => request.input.card))];
  const resolved = await resolveCards(trx, cardTexts);
  const cards = new Map(cardTexts.map((text, index) => [text, resolved[index] as ResolvedCard]));
  const servicePointIds = [...new Set(fresh.map((request) => request.input.service_point_id))];
  const servicePoints = new Map(
    (await findServicePointStates(trx, servicePointIds)).map((row) => [
      row.id,
      {
        areaPath: row.area_path,
        commodities:
          row.commodities_json === null ? null : (JSON.parse(row.commodities_json) as string[]),
      },
    ]),
  );
  const userIds = [
    ...new Set(fresh.flatMap((request) => (request.actor.userId ? [request.actor.userId] : []))),
  ];
  const userServicePoints = new Map<string, string[]>();
  for (const row of await findUserServicePoints(trx, userIds)) {
    userServicePoints.set(row.user_id, [
      ...(userServicePoints.get(row.user_id) ?? []),
      row.service_point_id,
    ]);
  }
  const householdIds = [
    ...new Set([...cards.values()].flatMap((card) => (card.ok ? [card.household.id] : []))),
  ];
  const entitlements = await loadEntitlements(trx, householdIds, postgres);
  const homeServicePoints = new Map<string, Map<string, string>>();
  for (const row of await findHomeServicePoints(trx, householdIds)) {
    const homes = homeServicePoints.get(row.household_id) ?? new Map<string, string>();
    homes.set(row.programme_id, row.service_point_id);
    homeServicePoints.set(row.household_id, homes);
  }
  // Who may collect, read only for the households whose hand-over names someone but the head.
  const collectors = new Map<string, Set<string>>();
  const naming = [
    ...new Set(
      fresh.flatMap((request) => {
        const card = cards.get(request.input.card);
        const collectedBy = request.input.collected_by;
        return card?.ok && collectedBy !== undefined && collectedBy !== 'head'
          ? [card.household.id]
          : [];
      }),
    ),
  ];
  for (const row of await findCollectorKeys(trx, naming)) {
    const mine = collectors.get(row.household_id) ?? new Set<string>();
    mine.add(row.collector);
    collectors.set(row.household_id, mine);
  }
  const today = localDay(now, deploymentTimeZone);
  const handedToday = await loadHandedToday(trx, entitlements, today);
  const stockIds = fresh.flatMap((request) =>
    request.input.items.map((item) =>
      stockAccountId(request.input.service_point_id, item.commodity),
    ),
  );
  const stock = new Map(
    (await getAccountsForWrite(trx, stockIds)).map((account) => [
      account.id,
      account.credits_posted - account.debits_posted - account.debits_pending,
    ]),
  );
  const snapshot: RedemptionSnapshot = {
    today,
    createdAt: now.toISOString(),
    stored,
    cards,
    servicePoints,
    userServicePoints,
    homeServicePoints,
    handedToday,
    collectors,
    entitlements,
    stock,
  };
  const decisions = decideRedemptions(
    requests.map(({ actor, input, requestHash }): DecisionRequest => ({
      ...input,
      requestHash,
      handOverId: newTimeOrderedId(),
      userId: actor.userId,
      overrideHomeServicePoint: input.override_reason !== undefined,
      scope: actor.scope,
    })),
    snapshot,
  );

  const outcomes: BatchOutcome<RedeemResult>[] = [];
  const created: {
    request: RedemptionRequest;
    redemption: RedemptionView;
    transfers: TransferInput[];
  }[] = [];
  for (const [index, decision] of decisions.entries()) {
    const request = requests[index] as RedemptionRequest;
    if (decision.ok) {
      outcomes.push({
        ok: true,
        value: { created: decision.created, redemption: decision.redemption },
      });
      if (decision.created) {
        created.push({ request, redemption: decision.redemption, transfers: decision.transfers });
      }
    } else {
      outcomes.push({ ok: false, error: await refusalError(trx, request.input, decision.refusal) });
    }
  }
  if (created.length === 0) return outcomes;

  // Transfers record who asked: one ledger batch per user, each redemption its own chain.
  // The accepted chains fit together and only take from what they debit, so the order of
  // the users' batches does not matter.
  const byUser = new Map<string | null, TransferInput[]>();
  for (const { request, transfers } of created) {
    const mine = byUser.get(request.actor.userId) ?? [];
    mine.push(...transfers);
    byUser.set(request.actor.userId, mine);
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
    created.map(({ request, redemption }) => ({
      id: request.input.id,
      household_id: redemption.household_id,
      service_point_id: request.input.service_point_id,
      request_hash: request.requestHash,
      result_json: JSON.stringify(redemption),
      actor_id: request.actor.userId,
      collected_by: redemption.collected_by ?? null,
      override_reason: request.input.override_reason?.trim() ?? null,
      created_at: redemption.created_at,
    })),
  );
  await appendAuditEvents(
    trx,
    created.map(({ request }): AuditEventInput => ({
      actor: request.actor,
      // An override of the home service point is its own action in the log, with its reason.
      action:
        request.input.override_reason === undefined ? 'redemption.create' : 'redemption.override',
      entity: 'redemption',
      entityId: request.input.id,
      fields: [
        'household_id',
        'service_point_id',
        'items',
        ...(request.input.collected_by === undefined ? [] : ['collected_by']),
        ...(request.input.override_reason === undefined ? [] : ['override_reason']),
      ],
    })),
    first.clock,
  );
  return outcomes;
}

/**
 * The typed error a refusal answers with. A refusal naming a commodity first checks that the
 * items' commodities are known (400 otherwise): only on the way to a refusal, since a known
 * commodity is implied by an entitlement or stock account.
 */
async function refusalError(
  trx: Executor,
  input: RedeemInput,
  refusal: Refusal,
): Promise<AppError> {
  switch (refusal.code) {
    case 'id-conflict':
      return new ConflictError('id-conflict', 'This id was already used for another request.');
    case 'item-repeated':
      return new ValidationError([
        { path: `/items/${refusal.index}/commodity`, message: 'appears more than once' },
      ]);
    case 'card-invalid':
      return new AppError('card-invalid', 'This card is not valid.');
    case 'card-revoked':
      return new ConflictError('card-revoked', 'This card was revoked; ask for the current one.');
    case 'household-not-found':
      return new NotFoundError('household');
    case 'service-point-not-found':
      return new NotFoundError('service point');
    case 'service-point-not-assigned':
      return new ConflictError(
        'service-point-not-assigned',
        'You do not work at this service point; redeem at one you are assigned to.',
      );
    case 'household-not-active':
      return new ConflictError(
        'household-not-active',
        `The household is ${refusal.status}; only active households are served.`,
        { status: refusal.status },
      );
    case 'commodity-not-served':
      return (
        (await unknownCommodities(trx, input.items)) ??
        new ConflictError(
          'commodity-not-served',
          `This service point does not hand out ${refusal.commodity}.`,
          { commodity: refusal.commodity },
        )
      );
    case 'collector-unknown':
      return new ValidationError([
        {
          path: '/collected_by',
          message: 'is not a member or proxy of this household',
          code: 'collector-unknown',
        },
      ]);
    case 'cycle-not-started':
      return new ConflictError(
        'cycle-not-started',
        `The cycle for ${refusal.commodity} starts on ${refusal.starts_on}.`,
        { commodity: refusal.commodity, starts_on: refusal.starts_on },
      );
    case 'cycle-closed':
      return new ConflictError('cycle-closed', `The cycle for ${refusal.commodity} is closed.`, {
        commodity: refusal.commodity,
      });
    case 'wrong-service-point':
      return new ConflictError(
        'wrong-service-point',
        `The household receives ${refusal.commodity} at its home service point.`,
        { commodity: refusal.commodity, home_service_point_id: refusal.home_service_point_id },
      );
    case 'visit-limit-reached':
      return new ConflictError(
        'visit-limit-reached',
        `At most ${refusal.per_visit_max} of ${refusal.commodity} per hand-over.`,
        { commodity: refusal.commodity, per_visit_max: refusal.per_visit_max },
      );
    case 'daily-limit-reached':
      return new ConflictError(
        'daily-limit-reached',
        `${refusal.left_today} of ${refusal.commodity} is left today.`,
        { commodity: refusal.commodity, left_today: refusal.left_today },
      );
    case 'insufficient-entitlement':
      return (
        (await unknownCommodities(trx, input.items)) ??
        new ConflictError(
          'insufficient-entitlement',
          `The household has ${refusal.available} of ${refusal.commodity} left.`,
          { commodity: refusal.commodity, remaining: refusal.remaining },
        )
      );
    case 'insufficient-stock':
      return (
        (await unknownCommodities(trx, input.items)) ??
        new ConflictError(
          'insufficient-stock',
          `The service point has ${refusal.available} of ${refusal.commodity}.`,
          { commodity: refusal.commodity, available: refusal.available },
        )
      );
  }
}

/**
 * Checks a presented card as a hand-over would (check digits, signature, revocation, scope),
 * so the counter refuses a forged or revoked card at lookup: 400 `card-invalid`, 409
 * `card-revoked`, 404 for a household outside the actor's scope.
 */
export async function checkCard(db: Executor, actor: Actor, card: string): Promise<CardCheckView> {
  const resolved = await resolveCard(db, card);
  if (!resolved.ok) {
    throw resolved.code === 'card-revoked'
      ? new ConflictError('card-revoked', 'This card was revoked; ask for the current one.')
      : new AppError('card-invalid', 'This card is not valid.');
  }
  if (!areaInScope(actor.scope, resolved.household.area_path)) {
    throw new NotFoundError('household');
  }
  return {
    household_id: resolved.household.id,
    card_number: resolved.card_number,
    household_status: resolved.household.status,
  };
}

/** What a household in the actor's scope is entitled to in each open cycle, and what is left. */
export async function getEntitlements(
  db: Executor,
  actor: Actor,
  householdId: string,
  clock: Clock,
): Promise<EntitlementsView> {
  const household = await findHousehold(db, householdId);
  if (!household || !areaInScope(actor.scope, household.area_path)) {
    throw new NotFoundError('household');
  }
  const loaded = await loadEntitlements(db, [householdId], false);
  const entitlements = loaded.get(householdId) ?? [];
  const today = localDay(clock(), deploymentTimeZone);
  const handed = (await loadHandedToday(db, loaded, today)).get(householdId);
  const leftToday: { commodity: string; left_today: number }[] = [];
  for (const commodity of new Set(entitlements.map((entitlement) => entitlement.commodity))) {
    const redeemable = entitlements.filter(
      (entitlement) => entitlement.commodity === commodity && isRedeemable(entitlement, today),
    );
    if (redeemable.length === 0 || redeemable.some((entitlement) => entitlement.perDayMax === null))
      continue;
    const limit = redeemable.reduce((sum, entitlement) => sum + (entitlement.perDayMax ?? 0), 0);
    leftToday.push({
      commodity,
      left_today: Math.max(0, limit - (handed?.get(commodity) ?? 0)),
    });
  }
  return {
    household_id: householdId,
    household_status: household.status,
    items: entitlements
      .filter((entitlement) => entitlement.status === 'open')
      .map((entitlement) => ({
        cycle_id: entitlement.cycleId,
        commodity: entitlement.commodity,
        entitled: entitlement.credited,
        // Pending debits are the delivery runs' reservations (issue 11).
        reserved: entitlement.reserved,
        remaining: entitlement.available,
        starts_on: entitlement.startsOn,
        ends_on: entitlement.endsOn,
        per_day_max: entitlement.perDayMax,
        per_visit_max: entitlement.perVisitMax,
        redeemable: isRedeemable(entitlement, today),
      })),
    left_today: leftToday,
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
      collected_by: row.collected_by,
      home_override: row.override_reason !== null,
      created_at: row.created_at,
    })),
    next_cursor:
      rows.length > limit && last ? encodeRedemptionCursor(last.created_at, last.id) : null,
  };
}
