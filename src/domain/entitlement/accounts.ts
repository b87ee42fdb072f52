/**
 * The ledger accounts and transfer ids of programmes, cycles, stock and redemptions. Ids are
 * deterministic, so re-running an operation names the same rows and the ledger answers
 * `exists` instead of counting twice. Cycle, programme and service point ids contain no ':'
 * (they are UUIDs), and commodity codes never do, so every id below parses back uniquely.
 */

/** Owner kinds of the accounts below (accounts.owner_kind). */
export const ownerKinds = {
  household: 'household',
  programme: 'programme',
  servicePoint: 'service_point',
  /** Virtual accounts with no owner in the world: sources and sinks, one per commodity. */
  system: 'system',
} as const;

/** Virtual accounts per commodity, unbounded (flags 0): where goods come from and go to. */
export const systemAccounts = {
  /** Goods received into stock from outside (source). */
  stockReceived: 'stock_received',
  /** Entitlement handed over to households (sink of entitlement debits). */
  delivered: 'delivered',
  /** Physical stock handed over to households (sink of stock debits). */
  distributed: 'distributed',
  /** Entitlement left unredeemed when a cycle closed (sink). */
  expired: 'expired',
  /** Where a day close's counted shortfall goes and a counted surplus comes from. */
  countDifference: 'count_difference',
} as const;
export type SystemAccount = (typeof systemAccounts)[keyof typeof systemAccounts];

/** Transfer codes (transfers.code): why a count moved. */
export const transferCodes = {
  entitlementCredit: 'entitlement_credit',
  entitlementExpiry: 'entitlement_expiry',
  redemption: 'redemption',
  redemptionStock: 'redemption_stock',
  stockReceipt: 'stock_receipt',
  /** A day close's difference between the count and the books. */
  countAdjustment: 'count_adjustment',
} as const;

export function systemAccountId(kind: SystemAccount, commodity: string): string {
  return `${kind}:${commodity}`;
}

/** A household's entitlement to one commodity in one cycle (flag debits_must_not_exceed_credits). */
export function entitlementAccountId(
  cycleId: string,
  householdId: string,
  commodity: string,
): string {
  return `ent:${cycleId}:${householdId}:${commodity}`;
}

/** The virtual source each cycle of a programme credits entitlements from (flags 0). */
export function allotmentAccountId(programmeId: string, commodity: string): string {
  return `allotment:${programmeId}:${commodity}`;
}

/** A service point's physical stock of one commodity (flag debits_must_not_exceed_credits). */
export function stockAccountId(servicePointId: string, commodity: string): string {
  return `stock:${servicePointId}:${commodity}`;
}

export function creditTransferId(cycleId: string, householdId: string, commodity: string): string {
  return `credit:${cycleId}:${householdId}:${commodity}`;
}

export function expiryTransferId(cycleId: string, householdId: string, commodity: string): string {
  return `expire:${cycleId}:${householdId}:${commodity}`;
}

export function stockReceiptTransferId(receiptId: string): string {
  return `stock_receipt:${receiptId}`;
}

/**
 * The entitlement debit of one redemption item from one cycle. `handOverId` is the hand-over's
 * own time-ordered id, not the client's redemption id (which may be random, and is in the
 * transfer's references): consecutive hand-overs then insert side by side in the transfers'
 * id index instead of on a random page each.
 */
export function redemptionTransferId(
  handOverId: string,
  commodity: string,
  cycleId: string,
): string {
  return `redemption:${handOverId}:${commodity}:${cycleId}`;
}

/** The stock move of one redemption item (`handOverId` as for redemptionTransferId). */
export function redemptionStockTransferId(handOverId: string, commodity: string): string {
  return `redemption:${handOverId}:${commodity}:stock`;
}

/** The adjustment a day close posts for one commodity's counted difference. */
export function dayCloseTransferId(servicePointId: string, day: string, commodity: string): string {
  return `day_close:${servicePointId}:${day}:${commodity}`;
}
