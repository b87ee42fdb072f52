/**
 * The ledger accounts and transfer ids of warehouses, lots, donations, inspections and
 * allocations. Each lot's quantity per holder is split over accounts by state, all flagged
 * debits_must_not_exceed_credits:
 *
 * - `quarantined`: received, not yet inspected. A donation into quarantine is followed in the
 *   same batch by a pending transfer (the quarantine hold) of the whole quantity from this
 *   account to the lot's `available` account, with no timeout. The hold reserves every
 *   quarantined unit, so the ledger itself refuses any other debit (exceeds_credits); only
 *   posting or voiding the hold, which the inspection service alone does, frees them.
 * - `available`: released, free to allocate.
 * - `allocated`: held by an approved allocation; a dispatch is a pending transfer from here to
 *   the recipient (in transit until received).
 * - `rejected`: failed inspection, kept apart until disposal.
 *
 * Ids are deterministic, so retrying a step names the same transfers and the ledger answers
 * `exists`. Lot, holder and allocation ids are UUIDs (no ':'), so every id parses back.
 */

export const lotStates = ['quarantined', 'available', 'allocated', 'rejected'] as const;
export type LotState = (typeof lotStates)[number];

/** Who may hold lot stock (accounts.owner_kind of lot accounts). */
export const holderKinds = [
  'warehouse',
  'partner',
  'team',
  'org_unit',
  'service_point',
  'volunteer',
] as const;
export type HolderKind = (typeof holderKinds)[number];

/** Virtual accounts per commodity (owner kind `system`, flags 0). */
export const storeSystemAccounts = {
  /** Where donated goods come from (source). */
  donated: 'donated',
  /** Where a shortfall found on receipt goes (sink). */
  lostInTransit: 'lost_in_transit',
  /** Where rejected goods go once disposed of (sink). */
  disposed: 'disposed',
} as const;

export const storeTransferCodes = {
  donationReceipt: 'donation_receipt',
  quarantineHold: 'quarantine_hold',
  inspectionRelease: 'inspection_release',
  inspectionReject: 'inspection_reject',
  allocationHold: 'allocation_hold',
  allocationRelease: 'allocation_release',
  allocationDispatch: 'allocation_dispatch',
  allocationReceipt: 'allocation_receipt',
  lossInTransit: 'loss_in_transit',
  ppeIssue: 'ppe_issue',
  disposal: 'disposal',
  /** A received quantity corrected up (donated -> available) or down (available -> donated). */
  receiptCorrectionIn: 'receipt_correction_in',
  receiptCorrectionOut: 'receipt_correction_out',
} as const;

export function lotAccountId(
  lotId: string,
  holderKind: HolderKind,
  holderId: string,
  state: LotState,
): string {
  return `lot:${lotId}:${holderKind}:${holderId}:${state}`;
}

export interface LotAccountKey {
  lotId: string;
  holderKind: HolderKind;
  holderId: string;
  state: LotState;
}

/** The parts of a lot account id, or null for any other account. */
export function parseLotAccountId(id: string): LotAccountKey | null {
  const parts = id.split(':');
  if (parts.length !== 5 || parts[0] !== 'lot') return null;
  const [, lotId, holderKind, holderId, state] = parts as [string, string, string, string, string];
  if (!(holderKinds as readonly string[]).includes(holderKind)) return null;
  if (!(lotStates as readonly string[]).includes(state)) return null;
  return { lotId, holderKind: holderKind as HolderKind, holderId, state: state as LotState };
}

export function storeSystemAccountId(
  kind: (typeof storeSystemAccounts)[keyof typeof storeSystemAccounts],
  commodity: string,
): string {
  return `${kind}:${commodity}`;
}

export function donationTransferId(donationId: string, lineNumber: number): string {
  return `donation:${donationId}:${lineNumber}`;
}

/** The pending transfer that holds a quarantined lot until its inspection. */
export function quarantineHoldId(lotId: string): string {
  return `quarantine:${lotId}`;
}

export function inspectionTransferId(
  inspectionId: string,
  step: 'release' | 'void' | 'reject',
): string {
  return `inspection:${inspectionId}:${step}`;
}

export function allocationTransferId(
  allocationId: string,
  lineNumber: number,
  step: 'hold' | 'release' | 'dispatch' | 'receive' | 'void' | 'loss',
): string {
  return `allocation:${allocationId}:${lineNumber}:${step}`;
}

/**
 * The status a lot shows on a day: a quarantined or released lot whose expiry date has passed
 * is `expired` (it cannot be allocated or dispatched); rejected stays rejected.
 */
export function effectiveLotStatus<S extends string>(
  status: S,
  expiresOn: string | null,
  today: string,
): S | 'expired' {
  if (
    (status === 'quarantined' || status === 'released') &&
    expiresOn !== null &&
    expiresOn < today
  ) {
    return 'expired';
  }
  return status;
}

/**
 * First expiry, first out: takes `quantity` from the lots in order of expiry (no expiry last,
 * then by number), each up to what it has available. Returns the picks, or null when the lots
 * together cannot cover the quantity.
 */
export function pickFirstExpiry<
  L extends { id: string; number: string; expires_on: string | null; available: number },
>(lots: readonly L[], quantity: number): { lot: L; quantity: number }[] | null {
  const ordered = [...lots].sort((a, b) => {
    if (a.expires_on !== b.expires_on) {
      if (a.expires_on === null) return 1;
      if (b.expires_on === null) return -1;
      return a.expires_on < b.expires_on ? -1 : 1;
    }
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  });
  const picks: { lot: L; quantity: number }[] = [];
  let left = quantity;
  for (const lot of ordered) {
    if (left === 0) break;
    if (lot.available <= 0) continue;
    const take = Math.min(left, lot.available);
    picks.push({ lot, quantity: take });
    left -= take;
  }
  return left === 0 ? picks : null;
}
