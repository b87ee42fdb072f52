/**
 * Delivery runs: a team's planned list of stops for one day of an open cycle.
 * - plan (runs.planning.ts): eligible households into runs ordered by the routing solver;
 * - dispatch: the gate (every member's trainings and permits), then one transaction that
 *   reserves each stop's entitlement with pending transfers expiring at the end of the run's
 *   local day plus the configured grace, and moves the run's goods from the source service
 *   point to the team's stock;
 * - close: voids what was not delivered, returns the goods not handed over, records hours.
 * Field results (deliveries, failed visits, ad-hoc deliveries) come through sync.service.ts.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import {
  entitlementAccountId,
  ownerKinds,
  stockAccountId,
  systemAccountId,
  systemAccounts,
} from '../../domain/entitlement/accounts.js';
import type { AccountInput } from '../../domain/ledger/accounts.js';
import {
  AccountFlags,
  TransferFlags,
  isSuccess,
  type TransferInput,
} from '../../domain/ledger/ledger.js';
import {
  loadTransferId,
  releaseTransferId,
  reserveTransferId,
  returnTransferId,
  runOwnerKinds,
  runSystemAccountId,
  runSystemAccounts,
  runTransferCodes,
  teamStockAccountId,
} from '../../domain/runs/accounts.js';
import { endOfLocalDay, localDay, localTime } from '../../domain/runs/calendar.js';
import { missingForDispatch } from '../../domain/runs/dispatch-gate.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  createAccounts,
  createTransfers,
  getAccounts,
  getTransfers,
} from '../ledger/ledger.service.js';
import { getServicePoint } from '../service-points/service-points.service.js';
import { getTeamDetail, type TeamDetail } from '../teams/teams.service.js';
import { loadFieldConfig } from '../volunteers/volunteers.config.js';
import { memberCredentials, recordRunHours } from '../volunteers/volunteers.service.js';
import {
  countStopStates,
  findCandidatesByIds,
  findRun,
  findRunGoods,
  findStops,
  listRuns as selectRuns,
  updateRun,
  updateStops,
  type RunRecord,
  type StopRecord,
} from './runs.repository.js';
import type {
  RunListInput,
  RunListItemView,
  RunSummaryView,
  RunView,
  StopView,
} from './runs.schema.js';

export { findStopsByIds, lockRuns, updateStopResults } from './runs.repository.js';
export type { RunRecord, StopRecord, StopResult } from './runs.repository.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

export interface Item {
  commodity: string;
  quantity: number;
}

export function parseItems(json: string | null): Item[] {
  return json === null ? [] : (JSON.parse(json) as Item[]);
}

export function presentStop(row: StopRecord): StopView {
  return {
    id: row.id,
    household_id: row.household_id,
    sequence: row.sequence,
    items: parseItems(row.items_json),
    state: row.state,
    failed_reason: row.failed_reason,
    delivered: row.delivered_json === null ? null : parseItems(row.delivered_json),
    latitude: row.latitude,
    longitude: row.longitude,
  };
}

function progressOf(
  counts: readonly { state: string; count: number }[],
): RunListItemView['progress'] {
  const of = (state: string) => counts.find((row) => row.state === state)?.count ?? 0;
  const stops = counts.reduce((sum, row) => sum + row.count, 0);
  return {
    stops,
    delivered: of('delivered'),
    partial: of('partial'),
    failed: of('failed'),
    open: of('planned') + of('reserved'),
    voided: of('voided'),
  };
}

function presentRun(
  row: RunRecord,
  counts: readonly { state: string; count: number }[],
): RunListItemView {
  return {
    id: row.id,
    cycle_id: row.cycle_id,
    team_id: row.team_id,
    date: row.date,
    source_service_point_id: row.source_service_point_id,
    area_pcodes: JSON.parse(row.area_pcodes_json) as string[],
    status: row.status,
    reservation_expires_at: row.reservation_expires_at,
    created_at: row.created_at,
    dispatched_at: row.dispatched_at,
    closed_at: row.closed_at,
    progress: progressOf(counts),
    length_metres: row.length_metres,
    depot:
      row.depot_latitude === null || row.depot_longitude === null
        ? null
        : { latitude: row.depot_latitude, longitude: row.depot_longitude },
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as RunSummaryView),
  };
}

export function presentRunWithStops(row: RunRecord, stops: readonly StopRecord[]): RunView {
  const counts = new Map<string, number>();
  for (const stop of stops) counts.set(stop.state, (counts.get(stop.state) ?? 0) + 1);
  return {
    ...presentRun(
      row,
      [...counts].map(([state, count]) => ({ state, count })),
    ),
    stops: stops.map(presentStop),
  };
}

/** The run if its source service point is in the actor's scope (else NotFoundError). */
export async function requireRun(
  db: Executor,
  actor: Actor,
  id: string,
  forUpdate = false,
): Promise<RunRecord> {
  const run = await findRun(db, id, forUpdate);
  if (!run) throw new NotFoundError('run');
  await getServicePoint(db, actor, run.source_service_point_id).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError('run');
    throw error;
  });
  return run;
}

export async function getRun(db: Executor, actor: Actor, id: string): Promise<RunView> {
  const run = await requireRun(db, actor, id);
  return {
    ...presentRunWithStops(run, await findStops(db, [id])),
    detour_factor: (await loadFieldConfig(db)).detourFactor,
  };
}

export async function listRuns(
  db: Executor,
  actor: Actor,
  input: RunListInput,
): Promise<RunListItemView[]> {
  const runs = await selectRuns(db, actor.scope, {
    status: input.status,
    teamId: input.team_id,
    date: input.date,
  });
  const counts = await countStopStates(
    db,
    runs.map((run) => run.id),
  );
  return runs.map((run) =>
    presentRun(
      run,
      counts.filter((row) => row.run_id === run.id),
    ),
  );
}

/** Unscoped: the runs of these teams (for their members' phones), newest day first. */
export async function runsOfTeams(db: Executor, teamIds: readonly string[]): Promise<RunRecord[]> {
  return selectRuns(db, { kind: 'all' }, { teamIds });
}

/** The team's stock account and the system accounts a run's transfers touch, per commodity. */
function runAccountInputs(teamId: string, commodity: string): AccountInput[] {
  const system = (id: string, kind: string): AccountInput => ({
    id,
    commodity,
    owner_kind: ownerKinds.system,
    owner_id: kind,
    flags: 0,
  });
  return [
    {
      id: teamStockAccountId(teamId, commodity),
      commodity,
      owner_kind: runOwnerKinds.team,
      owner_id: teamId,
      flags: AccountFlags.debitsMustNotExceedCredits,
    },
    system(systemAccountId(systemAccounts.delivered, commodity), systemAccounts.delivered),
    system(systemAccountId(systemAccounts.distributed, commodity), systemAccounts.distributed),
    ...Object.values(runSystemAccounts).map((kind) =>
      system(runSystemAccountId(kind, commodity), kind),
    ),
  ];
}

/** Creates the accounts a run of the team needs for these commodities (idempotent). */
export async function ensureRunAccounts(
  trx: Executor,
  teamId: string,
  commodities: Iterable<string>,
  clock: Clock,
): Promise<void> {
  const inputs = [...new Set(commodities)].flatMap((commodity) =>
    runAccountInputs(teamId, commodity),
  );
  if (inputs.length === 0) return;
  const results = await createAccounts(trx, inputs, clock);
  const failed = results.find(
    (result) => result.result !== 'created' && result.result !== 'exists',
  );
  if (failed) throw new Error(`run account ${failed.id}: ${failed.result}`);
}

/** The run's areas for the gate: those it was planned for, else its stops' areas. */
async function runAreas(trx: Executor, run: RunRecord, stops: readonly StopRecord[]) {
  let pcodes = JSON.parse(run.area_pcodes_json) as string[];
  if (pcodes.length === 0) {
    const households = await findCandidatesByIds(
      trx,
      { kind: 'all' },
      stops.map((stop) => stop.household_id),
    );
    pcodes = [...new Set(households.map((row) => row.area_pcode))].sort();
  }
  const areas = await findAreas(trx, pcodes);
  return pcodes.flatMap((pcode) => {
    const area = areas.get(pcode);
    return area ? [{ pcode, path: area.path }] : [];
  });
}

/**
 * The gate's answer for a run: what every member of its team misses on its date (and, when
 * dispatched on that day, at the local time of dispatch for permits limited to hours).
 */
async function gate(
  trx: Executor,
  run: RunRecord,
  team: TeamDetail,
  stops: readonly StopRecord[],
  now: Date,
  timeZone: string,
) {
  const members = await memberCredentials(trx, team.member_ids);
  return missingForDispatch(
    members,
    team.required_trainings,
    run.date,
    await runAreas(trx, run, stops),
    localDay(now, timeZone) === run.date ? localTime(now, timeZone) : undefined,
  );
}

/**
 * Dispatches a planned run: 409 `dispatch-blocked` with `missing` per volunteer when the gate
 * refuses; 409 `run-expired` when its day (plus grace) is over; 409 `insufficient-stock` when
 * the source cannot supply what the reserved stops need. A stop whose entitlement another run
 * or an outlet took meanwhile is dropped (voided), not reserved twice. Dispatching a run
 * already dispatched answers its current state.
 */
export async function dispatchRun(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<RunView> {
  return writeTransaction(storage, async (trx) => {
    const run = await requireRun(trx, actor, id, true);
    if (run.status === 'dispatched' || run.status === 'in_progress') return getRun(trx, actor, id);
    if (run.status !== 'planned')
      throw new ConflictError('run-not-planned', 'Only a planned run can be dispatched.');
    const config = await loadFieldConfig(trx);
    const team = await getTeamDetail(trx, { ...actor, scope: { kind: 'all' } }, run.team_id);
    const stops = await findStops(trx, [id]);
    const missing = await gate(trx, run, team, stops, clock(), config.timeZone);
    if (missing.length > 0) {
      throw new ConflictError(
        'dispatch-blocked',
        'Some members may not be dispatched for this run.',
        { missing },
      );
    }
    const now = clock();
    const expiresAt = new Date(
      endOfLocalDay(run.date, config.timeZone).getTime() + config.reservationGraceHours * 3_600_000,
    );
    const timeoutSeconds = Math.ceil((expiresAt.getTime() - now.getTime()) / 1000);
    if (timeoutSeconds <= 0) throw new ConflictError('run-expired', "The run's day is over.");

    const commodities = new Set(
      stops.flatMap((stop) => parseItems(stop.items_json).map((item) => item.commodity)),
    );
    await ensureRunAccounts(trx, run.team_id, commodities, clock);
    const reserves: TransferInput[] = [];
    const stopOfTransfer = new Map<string, string>();
    for (const stop of stops) {
      const items = parseItems(stop.items_json);
      items.forEach((item, index) => {
        const transferId = reserveTransferId(stop.id, item.commodity);
        stopOfTransfer.set(transferId, stop.id);
        reserves.push({
          id: transferId,
          debit_account_id: entitlementAccountId(run.cycle_id, stop.household_id, item.commodity),
          credit_account_id: systemAccountId(systemAccounts.delivered, item.commodity),
          amount: item.quantity,
          commodity: item.commodity,
          code: runTransferCodes.reserve,
          flags: TransferFlags.pending | (index < items.length - 1 ? TransferFlags.linked : 0),
          timeout_seconds: timeoutSeconds,
          references: {
            run_id: run.id,
            stop_id: stop.id,
            household_id: stop.household_id,
            cycle_id: run.cycle_id,
          },
        });
      });
    }
    const context = { actor, clock };
    const results = await createTransfers(trx, reserves, context);
    const dropped = new Set<string>();
    for (const result of results) {
      if (!isSuccess(result.result)) dropped.add(stopOfTransfer.get(result.id) as string);
    }
    const reserved = stops.filter((stop) => !dropped.has(stop.id));
    const totals = new Map<string, number>();
    for (const stop of reserved) {
      for (const item of parseItems(stop.items_json))
        totals.set(item.commodity, (totals.get(item.commodity) ?? 0) + item.quantity);
    }
    const loads: TransferInput[] = [...totals].sort().map(([commodity, quantity]) => ({
      id: loadTransferId(run.id, commodity),
      debit_account_id: stockAccountId(run.source_service_point_id, commodity),
      credit_account_id: teamStockAccountId(run.team_id, commodity),
      amount: quantity,
      commodity,
      code: runTransferCodes.load,
      references: {
        run_id: run.id,
        team_id: run.team_id,
        service_point_id: run.source_service_point_id,
      },
    }));
    const loaded = await createTransfers(trx, loads, context);
    const short = loaded.findIndex((result) => !isSuccess(result.result));
    if (short >= 0) {
      const load = loads[short] as TransferInput;
      // Thrown inside the transaction: nothing of this dispatch is kept.
      throw new ConflictError(
        'insufficient-stock',
        `The source service point lacks ${load.commodity} for this run.`,
        {
          commodity: load.commodity,
          needed: load.amount,
        },
      );
    }
    const at = now.toISOString();
    await updateStops(
      trx,
      stops.map((stop) => ({
        id: stop.id,
        state: dropped.has(stop.id) ? 'voided' : 'reserved',
        updated_at: at,
      })),
    );
    await updateRun(trx, id, {
      status: 'dispatched',
      dispatched_at: at,
      reservation_expires_at: expiresAt.toISOString(),
    });
    await appendAuditEvent(
      trx,
      { actor, action: 'run.dispatch', entity: 'run', entityId: id, fields: ['status'] },
      clock,
    );
    const view = await getRun(trx, actor, id);
    return { ...view, dropped: [...dropped].sort() };
  });
}

function addItems(into: Map<string, number>, items: readonly Item[]): void {
  for (const item of items)
    into.set(item.commodity, (into.get(item.commodity) ?? 0) + item.quantity);
}

/**
 * Closes a run: voids the reservations of stops not delivered (failed or never visited), returns
 * the goods the team did not hand over to the source service point, records each member's
 * minutes, and answers the summary. Closing a closed run answers its summary again.
 */
export async function closeRun(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<RunSummaryView> {
  return writeTransaction(storage, async (trx) => {
    const run = await requireRun(trx, actor, id, true);
    if (run.status === 'closed') return JSON.parse(run.summary_json ?? 'null') as RunSummaryView;
    const stops = await findStops(trx, [id]);
    const now = clock();
    const at = now.toISOString();
    const context = { actor, clock };
    const failedByReason: Record<string, number> = {};
    for (const stop of stops) {
      if (stop.state === 'failed')
        failedByReason[stop.failed_reason ?? 'other'] =
          (failedByReason[stop.failed_reason ?? 'other'] ?? 0) + 1;
    }
    const open = stops.filter((stop) => stop.state === 'reserved' || stop.state === 'failed');
    let minutes = 0;
    const returned: Item[] = [];
    if (run.status !== 'planned') {
      const voids: TransferInput[] = open.flatMap((stop) =>
        parseItems(stop.items_json).map((item) => ({
          id: releaseTransferId(stop.id, item.commodity),
          pending_id: reserveTransferId(stop.id, item.commodity),
          flags: TransferFlags.voidPending,
          code: runTransferCodes.release,
          references: { run_id: run.id, stop_id: stop.id },
        })),
      );
      const voided = await createTransfers(trx, voids, context);
      for (const result of voided) {
        // A reservation past its expiry was released already; anything else is a broken invariant.
        if (!isSuccess(result.result) && result.result !== 'pending_transfer_expired') {
          throw new Error(`release ${result.id} failed: ${result.result}`);
        }
      }
      const commodities = new Set(
        stops.flatMap((stop) => parseItems(stop.items_json).map((item) => item.commodity)),
      );
      const loads = await getTransfers(
        trx,
        [...commodities].map((commodity) => loadTransferId(run.id, commodity)),
      );
      const given = new Map<string, number>();
      for (const goods of await findRunGoods(trx, run.id)) addItems(given, parseItems(goods));
      const teamAccounts = new Map(
        (
          await getAccounts(
            trx,
            loads.map((load) => teamStockAccountId(run.team_id, load.commodity)),
          )
        ).map((account) => [
          account.commodity,
          account.credits_posted - account.debits_posted - account.debits_pending,
        ]),
      );
      const returns: TransferInput[] = [];
      for (const load of loads.sort((a, b) => (a.commodity < b.commodity ? -1 : 1))) {
        const left = Math.min(
          load.amount - (given.get(load.commodity) ?? 0),
          teamAccounts.get(load.commodity) ?? 0,
        );
        if (left <= 0) continue;
        returned.push({ commodity: load.commodity, quantity: left });
        returns.push({
          id: returnTransferId(run.id, load.commodity),
          debit_account_id: teamStockAccountId(run.team_id, load.commodity),
          credit_account_id: stockAccountId(run.source_service_point_id, load.commodity),
          amount: left,
          commodity: load.commodity,
          code: runTransferCodes.returnGoods,
          references: {
            run_id: run.id,
            team_id: run.team_id,
            service_point_id: run.source_service_point_id,
          },
        });
      }
      const back = await createTransfers(trx, returns, context);
      const failed = back.find((result) => !isSuccess(result.result));
      if (failed) throw new Error(`return ${failed.id} failed: ${failed.result}`);
      if (run.dispatched_at !== null) {
        minutes = Math.max(
          0,
          Math.min(24 * 60, Math.round((now.getTime() - Date.parse(run.dispatched_at)) / 60_000)),
        );
        const team = await getTeamDetail(trx, { ...actor, scope: { kind: 'all' } }, run.team_id);
        await recordRunHours(trx, run.id, team.member_ids, minutes, clock);
      }
    }
    await updateStops(
      trx,
      open.map((stop) => ({ id: stop.id, state: 'voided', updated_at: at })),
    );
    const summary: RunSummaryView = {
      delivered: stops.filter((stop) => stop.state === 'delivered').length,
      partial: stops.filter((stop) => stop.state === 'partial').length,
      failed: Object.values(failedByReason).reduce((sum, count) => sum + count, 0),
      failed_by_reason: failedByReason,
      voided: open.length,
      returned,
      minutes,
    };
    await updateRun(trx, id, {
      status: 'closed',
      closed_at: at,
      summary_json: JSON.stringify(summary),
    });
    await appendAuditEvent(
      trx,
      { actor, action: 'run.close', entity: 'run', entityId: id, fields: ['status'] },
      clock,
    );
    return summary;
  });
}
