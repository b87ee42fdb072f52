/**
 * The ledger accounts and transfer ids of delivery runs. Deterministic, so a repeated
 * dispatch, sync or close names the same transfers and the ledger answers `exists`.
 * Run, stop, team and op ids contain no ':' (UUIDs or time-ordered ids checked at the edge).
 */

export const runOwnerKinds = { team: 'team' } as const;

/** System accounts per commodity added by runs (flags 0). */
export const runSystemAccounts = {
  /** Goods a volunteer reported handing over that wait for the office's decision. */
  suspense: 'field_suspense',
  /** Entitlement (and goods) the office approved beyond what the books allowed. */
  overdraw: 'overdraw',
  /** Goods of a rejected exception: handed over, not owed. */
  lost: 'lost',
} as const;

export const runTransferCodes = {
  reserve: 'run_reservation',
  load: 'run_load',
  deliver: 'run_delivery',
  deliverGoods: 'run_delivery_stock',
  release: 'run_release',
  returnGoods: 'run_return',
  adHoc: 'run_ad_hoc',
  adHocGoods: 'run_ad_hoc_stock',
  exceptionHold: 'run_exception_hold',
  exceptionApproved: 'run_exception_approved',
  exceptionGoods: 'run_exception_stock',
  exceptionRejected: 'run_exception_rejected',
} as const;

/** A team's stock of one commodity (flag debits_must_not_exceed_credits). */
export function teamStockAccountId(teamId: string, commodity: string): string {
  return `team:${teamId}:${commodity}`;
}

export function reserveTransferId(stopId: string, commodity: string): string {
  return `run-reserve:${stopId}:${commodity}`;
}
export function loadTransferId(runId: string, commodity: string): string {
  return `run-load:${runId}:${commodity}`;
}
export function deliverTransferId(stopId: string, commodity: string): string {
  return `run-deliver:${stopId}:${commodity}`;
}
export function deliverGoodsTransferId(stopId: string, commodity: string): string {
  return `run-give:${stopId}:${commodity}`;
}
export function releaseTransferId(stopId: string, commodity: string): string {
  return `run-release:${stopId}:${commodity}`;
}
export function returnTransferId(runId: string, commodity: string): string {
  return `run-return:${runId}:${commodity}`;
}
export function adHocTransferId(
  opId: string,
  commodity: string,
  part: 'entitlement' | 'goods',
): string {
  return `run-adhoc:${opId}:${commodity}:${part}`;
}
export function exceptionTransferId(
  exceptionId: string,
  commodity: string,
  part: 'hold' | 'entitlement' | 'goods',
): string {
  return `run-exception:${exceptionId}:${commodity}:${part}`;
}

/** A run system account's id, in the form of systemAccountId ('<kind>:<commodity>'). */
export function runSystemAccountId(
  kind: (typeof runSystemAccounts)[keyof typeof runSystemAccounts],
  commodity: string,
): string {
  return `${kind}:${commodity}`;
}
