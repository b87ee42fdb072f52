/**
 * Planning runs with the routing solver (src/domain/routing, on a worker thread):
 * - plan a run: one team's eligible households, nearest the source first up to its capacity,
 *   in the solver's order;
 * - plan a day: the eligible households of the chosen areas split across several teams, each
 *   run within its team's capacity (per commodity, and maximum stops); what fits nowhere is
 *   reported;
 * - move a stop between two planned runs of the same cycle and day, re-ordering both;
 * - keep an order chosen elsewhere (the run page's preview) for a planned run.
 * Each reads a snapshot, searches outside any transaction (so no write waits on the solver),
 * then writes in one transaction after checking that what it read still holds.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { entitlementAccountId } from '../../domain/entitlement/accounts.js';
import {
  greatCircleMetres,
  type HouseholdPlace,
  type LatLng,
} from '../../domain/routing/distance.js';
import {
  fitRoutes,
  routeLength,
  routeProblem,
  selectStops,
  type RouteStop,
  type RouteTeam,
} from '../../domain/runs/route-plan.js';
import { parseDay } from '../../domain/runs/calendar.js';
import type { Clock } from '../../shared/clock.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { getCycle } from '../cycles/cycles.service.js';
import { getAccounts } from '../ledger/ledger.service.js';
import { getProgramme } from '../programmes/programmes.service.js';
import { solveAllInWorker, solveRoutingInWorker } from '../routing/routing.worker.js';
import { getServicePoint } from '../service-points/service-points.service.js';
import { getTeamDetail, type TeamDetail } from '../teams/teams.service.js';
import { loadFieldConfig, type FieldConfig } from '../volunteers/volunteers.config.js';
import { localToday } from '../volunteers/volunteers.service.js';
import {
  findCandidatesByIds,
  findCandidatesInAreas,
  findHouseholdsOnOpenRuns,
  findStops,
  insertRun,
  lockRuns,
  moveStops,
  type Candidate,
  type RunRecord,
  type StopRecord,
} from './runs.repository.js';
import type {
  MoveStopInput,
  PlanDayInput,
  RunOrderInput,
  PlanDayView,
  PlanRunInput,
  RunView,
} from './runs.schema.js';
import { parseItems, presentRunWithStops, requireRun, type Item } from './runs.service.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** A household that may join a run: where it is and what it may still receive. */
interface Eligible {
  id: string;
  place: HouseholdPlace;
  items: Item[];
}

/** The households' free entitlement per commodity (entitlement left, not reserved). */
async function freeEntitlements(
  db: Executor,
  cycleId: string,
  householdIds: readonly string[],
  commodities: readonly string[],
): Promise<Map<string, Item[]>> {
  const free = new Map<string, Item[]>();
  for (let start = 0; start < householdIds.length; start += 250) {
    const chunk = householdIds.slice(start, start + 250);
    const ids = chunk.flatMap((householdId) =>
      commodities.map((commodity) => entitlementAccountId(cycleId, householdId, commodity)),
    );
    for (const account of await getAccounts(db, ids)) {
      const available = account.credits_posted - account.debits_posted - account.debits_pending;
      if (available <= 0) continue;
      const items = free.get(account.owner_id) ?? [];
      items.push({ commodity: account.commodity, quantity: available });
      free.set(account.owner_id, items);
    }
  }
  for (const items of free.values()) items.sort((a, b) => (a.commodity < b.commodity ? -1 : 1));
  return free;
}

/**
 * Of these households, those not on another open run of the cycle and with entitlement left,
 * with what each may receive; candidates keep their order. Where the source's area has no
 * centroid, the plan's depot becomes the middle of these households.
 */
async function eligibleOf(
  db: Executor,
  scope: PlanScope,
  candidates: readonly Candidate[],
): Promise<Eligible[]> {
  const ids = candidates.map((row) => row.id);
  const held = await findHouseholdsOnOpenRuns(db, scope.cycle.id, ids);
  const free = await freeEntitlements(
    db,
    scope.cycle.id,
    ids.filter((id) => !held.has(id)),
    scope.commodities,
  );
  const found = candidates.flatMap((row) => {
    const items = free.get(row.id);
    if (!items) return [];
    const location =
      row.latitude !== null && row.longitude !== null
        ? { latitude: row.latitude, longitude: row.longitude }
        : null;
    const centre =
      row.area_latitude !== null && row.area_longitude !== null
        ? { latitude: row.area_latitude, longitude: row.area_longitude }
        : null;
    return [{ id: row.id, location, centre, items }];
  });
  if (!scope.depotKnown) {
    const points = found.flatMap((row) => row.location ?? row.centre ?? []);
    if (points.length > 0) {
      scope.depot = {
        latitude: points.reduce((sum, point) => sum + point.latitude, 0) / points.length,
        longitude: points.reduce((sum, point) => sum + point.longitude, 0) / points.length,
      };
    }
  }
  return found.map((row) => ({
    id: row.id,
    place: { location: row.location, fallback: row.centre ?? scope.depot },
    items: row.items,
  }));
}

/** What the plan is for, validated; issues name the fields of the request. */
interface PlanScope {
  cycle: Awaited<ReturnType<typeof getCycle>>;
  date: string;
  servicePointId: string;
  teams: TeamDetail[];
  areaPcodes: string[];
  areaPaths: string[];
  /** Where routes start and end: the source's area centroid (else see eligibleOf). */
  depot: LatLng;
  depotKnown: boolean;
  commodities: string[];
  config: FieldConfig;
}

async function planScope(
  db: Executor,
  actor: Actor,
  input: {
    cycle_id: string;
    date: string;
    source_service_point_id: string;
    area_pcodes?: readonly string[] | undefined;
  },
  teamIds: { path: string; id: string }[],
  clock: Clock,
  issues: FieldIssue[] = [],
): Promise<PlanScope> {
  const config = await loadFieldConfig(db);
  const found: FieldIssue[] = [];
  const date = parseDay(input.date);
  if (date === null) found.push({ path: '/date', message: 'is not a date' });
  else if (date < localToday(config, clock))
    found.push({ path: '/date', message: 'is in the past' });
  const cycle = await getCycle(db, actor, input.cycle_id).catch(() => null);
  if (!cycle) found.push({ path: '/cycle_id', message: 'is not a known cycle' });
  else if (date !== null && (date < cycle.starts_on || date > cycle.ends_on)) {
    found.push({ path: '/date', message: 'is outside the cycle' });
  }
  const teams: TeamDetail[] = [];
  for (const { path, id } of teamIds) {
    const team = await getTeamDetail(db, actor, id).catch(() => null);
    if (team) teams.push(team);
    else found.push({ path, message: 'is not a known team' });
  }
  const servicePoint = await getServicePoint(db, actor, input.source_service_point_id).catch(
    () => null,
  );
  if (!servicePoint)
    found.push({ path: '/source_service_point_id', message: 'is not a known service point' });
  const areaPcodes = [...(input.area_pcodes ?? [])];
  const areas = await findAreas(db, [
    ...areaPcodes,
    ...(servicePoint ? [servicePoint.area_pcode] : []),
  ]);
  areaPcodes.forEach((pcode, index) => {
    const area = areas.get(pcode);
    if (!area || !areaInScope(actor.scope, area.path)) {
      found.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
    }
  });
  found.push(...issues);
  if (found.length > 0 || !cycle || !servicePoint || date === null)
    throw new ValidationError(found);
  if (cycle.status !== 'open') throw new ConflictError('cycle-not-open', 'The cycle is not open.');
  const spArea = areas.get(servicePoint.area_pcode);
  const depotKnown = spArea?.latitude != null && spArea.longitude != null;
  const depot = depotKnown
    ? { latitude: spArea.latitude!, longitude: spArea.longitude! }
    : { latitude: 0, longitude: 0 };
  const programme = await getProgramme(db, cycle.programme_id);
  return {
    cycle,
    date,
    servicePointId: servicePoint.id,
    teams,
    areaPcodes,
    areaPaths: areaPcodes.map((pcode) => areas.get(pcode)?.path ?? ''),
    depot,
    depotKnown,
    commodities: [...new Set(programme.rules.items.map((item) => item.commodity))].sort(),
    config,
  };
}

/** A team as the solver sees it: capacity per commodity of the plan (unlisted: unlimited). */
function routeTeam(team: TeamDetail, commodities: readonly string[], maxStops?: number): RouteTeam {
  return {
    capacity: commodities.map((commodity) => team.capacity[commodity] ?? Infinity),
    maxStops: Math.min(maxStops ?? team.max_stops, team.max_stops),
  };
}

function demandOf(items: readonly Item[], commodities: readonly string[]): number[] {
  return commodities.map(
    (commodity) => items.find((item) => item.commodity === commodity)?.quantity ?? 0,
  );
}

/** The teams' routes over the households, searched on a worker thread; and those left out. */
async function routeHouseholds(
  scope: PlanScope,
  households: readonly Eligible[],
  teams: readonly RouteTeam[],
  timeLimitMs: number,
  seed: number,
): Promise<{ routes: Eligible[][]; left: Eligible[] }> {
  const stops: RouteStop[] = households.map((household) => ({
    place: household.place,
    demand: demandOf(household.items, scope.commodities),
  }));
  const { chosen, left } = selectStops(
    stops.map((stop) => greatCircleMetres(scope.depot, stop.place.location ?? stop.place.fallback)),
    stops,
    teams,
  );
  if (chosen.length === 0)
    return { routes: teams.map(() => []), left: left.map((i) => households[i]!) };
  const problem = routeProblem(
    scope.depot,
    chosen.map((index) => stops[index]!),
    teams,
    scope.config.detourFactor,
  );
  const solution = await solveRoutingInWorker(problem, {
    timeLimitMs,
    iterationLimit: scope.config.routeIterations,
    seed,
  });
  const fitted = fitRoutes(problem, solution);
  return {
    routes: fitted.routes.map((route) => route.map((index) => households[chosen[index]!]!)),
    left: [...left, ...fitted.left.map((index) => chosen[index]!)]
      .sort((a, b) => a - b)
      .map((index) => households[index]!),
  };
}

/** Closed route length depot -> places -> depot in metres, as the solver measured it. */
function lengthMetres(scope: { depot: LatLng; config: FieldConfig }, places: HouseholdPlace[]) {
  const problem = routeProblem(
    scope.depot,
    places.map((place) => ({ place, demand: [] })),
    [],
    scope.config.detourFactor,
  );
  return Math.round(
    routeLength(
      problem.distance,
      places.map((_, index) => index),
    ),
  );
}

/**
 * Writes the routes as planned runs after checking, under the write lock, that each household
 * is still free with the same entitlement (one that changed meanwhile is left out).
 */
async function writeRuns(
  trx: Executor,
  actor: Actor,
  scope: PlanScope,
  routes: { team: TeamDetail; households: Eligible[] }[],
  clock: Clock,
  fields: string[],
): Promise<{ runs: RunView[]; left: Eligible[] }> {
  const cycle = await getCycle(trx, actor, scope.cycle.id);
  if (cycle.status !== 'open') throw new ConflictError('cycle-not-open', 'The cycle is not open.');
  const all = routes.flatMap((route) => route.households);
  const held = await findHouseholdsOnOpenRuns(
    trx,
    cycle.id,
    all.map((household) => household.id),
  );
  const free = await freeEntitlements(
    trx,
    cycle.id,
    all.map((household) => household.id),
    scope.commodities,
  );
  const same = (household: Eligible) =>
    !held.has(household.id) &&
    JSON.stringify(free.get(household.id) ?? []) === JSON.stringify(household.items);
  const runs: RunView[] = [];
  const left = all.filter((household) => !same(household));
  const now = clock().toISOString();
  for (const route of routes) {
    const households = route.households.filter(same);
    if (households.length === 0) continue;
    const run: RunRecord = {
      id: randomUUID(),
      cycle_id: cycle.id,
      team_id: route.team.id,
      date: scope.date,
      source_service_point_id: scope.servicePointId,
      area_pcodes_json: JSON.stringify([...scope.areaPcodes].sort()),
      status: 'planned',
      reservation_expires_at: null,
      summary_json: null,
      created_by: actor.userId,
      created_at: now,
      dispatched_at: null,
      closed_at: null,
      length_metres: lengthMetres(
        scope,
        households.map((household) => household.place),
      ),
      depot_latitude: scope.depot.latitude,
      depot_longitude: scope.depot.longitude,
    };
    const stops: StopRecord[] = households.map((household, position) => {
      const point = household.place.location ?? household.place.fallback;
      return {
        id: randomUUID(),
        run_id: run.id,
        household_id: household.id,
        cycle_id: cycle.id,
        sequence: position + 1,
        items_json: JSON.stringify(household.items),
        state: 'planned',
        failed_reason: null,
        delivered_json: null,
        op_id: null,
        updated_at: now,
        latitude: point.latitude,
        longitude: point.longitude,
      };
    });
    await insertRun(trx, run, stops);
    await appendAuditEvent(
      trx,
      { actor, action: 'run.plan', entity: 'run', entityId: run.id, fields },
      clock,
    );
    runs.push(presentRunWithStops(run, stops));
  }
  return { runs, left };
}

/**
 * Plans a run (status planned): the eligible households nearest the source up to the team's
 * capacity, in the solver's order. Refuses a cycle that is not open, a date outside it or
 * past, an unknown team or service point, and answers 409 `nothing-to-plan` when no eligible
 * household with free entitlement is left.
 */
export async function planRun(
  storage: WriteStorage,
  actor: Actor,
  input: PlanRunInput,
  clock: Clock,
): Promise<RunView> {
  const scope = await planScope(
    storage.db,
    actor,
    input,
    [{ path: '/team_id', id: input.team_id }],
    clock,
    input.area_pcodes === undefined && input.household_ids === undefined
      ? [{ path: '/area_pcodes', message: 'area_pcodes or household_ids is required' }]
      : [],
  );
  let candidates: Candidate[];
  if (input.household_ids !== undefined) {
    const found = await findCandidatesByIds(storage.db, actor.scope, input.household_ids);
    const byId = new Map(found.map((row) => [row.id, row]));
    const unknown: FieldIssue[] = [];
    input.household_ids.forEach((id, index) => {
      const row = byId.get(id);
      if (!row)
        unknown.push({ path: `/household_ids/${index}`, message: 'is not a known household' });
      else if (row.status !== 'active')
        unknown.push({ path: `/household_ids/${index}`, message: 'is not active' });
    });
    if (unknown.length > 0) throw new ValidationError(unknown);
    candidates = input.household_ids.map((id) => byId.get(id) as Candidate);
    if (scope.areaPaths.length > 0) {
      candidates = candidates.filter((row) =>
        scope.areaPaths.some((path) => row.area_path.startsWith(path)),
      );
    }
  } else {
    candidates = await findCandidatesInAreas(storage.db, actor.scope, scope.areaPaths);
  }
  const team = scope.teams[0]!;
  const households = await eligibleOf(storage.db, scope, candidates);
  const { routes } = await routeHouseholds(
    scope,
    households,
    [routeTeam(team, scope.commodities, input.max_stops)],
    scope.config.orderTimeLimitMs,
    1,
  );
  const [run] = (
    await writeTransaction(storage, (trx) =>
      writeRuns(trx, actor, scope, [{ team, households: routes[0]! }], clock, Object.keys(input)),
    )
  ).runs;
  if (!run) {
    throw new ConflictError(
      'nothing-to-plan',
      'No eligible household with entitlement left is free in these areas.',
    );
  }
  return run;
}

/**
 * Plans a day: splits the eligible households of the areas (default: the teams' areas) into
 * one run per team within each team's capacity, ordered by the solver within the configured
 * time; answers the runs (a team given no stop gets no run) and the households left out.
 * 409 `nothing-to-plan` when no household is eligible at all.
 */
export async function planDay(
  storage: WriteStorage,
  actor: Actor,
  input: PlanDayInput,
  clock: Clock,
): Promise<PlanDayView> {
  const scope = await planScope(
    storage.db,
    actor,
    input,
    input.team_ids.map((id, index) => ({ path: `/team_ids/${index}`, id })),
    clock,
  );
  const areaPaths =
    scope.areaPaths.length > 0
      ? scope.areaPaths
      : [...new Set(scope.teams.flatMap((team) => team.areas.map((area) => area.path)))];
  const households = await eligibleOf(
    storage.db,
    scope,
    await findCandidatesInAreas(storage.db, actor.scope, areaPaths),
  );
  if (households.length === 0) {
    throw new ConflictError(
      'nothing-to-plan',
      'No eligible household with entitlement left is free in these areas.',
    );
  }
  const routed = await routeHouseholds(
    scope,
    households,
    scope.teams.map((team) => routeTeam(team, scope.commodities)),
    scope.config.planDayTimeLimitMs,
    input.seed ?? 1,
  );
  const written = await writeTransaction(storage, (trx) =>
    writeRuns(
      trx,
      actor,
      scope,
      scope.teams.map((team, index) => ({ team, households: routed.routes[index]! })),
      clock,
      Object.keys(input),
    ),
  );
  const left = [...routed.left, ...written.left].map((household) => household.id).sort();
  return {
    runs: written.runs,
    households: households.length,
    planned: households.length - left.length,
    unplanned: left.length,
    unplanned_household_ids: left,
  };
}

/** The stops' places and the run's depot, as stored at planning. */
function placesOf(run: RunRecord) {
  const depot =
    run.depot_latitude !== null && run.depot_longitude !== null
      ? { latitude: run.depot_latitude, longitude: run.depot_longitude }
      : { latitude: 0, longitude: 0 };
  const place = (stop: StopRecord): HouseholdPlace => ({
    location:
      stop.latitude !== null && stop.longitude !== null
        ? { latitude: stop.latitude, longitude: stop.longitude }
        : null,
    fallback: depot,
  });
  return { depot, place };
}

type Ordered = { stops: StopRecord[]; length_metres: number };

/**
 * Each run's stops in the solver's order for one team without limits (they fit already), all
 * searched in one message to the routing thread.
 */
async function orderStops(
  runs: { run: RunRecord; stops: readonly StopRecord[] }[],
  config: FieldConfig,
): Promise<Ordered[]> {
  const problems = runs.map(({ run, stops }) => {
    const { depot, place } = placesOf(run);
    return routeProblem(
      depot,
      stops.map((stop) => ({ place: place(stop), demand: [] })),
      [{ capacity: [], maxStops: Infinity }],
      config.detourFactor,
    );
  });
  const options = {
    timeLimitMs: config.orderTimeLimitMs,
    iterationLimit: config.routeIterations,
    seed: 1,
  };
  const searched = runs.flatMap(({ stops }, index) =>
    stops.length > 0 ? [{ problem: problems[index]!, options }] : [],
  );
  const solutions = await solveAllInWorker(searched);
  let next = 0;
  return runs.map(({ stops }, index) => {
    if (stops.length === 0) return { stops: [], length_metres: 0 };
    const order = solutions[next++]!.routes[0]?.stops ?? [];
    return {
      stops: order.map((at) => stops[at]!),
      length_metres: Math.round(routeLength(problems[index]!.distance, order)),
    };
  });
}

function loadOf(stops: readonly StopRecord[]): Map<string, number> {
  const load = new Map<string, number>();
  for (const stop of stops)
    for (const item of parseItems(stop.items_json))
      load.set(item.commodity, (load.get(item.commodity) ?? 0) + item.quantity);
  return load;
}

/** The move's rules, checked on what was read (and again under the write lock). */
function checkMove(
  from: RunRecord,
  to: RunRecord,
  fromStops: readonly StopRecord[],
  toStops: readonly StopRecord[],
  stopId: string,
  team: TeamDetail,
): StopRecord {
  const stop = fromStops.find((candidate) => candidate.id === stopId);
  if (!stop) throw new NotFoundError('stop');
  if (from.status !== 'planned' || to.status !== 'planned')
    throw new ConflictError('run-not-planned', 'Stops move only between planned runs.');
  if (from.cycle_id !== to.cycle_id || from.date !== to.date)
    throw new ConflictError(
      'runs-not-same-day',
      'Stops move only between runs of the same cycle and date.',
    );
  if (toStops.length + 1 > team.max_stops)
    throw new ConflictError('team-capacity-exceeded', 'The team would have too many stops.', {
      max_stops: team.max_stops,
    });
  const load = loadOf([...toStops, stop]);
  for (const [commodity, quantity] of [...load].sort()) {
    const limit = team.capacity[commodity];
    if (limit !== undefined && quantity > limit)
      throw new ConflictError(
        'team-capacity-exceeded',
        `The team cannot carry more ${commodity}.`,
        {
          commodity,
          capacity: limit,
          needed: quantity,
        },
      );
  }
  return stop;
}

/**
 * Moves a stop of a planned run to another planned run of the same cycle and date, within the
 * target team's capacity (409 `team-capacity-exceeded`), and re-orders both runs. 409
 * `run-not-planned` once either run is dispatched or closed, `runs-not-same-day` across cycles
 * or dates, `run-changed` when either run changed while the new orders were searched.
 */
export async function moveStop(
  storage: WriteStorage,
  actor: Actor,
  runId: string,
  stopId: string,
  input: MoveStopInput,
  clock: Clock,
): Promise<{ from: RunView; to: RunView }> {
  if (input.to_run_id === runId)
    throw new ValidationError([{ path: '/to_run_id', message: 'is the run the stop is on' }]);
  const read = async (db: Executor) => {
    const from = await requireRun(db, actor, runId);
    const to = await requireRun(db, actor, input.to_run_id).catch((error: unknown) => {
      if (error instanceof NotFoundError)
        throw new ValidationError([{ path: '/to_run_id', message: 'is not a known run' }]);
      throw error;
    });
    const fromStops = await findStops(db, [from.id]);
    const toStops = await findStops(db, [to.id]);
    const team = await getTeamDetail(db, { ...actor, scope: { kind: 'all' } }, to.team_id);
    const stop = checkMove(from, to, fromStops, toStops, stopId, team);
    return { from, to, fromStops, toStops, stop };
  };
  const before = await read(storage.db);
  const config = await loadFieldConfig(storage.db);
  const [fromOrder, toOrder] = (await orderStops(
    [
      { run: before.from, stops: before.fromStops.filter((stop) => stop.id !== stopId) },
      { run: before.to, stops: [...before.toStops, before.stop] },
    ],
    config,
  )) as [Ordered, Ordered];
  return writeTransaction(storage, async (trx) => {
    await lockRuns(trx, [runId, input.to_run_id]);
    const now = await read(trx);
    const ids = (stops: readonly StopRecord[]) =>
      stops
        .map((stop) => stop.id)
        .sort()
        .join();
    if (ids(now.fromStops) !== ids(before.fromStops) || ids(now.toStops) !== ids(before.toStops))
      throw new ConflictError('run-changed', 'A run changed meanwhile; try again.');
    const at = clock().toISOString();
    await moveStops(trx, runId, fromOrder.stops, fromOrder.length_metres, at);
    await moveStops(trx, input.to_run_id, toOrder.stops, toOrder.length_metres, at);
    await appendAuditEvent(
      trx,
      { actor, action: 'run.move-stop', entity: 'run_stop', entityId: stopId, fields: ['run_id'] },
      clock,
    );
    const present = async (id: string) =>
      presentRunWithStops((await requireRun(trx, actor, id))!, await findStops(trx, [id]));
    return { from: await present(runId), to: await present(input.to_run_id) };
  });
}

/**
 * Keeps the given order of a planned run's stops (e.g. the run page's preview) and stores the
 * route's length as the planner measures it. 409 `run-not-planned` once dispatched or closed;
 * 400 on /stop_ids unless it lists each of the run's stops exactly once.
 */
export async function setRunOrder(
  storage: WriteStorage,
  actor: Actor,
  runId: string,
  input: RunOrderInput,
  clock: Clock,
): Promise<RunView> {
  return writeTransaction(storage, async (trx) => {
    await lockRuns(trx, [runId]);
    const run = await requireRun(trx, actor, runId);
    if (run.status !== 'planned')
      throw new ConflictError('run-not-planned', 'Only a planned run can be re-ordered.');
    const stops = new Map((await findStops(trx, [runId])).map((stop) => [stop.id, stop]));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    input.stop_ids.forEach((id, index) => {
      if (!stops.has(id))
        issues.push({ path: `/stop_ids/${index}`, message: 'is not a stop of this run' });
      else if (seen.has(id)) issues.push({ path: `/stop_ids/${index}`, message: 'is repeated' });
      seen.add(id);
    });
    if (issues.length === 0 && seen.size !== stops.size)
      issues.push({
        path: '/stop_ids',
        message: `must list each of the run's ${stops.size} stops`,
      });
    if (issues.length > 0) throw new ValidationError(issues);
    const ordered = input.stop_ids.map((id) => stops.get(id)!);
    const { depot, place } = placesOf(run);
    const config = await loadFieldConfig(trx);
    const length = lengthMetres({ depot, config }, ordered.map(place));
    await moveStops(trx, runId, ordered, length, clock().toISOString());
    await appendAuditEvent(
      trx,
      { actor, action: 'run.order', entity: 'run', entityId: runId, fields: ['stop_ids'] },
      clock,
    );
    return {
      ...presentRunWithStops(await requireRun(trx, actor, runId), await findStops(trx, [runId])),
      detour_factor: config.detourFactor,
    };
  });
}
