/**
 * Cycles: one round of a programme over a period and areas. Opening credits every eligible
 * household's entitlement (set-based, in batches, re-runnable); closing expires what is left.
 * The CLI calls openCycle and closeCycle with a progress callback.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import type { CycleStatus } from '../../db/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import {
  allotmentAccountId,
  entitlementAccountId,
  expiryTransferId,
  ownerKinds,
  systemAccountId,
  systemAccounts,
  transferCodes,
} from '../../domain/entitlement/accounts.js';
import type { ProgrammeRules } from '../../domain/entitlement/rules.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import {
  AccountFlags,
  hasFlag,
  isSuccess,
  type TransferInput,
} from '../../domain/ledger/ledger.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { backgroundTurn, BatchSizer } from '../../shared/pacing.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import { dialectOf } from '../../db/dialect.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  createAccounts,
  createTransfers,
  getAccounts,
  getAccountsForWrite,
} from '../ledger/ledger.service.js';
import {
  findProgramme,
  programmeRules,
  ruleAreaPaths,
  type HouseholdSelection,
} from '../programmes/programmes.service.js';
import { countUncredited, creditBatch } from './cycles.ledger.repository.js';
import {
  cycleProgress,
  findCycle,
  findCycleAreas,
  findCycleHouseholdIds,
  findCycleIdsOfHousehold,
  insertCycle,
  insertCycleMembership,
  listCycles as selectCycles,
  updateCycle,
  type CycleArea,
  type CycleRecord,
} from './cycles.repository.js';
import type {
  CreateCycleInput,
  CycleListInput,
  CycleProgressView,
  CycleRunView,
  CycleView,
} from './cycles.schema.js';

// What other modules may read of this module's tables (they never import its repository).

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** Reported after each batch: `done` of `total` households credited (or expired). */
export interface CycleProgress {
  phase: 'credit' | 'expire';
  done: number;
  total: number;
}
export type ProgressCallback = (progress: CycleProgress) => void;

export interface CycleRunOptions {
  /**
   * Ledger rows per batch (households x commodities). By default each batch is sized to take a
   * few milliseconds (at most 8,000 rows), so the counter's transactions interleave with it.
   */
  batchRows?: number;
}

const defaultBatchRows = 8000;

/**
 * Households per transaction: fixed when `batchRows` is given; else, on SQLite, sized so that
 * each transaction takes a few milliseconds (the counter waits for the one connection
 * meanwhile); on PostgreSQL, where a batch holds no one up and is set-based SQL that leaves the
 * event loop free, the largest.
 */
function householdBatches(
  options: CycleRunOptions,
  commodities: number,
  dialect: WriteStorage['dialect'],
): BatchSizer {
  const max = Math.max(
    1,
    Math.floor((options.batchRows ?? defaultBatchRows) / Math.max(1, commodities)),
  );
  return options.batchRows === undefined && dialect === 'sqlite'
    ? new BatchSizer(Math.min(max, 64), max)
    : new BatchSizer(max, max, Number.POSITIVE_INFINITY);
}

function presentCycle(row: CycleRecord, areas: readonly CycleArea[]): CycleView {
  return {
    id: row.id,
    programme_id: row.programme_id,
    starts_on: row.starts_on,
    ends_on: row.ends_on,
    area_pcodes: areas.map((area) => area.pcode),
    status: row.status,
    households_credited: Number(row.households_credited),
    created_at: row.created_at,
    opened_at: row.opened_at,
    closed_at: row.closed_at,
  };
}

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** True when the actor's scope holds every area of the cycle (else the cycle is not found). */
function cycleInScope(actor: Actor, areas: readonly CycleArea[]): boolean {
  return areas.length > 0 && areas.every((area) => areaInScope(actor.scope, area.path));
}

async function loadCycle(
  db: Executor,
  dialect: WriteStorage['dialect'] | undefined,
  actor: Actor,
  id: string,
  forUpdate = false,
): Promise<{ cycle: CycleRecord; areas: CycleArea[] }> {
  const cycle = await findCycle(db, id, { forUpdate, ...(dialect ? { dialect } : {}) });
  const areas = cycle ? ((await findCycleAreas(db, [id])).get(id) ?? []) : [];
  if (!cycle || !cycleInScope(actor, areas)) throw new NotFoundError('cycle');
  return { cycle, areas };
}

/** Creates a cycle in `draft` over areas within the actor's scope. */
export async function createCycle(
  storage: WriteStorage,
  actor: Actor,
  input: CreateCycleInput,
  clock: Clock,
): Promise<CycleView> {
  return writeTransaction(storage, async (trx) => {
    const issues: FieldIssue[] = [];
    for (const field of ['starts_on', 'ends_on'] as const) {
      if (!isCalendarDay(input[field]))
        issues.push({ path: `/${field}`, message: 'is not a date', code: 'date-invalid' });
    }
    if (issues.length === 0 && input.ends_on < input.starts_on) {
      issues.push({
        path: '/ends_on',
        message: 'must not be before starts_on',
        code: 'ends-before-starts',
      });
    }
    if (!(await findProgramme(trx, input.programme_id))) {
      issues.push({ path: '/programme_id', message: 'is not a known programme' });
    }
    const areas = await findAreas(trx, input.area_pcodes);
    input.area_pcodes.forEach((pcode, index) => {
      const area = areas.get(pcode);
      // Areas are public reference data: one outside the scope is refused as such.
      if (!area)
        issues.push({
          path: `/area_pcodes/${index}`,
          message: 'is not a known area',
          code: 'area-unknown',
        });
      else if (!areaInScope(actor.scope, area.path))
        issues.push({
          path: `/area_pcodes/${index}`,
          message: 'is outside your scope',
          code: 'area-outside-scope',
        });
    });
    if (issues.length > 0) throw new ValidationError(issues);
    const row: CycleRecord = {
      id: randomUUID(),
      programme_id: input.programme_id,
      starts_on: input.starts_on,
      ends_on: input.ends_on,
      status: 'draft',
      credit_batches: 0,
      households_credited: 0,
      created_by: actor.userId,
      created_at: clock().toISOString(),
      opened_at: null,
      closed_at: null,
    };
    await insertCycle(trx, row, input.area_pcodes);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'cycle.create',
        entity: 'cycle',
        entityId: row.id,
        fields: ['programme_id', 'starts_on', 'ends_on', 'area_pcodes'],
      },
      clock,
    );
    return presentCycle(
      row,
      [...input.area_pcodes].sort().map((pcode) => ({ pcode, path: areas.get(pcode)?.path ?? '' })),
    );
  });
}

/** The cycle, or NotFoundError when it is missing or any of its areas is outside the scope. */
export async function getCycle(db: Executor, actor: Actor, id: string): Promise<CycleView> {
  const { cycle, areas } = await loadCycle(db, undefined, actor, id);
  return presentCycle(cycle, areas);
}

/**
 * How far a cycle in the actor's scope has come, per subdistrict: households entitled and
 * served, and per commodity the quantity entitled and redeemed (base units).
 */
export async function getCycleProgress(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<CycleProgressView> {
  const { cycle } = await loadCycle(db, undefined, actor, id);
  const progress = await cycleProgress(db, id, actor.scope);
  const pcodes = [
    ...new Set([
      ...progress.areas.map((row) => row.area_pcode),
      ...progress.commodities.map((row) => row.area_pcode),
    ]),
  ].sort();
  const names = await findAreas(db, pcodes);
  const totals = new Map<string, { commodity: string; entitled: number; redeemed: number }>();
  for (const row of progress.commodities) {
    const total = totals.get(row.commodity) ?? {
      commodity: row.commodity,
      entitled: 0,
      redeemed: 0,
    };
    total.entitled += row.entitled;
    total.redeemed += row.redeemed;
    totals.set(row.commodity, total);
  }
  const areas = pcodes.map((pcode) => {
    const counts = progress.areas.find((row) => row.area_pcode === pcode);
    const area = names.get(pcode);
    return {
      area_pcode: pcode,
      name_ar: area?.name_ar ?? pcode,
      name_en: area?.name_en ?? pcode,
      households_entitled: counts?.households_entitled ?? 0,
      households_served: counts?.households_served ?? 0,
      commodities: progress.commodities
        .filter((row) => row.area_pcode === pcode)
        .map(({ commodity, entitled, redeemed }) => ({ commodity, entitled, redeemed })),
    };
  });
  return {
    cycle_id: cycle.id,
    status: cycle.status,
    households_entitled: areas.reduce((sum, area) => sum + area.households_entitled, 0),
    households_served: areas.reduce((sum, area) => sum + area.households_served, 0),
    areas,
    commodities: [...totals.values()].sort((a, b) =>
      a.commodity < b.commodity ? -1 : a.commodity > b.commodity ? 1 : 0,
    ),
  };
}

/** The cycles wholly within the actor's scope, newest period first. */
export async function listCycles(
  db: Executor,
  actor: Actor,
  input: CycleListInput,
): Promise<CycleView[]> {
  const rows = await selectCycles(db, {
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.programme_id !== undefined ? { programmeId: input.programme_id } : {}),
  });
  const areas = await findCycleAreas(
    db,
    rows.map((row) => row.id),
  );
  return rows.flatMap((row) => {
    const cycleAreas = areas.get(row.id) ?? [];
    return cycleInScope(actor, cycleAreas) ? [presentCycle(row, cycleAreas)] : [];
  });
}

/** Creates the accounts if missing; any answer but created/exists is a broken invariant. */
async function ensureAccounts(
  trx: Executor,
  accounts: readonly AccountInput[],
  clock: Clock,
): Promise<void> {
  const results = await createAccounts(trx, accounts, clock);
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (failed) throw new Error(`account ${failed.id} could not be created: ${failed.result}`);
}

/**
 * Makes sure the programme's allotment accounts exist; answers the commodity of one that is
 * closed (nothing may be credited from it), or null.
 */
async function openAllotments(
  trx: Executor,
  programmeId: string,
  rules: ProgrammeRules,
  clock: Clock,
): Promise<string | null> {
  const allotments = rules.items.map((item) => ({
    id: allotmentAccountId(programmeId, item.commodity),
    commodity: item.commodity,
    owner_kind: ownerKinds.programme,
    owner_id: programmeId,
    flags: 0,
  }));
  await ensureAccounts(trx, allotments, clock);
  const closed = (
    await getAccounts(
      trx,
      allotments.map((account) => account.id),
    )
  ).find((account) => hasFlag(account.flags, AccountFlags.closed));
  return closed?.commodity ?? null;
}

interface CreditPlan {
  cycle: CycleRecord;
  rules: ProgrammeRules;
  selection: HouseholdSelection;
}

/**
 * The first transaction of opening or adding households: checks the cycle may take credits,
 * makes sure the programme's allotment accounts exist and are open, and moves a draft to
 * `opening`.
 */
async function beginCrediting(
  storage: WriteStorage,
  actor: Actor,
  cycleId: string,
  clock: Clock,
  allowed: readonly CycleStatus[],
  action: string,
): Promise<CreditPlan> {
  return writeTransaction(storage, async (trx) => {
    const { cycle, areas } = await loadCycle(trx, storage.dialect, actor, cycleId, true);
    if (cycle.status === 'closing' || cycle.status === 'closed') {
      throw new ConflictError('cycle-closed', 'The cycle is closed.');
    }
    if (!allowed.includes(cycle.status)) {
      throw new ConflictError('cycle-not-open', 'Open the cycle first.');
    }
    const programme = await findProgramme(trx, cycle.programme_id);
    if (!programme) throw new Error(`cycle ${cycle.id} names a missing programme`);
    const rules = programmeRules(programme);
    const closed = await openAllotments(trx, programme.id, rules, clock);
    if (closed) {
      throw new ConflictError(
        'allotment-closed',
        `The programme's allotment of ${closed} is closed.`,
      );
    }
    if (cycle.status === 'draft') {
      await updateCycle(trx, cycle.id, { status: 'opening' });
      cycle.status = 'opening';
    }
    await appendAuditEvent(
      trx,
      { actor, action, entity: 'cycle', entityId: cycle.id, fields: ['status'] },
      clock,
    );
    return {
      cycle,
      rules,
      selection: {
        rules,
        ruleAreaPaths: await ruleAreaPaths(trx, rules),
        withinPaths: areas.map((area) => area.path),
        scope: { kind: 'all' },
      },
    };
  });
}

/** Credits, batch by batch, every eligible household of the cycle not credited yet. */
async function creditRemaining(
  storage: WriteStorage,
  actor: Actor,
  plan: CreditPlan,
  clock: Clock,
  onProgress: ProgressCallback | undefined,
  options: CycleRunOptions,
): Promise<number> {
  const batches = householdBatches(options, plan.rules.items.length, storage.dialect);
  const total = await countUncredited(storage.db, plan.cycle.id, plan.selection);
  onProgress?.({ phase: 'credit', done: 0, total });
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const limit = batches.size;
    const result = await writeTransaction(storage, async (trx) => {
      const started = performance.now();
      const cycle = await findCycle(trx, plan.cycle.id, {
        forUpdate: true,
        dialect: storage.dialect,
      });
      if (!cycle || (cycle.status !== 'opening' && cycle.status !== 'open')) {
        throw new ConflictError(
          'cycle-closed',
          'The cycle was closed while households were credited.',
        );
      }
      const credited = await creditBatch(trx, {
        cycleId: cycle.id,
        programmeId: cycle.programme_id,
        batch: cycle.credit_batches + 1,
        afterHouseholdId: after,
        limit,
        selection: plan.selection,
        items: plan.rules.items,
        now: clock().toISOString(),
        actorId: actor.userId,
      });
      return { ...credited, elapsedMs: performance.now() - started };
    });
    batches.took(limit, result.elapsedMs);
    if (result.households > 0) {
      done += result.households;
      onProgress?.({ phase: 'credit', done, total: Math.max(total, done) });
    }
    if (result.lastHouseholdId === null) break;
    after = result.lastHouseholdId;
    await backgroundTurn(result.elapsedMs);
  }
  return done;
}

async function finishRun(
  storage: WriteStorage,
  actor: Actor,
  cycleId: string,
  clock: Clock,
  processed: number,
  change: (
    cycle: CycleRecord,
  ) => Partial<Pick<CycleRecord, 'status' | 'opened_at' | 'closed_at'>> | null,
  action: string,
): Promise<CycleRunView> {
  return writeTransaction(storage, async (trx) => {
    const { cycle, areas } = await loadCycle(trx, storage.dialect, actor, cycleId, true);
    const changes = change(cycle);
    if (changes) {
      await updateCycle(trx, cycle.id, changes);
      Object.assign(cycle, changes);
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action,
        entity: 'cycle',
        entityId: cycle.id,
        fields: changes
          ? [...Object.keys(changes), 'households_credited']
          : ['households_credited'],
      },
      clock,
    );
    return { ...presentCycle(cycle, areas), households_processed: processed };
  });
}

/**
 * Opens a cycle: credits each eligible household's entitlement account from the programme's
 * allotment, in batches (reporting progress), then sets it `open`. Safe to run again (also
 * after a crash while `opening`): households already credited are skipped.
 */
export async function openCycle(
  storage: WriteStorage,
  actor: Actor,
  cycleId: string,
  clock: Clock,
  onProgress?: ProgressCallback,
  options: CycleRunOptions = {},
): Promise<CycleRunView> {
  const plan = await beginCrediting(
    storage,
    actor,
    cycleId,
    clock,
    ['draft', 'opening', 'open'],
    'cycle.open',
  );
  const credited = await creditRemaining(storage, actor, plan, clock, onProgress, options);
  const openedAt = clock().toISOString();
  return finishRun(
    storage,
    actor,
    cycleId,
    clock,
    credited,
    (cycle) => (cycle.status === 'opening' ? { status: 'open', opened_at: openedAt } : null),
    'cycle.opened',
  );
}

/** Credits the households of an open cycle that became eligible (or registered) since. */
export async function addCycleHouseholds(
  storage: WriteStorage,
  actor: Actor,
  cycleId: string,
  clock: Clock,
  onProgress?: ProgressCallback,
  options: CycleRunOptions = {},
): Promise<CycleRunView> {
  const plan = await beginCrediting(
    storage,
    actor,
    cycleId,
    clock,
    ['opening', 'open'],
    'cycle.credit',
  );
  const credited = await creditRemaining(storage, actor, plan, clock, onProgress, options);
  return finishRun(storage, actor, cycleId, clock, credited, () => null, 'cycle.credited');
}

/** At most this many households per crediting statement when late registrations join. */
const lateJoinChunk = 500;

/**
 * Late registrations: the given households (just registered, or made active again) join every
 * open cycle whose programme says `late_registrations_join` and whose last day has not passed,
 * when the programme's rules make them eligible — credited by the same set-based batch that
 * opens a cycle and adds households (creditBatch), in the caller's transaction. A household
 * already in a cycle is not credited twice; a programme whose allotment is closed is skipped.
 * Returns the number of (cycle, household) entitlements credited.
 */
export async function joinOpenCycles(
  trx: Executor,
  actor: Actor,
  householdIds: readonly string[],
  clock: Clock,
): Promise<number> {
  if (householdIds.length === 0) return 0;
  const today = localDay(clock(), configuredTimeZone());
  const dialect = dialectOf(trx);
  let credited = 0;
  for (const open of await selectCycles(trx, { status: 'open' })) {
    if (open.ends_on < today) continue;
    const programme = await findProgramme(trx, open.programme_id);
    if (!programme || programme.late_registrations_join !== 1) continue;
    // Locked as a crediting run locks it, so a close or another run waits for this one.
    const cycle = await findCycle(trx, open.id, { forUpdate: true, dialect });
    if (!cycle || cycle.status !== 'open') continue;
    const rules = programmeRules(programme);
    if ((await openAllotments(trx, programme.id, rules, clock)) !== null) continue;
    const areas = (await findCycleAreas(trx, [cycle.id])).get(cycle.id) ?? [];
    const selection: HouseholdSelection = {
      rules,
      ruleAreaPaths: await ruleAreaPaths(trx, rules),
      withinPaths: areas.map((area) => area.path),
      scope: { kind: 'all' },
    };
    let batch = cycle.credit_batches;
    let joined = 0;
    for (let start = 0; start < householdIds.length; start += lateJoinChunk) {
      batch += 1;
      const result = await creditBatch(trx, {
        cycleId: cycle.id,
        programmeId: programme.id,
        batch,
        afterHouseholdId: null,
        limit: lateJoinChunk,
        householdIds: householdIds.slice(start, start + lateJoinChunk),
        selection,
        items: rules.items,
        now: clock().toISOString(),
        actorId: actor.userId,
      });
      joined += result.households;
    }
    if (joined > 0) {
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'cycle.late_join',
          entity: 'cycle',
          entityId: cycle.id,
          fields: ['households_credited'],
        },
        clock,
      );
    }
    credited += joined;
  }
  return credited;
}

/**
 * For a merge of households: the kept household joins every cycle the merged one takes part
 * in and it does not, so that redemption finds the entitlement carried over to it, closing
 * expires it, and a later crediting run does not credit it again. In the caller's transaction.
 */
export async function carryCycleMemberships(
  trx: Executor,
  mergedId: string,
  kept: { id: string; household_size: number },
): Promise<void> {
  const keptCycles = new Set(await findCycleIdsOfHousehold(trx, kept.id));
  for (const cycleId of await findCycleIdsOfHousehold(trx, mergedId)) {
    if (!keptCycles.has(cycleId)) {
      await insertCycleMembership(trx, cycleId, kept.id, kept.household_size);
    }
  }
}

/**
 * Closes a cycle: moves it to `closing` (redemptions stop), transfers each entitlement
 * account's available balance to the commodity's `expired` sink in batches, then sets it
 * `closed`. Reservations (pending debits) are left to be posted or voided. Safe to re-run.
 */
export async function closeCycle(
  storage: WriteStorage,
  actor: Actor,
  cycleId: string,
  clock: Clock,
  onProgress?: ProgressCallback,
  options: CycleRunOptions = {},
): Promise<CycleRunView> {
  const started = await writeTransaction(storage, async (trx) => {
    const { cycle } = await loadCycle(trx, storage.dialect, actor, cycleId, true);
    if (cycle.status === 'closed') return null;
    const programme = await findProgramme(trx, cycle.programme_id);
    if (!programme) throw new Error(`cycle ${cycle.id} names a missing programme`);
    const commodities = programmeRules(programme).items.map((item) => item.commodity);
    await ensureAccounts(
      trx,
      commodities.map((commodity) => ({
        id: systemAccountId(systemAccounts.expired, commodity),
        commodity,
        owner_kind: ownerKinds.system,
        owner_id: systemAccounts.expired,
        flags: 0,
      })),
      clock,
    );
    if (cycle.status !== 'closing') await updateCycle(trx, cycle.id, { status: 'closing' });
    await appendAuditEvent(
      trx,
      { actor, action: 'cycle.close', entity: 'cycle', entityId: cycle.id, fields: ['status'] },
      clock,
    );
    return { cycle, commodities };
  });
  if (!started) {
    const view = await getCycle(storage.db, actor, cycleId);
    return { ...view, households_processed: 0 };
  }
  const { cycle, commodities } = started;
  const batches = householdBatches(options, commodities.length, storage.dialect);
  const total = cycle.households_credited;
  onProgress?.({ phase: 'expire', done: 0, total });
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const limit = batches.size;
    const { householdIds, elapsedMs } = await writeTransaction(storage, async (trx) => {
      const started = performance.now();
      const ids = await findCycleHouseholdIds(trx, cycle.id, after, limit);
      if (ids.length > 0) await expireHouseholds(trx, actor, cycle.id, ids, commodities, clock);
      return { householdIds: ids, elapsedMs: performance.now() - started };
    });
    if (householdIds.length === 0) break;
    batches.took(limit, elapsedMs);
    done += householdIds.length;
    after = householdIds.at(-1) ?? null;
    onProgress?.({ phase: 'expire', done, total: Math.max(total, done) });
    await backgroundTurn(elapsedMs);
  }
  const closedAt = clock().toISOString();
  return finishRun(
    storage,
    actor,
    cycleId,
    clock,
    done,
    () => ({ status: 'closed', closed_at: closedAt }),
    'cycle.closed',
  );
}

/** Transfers what these households have left in the cycle to the `expired` sinks. */
async function expireHouseholds(
  trx: Executor,
  actor: Actor,
  cycleId: string,
  householdIds: readonly string[],
  commodities: readonly string[],
  clock: Clock,
): Promise<void> {
  const owners = new Map<string, { householdId: string; commodity: string }>();
  for (const householdId of householdIds) {
    for (const commodity of commodities) {
      owners.set(entitlementAccountId(cycleId, householdId, commodity), { householdId, commodity });
    }
  }
  // Locked first, so the amounts read are still the balances when the transfers post.
  const accounts = await getAccountsForWrite(trx, [...owners.keys()]);
  const transfers: TransferInput[] = [];
  for (const account of accounts) {
    const owner = owners.get(account.id);
    const available = account.credits_posted - account.debits_posted - account.debits_pending;
    if (!owner || available <= 0) continue;
    transfers.push({
      id: expiryTransferId(cycleId, owner.householdId, owner.commodity),
      debit_account_id: account.id,
      credit_account_id: systemAccountId(systemAccounts.expired, owner.commodity),
      amount: available,
      commodity: owner.commodity,
      code: transferCodes.entitlementExpiry,
      references: { cycle_id: cycleId, household_id: owner.householdId },
    });
  }
  if (transfers.length === 0) return;
  const results = await createTransfers(trx, transfers, { actor, clock });
  const failed = results.find((result) => !isSuccess(result.result));
  if (failed) throw new Error(`expiry transfer ${failed.id} failed: ${failed.result}`);
}
