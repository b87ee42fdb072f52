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
  created_at: string;
}

/** A household's entitlement account in one cycle, as a redemption sees it. */
export interface EntitlementState {
  accountId: string;
  cycleId: string;
  commodity: string;
  /** The cycle's status ('open' may be redeemed). */
  status: string;
  /** YYYY-MM-DD: the cycle's last day. */
  endsOn: string;
  /** credits_posted - debits_posted - debits_pending; goes down as a batch takes from it. */
  available: number;
}

/** A presented card, resolved. */
export type CardState =
  | { ok: true; household: { id: string; area_path: string } }
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
  scope: Scope;
}

/** What a batch knows of the database, read under its locks. */
export interface RedemptionSnapshot {
  /** YYYY-MM-DD: the day the batch is decided on. */
  today: string;
  /** ISO instant stamped on every hand-over of the batch. */
  createdAt: string;
  /** Stored first answers, by redemption id. */
  stored: ReadonlyMap<string, { requestHash: string; redemption: HandOver }>;
  /** By the card text as presented. */
  cards: ReadonlyMap<string, CardState>;
  /** Service point id -> its area's path. */
  servicePointPaths: ReadonlyMap<string, string>;
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
  | { code: 'cycle-closed'; commodity: string }
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

function isRedeemable(entitlement: EntitlementState, today: string): boolean {
  return entitlement.status === 'open' && today <= entitlement.endsOn;
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
  const earlier = accepted.get(request.id) ?? snapshot.stored.get(request.id);
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
  const servicePointPath = snapshot.servicePointPaths.get(request.service_point_id);
  if (servicePointPath === undefined || !areaInScope(request.scope, servicePointPath)) {
    return refuse({ code: 'service-point-not-found' });
  }

  const today = snapshot.today;
  const entitlements = snapshot.entitlements.get(household.id) ?? [];
  // Decide every item before taking anything: entitlement first, then stock.
  const allocations: { item: HandOverItem; from: EntitlementState; quantity: number }[] = [];
  for (const item of request.items) {
    const mine = entitlements.filter((entitlement) => entitlement.commodity === item.commodity);
    const redeemable = mine.filter((entitlement) => isRedeemable(entitlement, today));
    if (redeemable.length === 0 && mine.length > 0) {
      return refuse({ code: 'cycle-closed', commodity: item.commodity });
    }
    const available = redeemable.reduce((sum, entitlement) => sum + entitlement.available, 0);
    if (available < item.quantity) {
      return refuse({
        code: 'insufficient-entitlement',
        commodity: item.commodity,
        available,
        remaining: remainingOf(entitlements, today),
      });
    }
    let needed = item.quantity;
    for (const entitlement of redeemable) {
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
      created_at: snapshot.createdAt,
    },
    transfers,
  };
}
