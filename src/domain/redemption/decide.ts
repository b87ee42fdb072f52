/**
 * Redemption's rules as one pure function: given the requests of a batch and a snapshot of
 * what they touch (read under lock by the service), decide each in arrival order. An accepted
 * hand-over yields its answer and the linked chain of transfers to write; a refused one yields
 * a refusal value. A later request sees what the earlier ones took, as if it came in a later
 * transaction. Nothing here does I/O: the counter, the field sync and any later channel call
 * the same rules.
 */
import { areaInScope, type Scope } from '../actor.js';
import {
  redemptionStockTransferId,
  redemptionTransferId,
  stockAccountId,
  systemAccountId,
  systemAccounts,
  transferCodes,
} from '../entitlement/accounts.js';
import { TransferFlags, type TransferInput } from '../ledger/ledger.js';

export interface HandOverItem {
  commodity: string;
  quantity: number;
}

/** What a household has left of one commodity in one redeemable cycle. */
export interface RemainingEntry {
  cycle_id: string;
  commodity: string;
  remaining: number;
}

/** The answer to an accepted hand-over, stored and given again to retries. */
export interface HandOver {
  id: string;
  household_id: string;
  service_point_id: string;
  items: HandOverItem[];
  remaining: RemainingEntry[];
  /** For each commodity handed over that has a daily limit: what is left of it today. */
  left_today?: { commodity: string; left_today: number }[];
  /** Who collected ('head', 'member:<position>', 'proxy:<id>'), when the clerk said. */
  collected_by?: string;
  created_at: string;
}

/** A household's entitlement account in one cycle, as a redemption sees it. */
export interface EntitlementState {
  accountId: string;
  cycleId: string;
  commodity: string;
  programmeId: string;
  /** The cycle's status ('open' may be redeemed). */
  status: string;
  /** YYYY-MM-DD: the cycle's first day. */
  startsOn: string;
  /** YYYY-MM-DD: the cycle's last day. */
  endsOn: string;
  /** The programme rule's limits for this commodity (base units), null when none. */
  perDayMax: number | null;
  perVisitMax: number | null;
  /** credits_posted - debits_posted - debits_pending; goes down as a batch takes from it. */
  available: number;
}

/** A presented card, resolved. */
export type CardState =
  | { ok: true; household: { id: string; area_path: string; status: string } }
  | { ok: false; code: 'card-invalid' | 'card-revoked' };

export interface RedemptionRequest {
  /** The client's id of the redemption. */
  id: string;
  /** The card text as presented. */
  card: string;
  service_point_id: string;
  items: readonly HandOverItem[];
  /** What "the same body" means for a retry (see redemptionRequestHash). */
  requestHash: string;
  /** A fresh time-ordered id naming this hand-over's transfers. */
  handOverId: string;
  /** The user asking (null for the system). */
  userId: string | null;
  scope: Scope;
  /** A coordinator's audited override of the households' home service points. */
  overrideHomeServicePoint: boolean;
  collected_by?: string;
}

/** What the batch knows of a service point. */
export interface ServicePointState {
  areaPath: string;
  /** The commodities it hands out; null: every commodity. */
  commodities: readonly string[] | null;
}

/** What a batch knows of the database, read under its locks. */
export interface RedemptionSnapshot {
  /** YYYY-MM-DD: the day the batch is decided on. */
  today: string;
  /** ISO instant stamped on every hand-over of the batch. */
  createdAt: string;
  /** Stored first answers, by redemption id, with the path of their household's area. */
  stored: ReadonlyMap<
    string,
    { requestHash: string; householdAreaPath: string; redemption: HandOver }
  >;
  /** By the card text as presented. */
  cards: ReadonlyMap<string, CardState>;
  servicePoints: ReadonlyMap<string, ServicePointState>;
  /** User id -> the service points the user works at (absent: any in scope). */
  userServicePoints: ReadonlyMap<string, readonly string[]>;
  /** Household id -> programme id -> its home service point in that programme. */
  homeServicePoints: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * Household id -> commodity -> what it was handed today; present for every household with a
   * daily limit on a redeemable entitlement. Taken over (mutated) by the decisions.
   */
  handedToday: ReadonlyMap<string, Map<string, number>>;
  /** Household id -> who may collect for it ('member:<position>', 'proxy:<id>'). */
  collectors: ReadonlyMap<string, ReadonlySet<string>>;
  /** By household id, earliest-ending cycle first. Taken over (mutated) by the decisions. */
  entitlements: ReadonlyMap<string, EntitlementState[]>;
  /** Stock account id -> what it still holds. Taken over (mutated) by the decisions. */
  stock: Map<string, number>;
}

/** Why a redemption is refused: an expected outcome, a value. */
export type Refusal =
  | { code: 'id-conflict' }
  | { code: 'item-repeated'; index: number }
  | { code: 'card-invalid' }
  | { code: 'card-revoked' }
  | { code: 'household-not-found' }
  | { code: 'service-point-not-found' }
  | { code: 'service-point-not-assigned' }
  | { code: 'household-not-active'; status: string }
  | { code: 'commodity-not-served'; commodity: string }
  | { code: 'collector-unknown' }
  | { code: 'cycle-not-started'; commodity: string; starts_on: string }
  | { code: 'cycle-closed'; commodity: string }
  | { code: 'wrong-service-point'; commodity: string; home_service_point_id: string }
  | { code: 'visit-limit-reached'; commodity: string; per_visit_max: number }
  | { code: 'daily-limit-reached'; commodity: string; left_today: number }
  | {
      code: 'insufficient-entitlement';
      commodity: string;
      available: number;
      remaining: RemainingEntry[];
    }
  | { code: 'insufficient-stock'; commodity: string; available: number };

export type RedemptionDecision =
  | {
      ok: true;
      /** False when this answers a retry with the first answer. */
      created: boolean;
      redemption: HandOver;
      /** One linked chain, all or nothing; empty for a retry. */
      transfers: TransferInput[];
    }
  | { ok: false; refusal: Refusal };

/** Open, and today within its first and last day. */
export function isRedeemable(entitlement: EntitlementState, today: string): boolean {
  return (
    entitlement.status === 'open' && entitlement.startsOn <= today && today <= entitlement.endsOn
  );
}

/**
 * The sum of a limit over the entitlements a hand-over may take from (each cycle allows its
 * own), or null when one of them has no limit (or there are none: nothing to limit).
 */
function sumOfLimits(
  entitlements: readonly EntitlementState[],
  limit: (entitlement: EntitlementState) => number | null,
): number | null {
  if (entitlements.length === 0) return null;
  let total = 0;
  for (const entitlement of entitlements) {
    const value = limit(entitlement);
    if (value === null) return null;
    total += value;
  }
  return total;
}

/** What is left in every redeemable cycle, earliest ending first. */
export function remainingOf(
  entitlements: readonly EntitlementState[],
  today: string,
): RemainingEntry[] {
  return entitlements
    .filter((entitlement) => isRedeemable(entitlement, today))
    .map((entitlement) => ({
      cycle_id: entitlement.cycleId,
      commodity: entitlement.commodity,
      remaining: entitlement.available,
    }));
}

/**
 * Decides the requests in order against the snapshot, which it takes over: an accepted
 * hand-over lowers the entitlements and stock it takes, so later requests see it. One
 * decision per request, in order.
 */
export function decideRedemptions(
  requests: readonly RedemptionRequest[],
  snapshot: RedemptionSnapshot,
): RedemptionDecision[] {
  const accepted = new Map<string, { requestHash: string; redemption: HandOver }>();
  return requests.map((request) => {
    const decision = decideOne(request, snapshot, accepted);
    if (decision.ok && decision.created) {
      accepted.set(request.id, {
        requestHash: request.requestHash,
        redemption: decision.redemption,
      });
    }
    return decision;
  });
}

function refuse(refusal: Refusal): RedemptionDecision {
  return { ok: false, refusal };
}

function decideOne(
  request: RedemptionRequest,
  snapshot: RedemptionSnapshot,
  accepted: ReadonlyMap<string, { requestHash: string; redemption: HandOver }>,
): RedemptionDecision {
  const stored = snapshot.stored.get(request.id);
  // A replay answers only inside the asker's scope, as any record does.
  if (stored && !areaInScope(request.scope, stored.householdAreaPath)) {
    return refuse({ code: 'household-not-found' });
  }
  const earlier = accepted.get(request.id) ?? stored;
  if (earlier) {
    if (earlier.requestHash !== request.requestHash) return refuse({ code: 'id-conflict' });
    return { ok: true, created: false, redemption: earlier.redemption, transfers: [] };
  }

  const seen = new Set<string>();
  for (const [index, item] of request.items.entries()) {
    if (seen.has(item.commodity)) return refuse({ code: 'item-repeated', index });
    seen.add(item.commodity);
  }

  const card = snapshot.cards.get(request.card);
  if (!card?.ok) return refuse({ code: card?.code ?? 'card-invalid' });
  const household = card.household;
  if (!areaInScope(request.scope, household.area_path)) {
    return refuse({ code: 'household-not-found' });
  }
  const servicePoint = snapshot.servicePoints.get(request.service_point_id);
  const worksAt =
    request.userId === null ? undefined : snapshot.userServicePoints.get(request.userId);
  if (servicePoint === undefined || !areaInScope(request.scope, servicePoint.areaPath)) {
    return refuse({ code: 'service-point-not-found' });
  }
  // A clerk tied to service points redeems only there.
  if (worksAt !== undefined && !worksAt.includes(request.service_point_id)) {
    return refuse({ code: 'service-point-not-assigned' });
  }
  if (household.status !== 'active') {
    return refuse({ code: 'household-not-active', status: household.status });
  }
  for (const item of request.items) {
    if (servicePoint.commodities !== null && !servicePoint.commodities.includes(item.commodity)) {
      return refuse({ code: 'commodity-not-served', commodity: item.commodity });
    }
  }
  const collectedBy = request.collected_by;
  if (
    collectedBy !== undefined &&
    collectedBy !== 'head' &&
    !snapshot.collectors.get(household.id)?.has(collectedBy)
  ) {
    return refuse({ code: 'collector-unknown' });
  }

  const today = snapshot.today;
  const entitlements = snapshot.entitlements.get(household.id) ?? [];
  const homes = snapshot.homeServicePoints.get(household.id);
  const handedToday = snapshot.handedToday.get(household.id);
  // Decide every item before taking anything: entitlement first, then stock.
  const allocations: { item: HandOverItem; from: EntitlementState; quantity: number }[] = [];
  const leftToday: { commodity: string; left_today: number }[] = [];
  for (const item of request.items) {
    const mine = entitlements.filter((entitlement) => entitlement.commodity === item.commodity);
    const redeemable = mine.filter((entitlement) => isRedeemable(entitlement, today));
    if (redeemable.length === 0 && mine.length > 0) {
      const notStarted = mine.find(
        (entitlement) => entitlement.status === 'open' && today < entitlement.startsOn,
      );
      return refuse(
        notStarted
          ? { code: 'cycle-not-started', commodity: item.commodity, starts_on: notStarted.startsOn }
          : { code: 'cycle-closed', commodity: item.commodity },
      );
    }
    // A programme that ties the household to a home service point is redeemed only there,
    // unless a coordinator overrides it.
    const usable = request.overrideHomeServicePoint
      ? redeemable
      : redeemable.filter((entitlement) => {
          const home = homes?.get(entitlement.programmeId);
          return home === undefined || home === request.service_point_id;
        });
    if (usable.length === 0 && redeemable.length > 0) {
      const home = homes?.get((redeemable[0] as EntitlementState).programmeId) ?? '';
      return refuse({
        code: 'wrong-service-point',
        commodity: item.commodity,
        home_service_point_id: home,
      });
    }
    const perVisitMax = sumOfLimits(usable, (entitlement) => entitlement.perVisitMax);
    if (perVisitMax !== null && item.quantity > perVisitMax) {
      return refuse({
        code: 'visit-limit-reached',
        commodity: item.commodity,
        per_visit_max: perVisitMax,
      });
    }
    const perDayMax = sumOfLimits(usable, (entitlement) => entitlement.perDayMax);
    if (perDayMax !== null) {
      const left = Math.max(0, perDayMax - (handedToday?.get(item.commodity) ?? 0));
      if (item.quantity > left) {
        return refuse({ code: 'daily-limit-reached', commodity: item.commodity, left_today: left });
      }
      leftToday.push({ commodity: item.commodity, left_today: left - item.quantity });
    }
    const available = usable.reduce((sum, entitlement) => sum + entitlement.available, 0);
    if (available < item.quantity) {
      return refuse({
        code: 'insufficient-entitlement',
        commodity: item.commodity,
        available,
        remaining: remainingOf(entitlements, today),
      });
    }
    let needed = item.quantity;
    for (const entitlement of usable) {
      if (needed === 0) break;
      const quantity = Math.min(needed, entitlement.available);
      if (quantity > 0) allocations.push({ item, from: entitlement, quantity });
      needed -= quantity;
    }
  }
  for (const item of request.items) {
    const available =
      snapshot.stock.get(stockAccountId(request.service_point_id, item.commodity)) ?? 0;
    if (available < item.quantity) {
      return refuse({ code: 'insufficient-stock', commodity: item.commodity, available });
    }
  }

  // Accepted: what it takes is gone for the batch's later redemptions.
  for (const { from, quantity } of allocations) from.available -= quantity;
  for (const { commodity } of leftToday) {
    const handed = handedToday ?? new Map<string, number>();
    const quantity = request.items.find((item) => item.commodity === commodity)?.quantity ?? 0;
    handed.set(commodity, (handed.get(commodity) ?? 0) + quantity);
  }
  for (const item of request.items) {
    const id = stockAccountId(request.service_point_id, item.commodity);
    snapshot.stock.set(id, (snapshot.stock.get(id) ?? 0) - item.quantity);
  }
  const references = {
    redemption_id: request.id,
    household_id: household.id,
    service_point_id: request.service_point_id,
  };
  const transfers: TransferInput[] = [
    ...allocations.map(({ item, from, quantity }) => ({
      id: redemptionTransferId(request.handOverId, item.commodity, from.cycleId),
      debit_account_id: from.accountId,
      credit_account_id: systemAccountId(systemAccounts.delivered, item.commodity),
      amount: quantity,
      commodity: item.commodity,
      code: transferCodes.redemption,
      references: { ...references, cycle_id: from.cycleId },
    })),
    ...request.items.map((item) => ({
      id: redemptionStockTransferId(request.handOverId, item.commodity),
      debit_account_id: stockAccountId(request.service_point_id, item.commodity),
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
  return {
    ok: true,
    created: true,
    redemption: {
      id: request.id,
      household_id: household.id,
      service_point_id: request.service_point_id,
      items: request.items.map((item) => ({ commodity: item.commodity, quantity: item.quantity })),
      remaining: remainingOf(entitlements, today),
      ...(leftToday.length > 0 ? { left_today: leftToday } : {}),
      ...(collectedBy !== undefined ? { collected_by: collectedBy } : {}),
      created_at: snapshot.createdAt,
    },
    transfers,
  };
}
