/**
 * The phone's op queue, as pure functions over what the store holds: which ops wait, how they
 * are cut into batches, what the server's answers make of them, when the volunteer is warned,
 * and what a fresh download of the runs lets the phone forget. The sync contract is issue 11 §5
 * (src/modules/sync/sync.schema.ts).
 */
import type { FailedReason } from '../../../src/shared/vocabulary';
import { opIdTime_ms } from './ids';

export interface Item {
  commodity: string;
  quantity: number;
}

export type FieldOp =
  | { id: string; kind: 'delivery'; run_id: string; stop_id: string; items: Item[]; at: string }
  | { id: string; kind: 'delivery'; run_id: string; card: string; items: Item[]; at: string }
  | {
      id: string;
      kind: 'visit-failed';
      run_id: string;
      stop_id: string;
      reason: FailedReason;
      at: string;
    };

/** waiting: not yet answered; sent: applied (or a duplicate of an applied op). */
export type OpState = 'waiting' | 'sent' | 'exception' | 'rejected';

export interface StoredOp {
  id: string;
  op: FieldOp;
  state: OpState;
  code?: string;
  message?: string;
  answered_at?: number;
}

export interface SyncResult {
  id: string | null;
  status: 'applied' | 'duplicate' | 'exception' | 'rejected';
  code?: string;
  message?: string;
}

export interface FieldStop {
  id: string;
  sequence: number;
  household_id: string;
  head_name: string;
  card_number: string;
  address: string | null;
  items: Item[];
  state: string;
}

export interface FieldRun {
  id: string;
  date: string;
  status: string;
  team_id: string;
  stops: FieldStop[];
}

export interface Commodity {
  code: string;
  name_ar: string;
  name_en: string;
  base_unit: string;
}

export interface FieldDownload {
  card_public_key: string;
  commodities: Commodity[];
  runs: FieldRun[];
  closed_run_ids: string[];
  open_exception_op_ids: string[];
}

export const batchSize = 500;
export const tooMany = 50;
export const tooOld_ms = 4 * 60 * 60 * 1000;

/** The ops still to send, oldest first (ids are time-ordered). */
export function waitingOps(ops: readonly StoredOp[]): StoredOp[] {
  return ops.filter((op) => op.state === 'waiting').sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The waiting ops cut into batches the server takes (up to `size` each). */
export function batches(ops: readonly StoredOp[], size = batchSize): StoredOp[][] {
  const waiting = waitingOps(ops);
  const cut: StoredOp[][] = [];
  for (let start = 0; start < waiting.length; start += size) {
    cut.push(waiting.slice(start, start + size));
  }
  return cut;
}

/** What a `duplicate` answer says the first answer was (the server repeats its code and status). */
function firstAnswer(result: SyncResult): OpState {
  if (result.message?.startsWith('first answered exception')) return 'exception';
  if (result.message?.startsWith('first answered rejected')) return 'rejected';
  return 'sent';
}

/**
 * The sent batch's ops with the server's answers applied, in order: an op leaves `waiting`
 * only when an answer naming it arrived; `exception` and `rejected` keep their code and reason.
 */
export function applyAnswers(
  sent: readonly StoredOp[],
  results: readonly SyncResult[],
  now_ms: number,
): StoredOp[] {
  const changed: StoredOp[] = [];
  sent.forEach((stored, index) => {
    const result = results[index];
    if (!result || result.id !== stored.id) return;
    const state: OpState =
      result.status === 'applied'
        ? 'sent'
        : result.status === 'duplicate'
          ? firstAnswer(result)
          : result.status;
    changed.push({
      ...stored,
      state,
      ...(result.code ? { code: result.code } : {}),
      ...(result.message ? { message: result.message } : {}),
      answered_at: now_ms,
    });
  });
  return changed;
}

export interface QueueHealth {
  waiting: number;
  oldest_ms: number | null;
  /** Over 50 actions wait, or one waited more than 4 hours. */
  warn: boolean;
}

export function queueHealth(ops: readonly StoredOp[], now_ms: number): QueueHealth {
  const waiting = waitingOps(ops);
  const oldest = waiting[0];
  const oldest_ms = oldest ? now_ms - opIdTime_ms(oldest.id) : null;
  return {
    waiting: waiting.length,
    oldest_ms,
    warn: waiting.length > tooMany || (oldest_ms !== null && oldest_ms > tooOld_ms),
  };
}

/** The ops the office must look at: answered `exception` or `rejected`, newest first. */
export function problemOps(ops: readonly StoredOp[]): StoredOp[] {
  return ops
    .filter((op) => op.state === 'exception' || op.state === 'rejected')
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * The ids of ops the phone may forget after a download started at `started_ms`: sent or
 * rejected ops of runs no longer on the phone (closed, or no longer the team's), and
 * exceptions the office has resolved (answered before the download began and no longer open).
 * A waiting op is never forgotten.
 */
export function forgettable(
  ops: readonly StoredOp[],
  download: Pick<FieldDownload, 'runs' | 'open_exception_op_ids'>,
  started_ms: number,
): string[] {
  const live = new Set(download.runs.map((run) => run.id));
  const open = new Set(download.open_exception_op_ids);
  return ops
    .filter((stored) => {
      if (stored.state === 'waiting') return false;
      if (stored.state === 'exception') {
        return (stored.answered_at ?? Infinity) < started_ms && !open.has(stored.id);
      }
      return !live.has(stored.op.run_id);
    })
    .map((stored) => stored.id);
}

export type StopView = 'pending' | 'delivered' | 'partial' | 'failed' | 'voided';

/** A stop as the phone sees it: the server's state, overridden by this phone's latest op on it. */
export function stopView(stop: FieldStop, ops: readonly StoredOp[]): StopView {
  let latest: StoredOp | undefined;
  for (const stored of ops) {
    if (stored.state === 'rejected') continue;
    if (!('stop_id' in stored.op) || stored.op.stop_id !== stop.id) continue;
    if (!latest || stored.id > latest.id) latest = stored;
  }
  if (latest) {
    if (latest.op.kind === 'visit-failed') {
      const server = known(stop);
      return server === 'delivered' || server === 'partial' ? server : 'failed';
    }
    const op = latest.op;
    const full = stop.items.every(
      (item) =>
        (op.items.find((given) => given.commodity === item.commodity)?.quantity ?? 0) >=
        item.quantity,
    );
    return full ? 'delivered' : 'partial';
  }
  return known(stop);
}

/** The server's state of a stop (planned and reserved both wait for a visit). */
function known(stop: FieldStop): StopView {
  return (
    (['delivered', 'partial', 'failed', 'voided'] as const).find((state) => state === stop.state) ??
    'pending'
  );
}
