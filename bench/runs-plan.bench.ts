/**
 * `npm run bench -- runs-plan`: planning a day (`planDay`, the service behind
 * POST /api/v1/runs/plan-day) of 2,000 households across 20 teams on SQLite, end to end: the
 * eligibility reads, the solver on its worker thread within the configured budget (default
 * 5 s), and the writes. Target (issue 14): under 10 s. Then the planner's route length against
 * nearest neighbour alone, side by side on the same data: (a) the whole day, where nearest
 * neighbour fills each team in turn from the source until its capacity; (b) each planned run's
 * own stops, in nearest-neighbour order instead of the solver's. Households are demo-like:
 * clusters around eight community centres a few kilometres apart in Lattakia.
 * First, single-run planning and a stop's move, each timed cold (the routing thread started for
 * it, as every solve did before the thread was kept) and warm (the kept thread): `planRun` of
 * 50 households for two teams, then a stop moved between those runs and back.
 * AWN_BENCH_PLAN_HOUSEHOLDS and AWN_BENCH_PLAN_TEAMS change the size.
 */
import { loadavg } from 'node:os';
import { systemActor } from '../src/domain/actor.js';
import { householdDistanceMatrix, type LatLng } from '../src/domain/routing/distance.js';
import { buildFieldWorld } from '../src/modules/runs/runs.fixtures.js';
import { closeRoutingPool } from '../src/modules/routing/routing.worker.js';
import { moveStop, planDay, planRun } from '../src/modules/runs/runs.planning.js';
import { createTeam } from '../src/modules/teams/teams.service.js';
import { defaultFieldConfig } from '../src/modules/volunteers/volunteers.config.js';
import { formatCount, markdownTable, openBenchStorage, type Benchmark } from './harness.js';

const targetSeconds = 10;

/** Closed route length depot -> points in order -> depot over a matrix whose place 0 is the depot. */
function closedLength(values: Float64Array, size: number, places: readonly number[]): number {
  let length = 0;
  let previous = 0;
  for (const place of places) {
    length += values[previous * size + place]!;
    previous = place;
  }
  return length + values[previous * size]!;
}

/** Nearest neighbour from the depot over the given places (ties: lower place). */
function nearestNeighbour(
  values: Float64Array,
  size: number,
  places: readonly number[],
  limit = Infinity,
  taken = new Set<number>(),
): number[] {
  const route: number[] = [];
  let at = 0;
  while (route.length < limit) {
    let best = -1;
    for (const place of places) {
      if (taken.has(place)) continue;
      if (best < 0 || values[at * size + place]! < values[at * size + best]!) best = place;
    }
    if (best < 0) break;
    taken.add(best);
    route.push(best);
    at = best;
  }
  return route;
}

export const runsPlanBenchmark: Benchmark = {
  name: 'runs-plan',
  async run() {
    const households = Number(process.env.AWN_BENCH_PLAN_HOUSEHOLDS ?? 2000);
    const teamCount = Number(process.env.AWN_BENCH_PLAN_TEAMS ?? 20);
    const maxStops = Math.ceil((households / teamCount) * 1.05);
    const clock = () => new Date('2026-12-05T09:00:00.000Z');
    const storage = await openBenchStorage('sqlite');
    try {
      const world = await buildFieldWorld(storage, clock, {
        households,
        members: 2,
        maxStops,
      });
      // Demo-like places: eight community centres, households within ~400 m of theirs.
      const centres = Array.from({ length: 8 }, (_, k) => ({
        latitude: 35.5 + 0.02 * Math.sin(k * 1.7),
        longitude: 35.79 + 0.025 * Math.cos(k * 2.3),
      }));
      for (const [index, id] of world.households.entries()) {
        const centre = centres[index % centres.length]!;
        const angle = (index * 2.399963) % (2 * Math.PI);
        const radius = 0.004 * Math.sqrt(((index * 7919) % 1000) / 1000);
        await storage.db
          .updateTable('households')
          .set({
            latitude: centre.latitude + radius * Math.sin(angle),
            longitude: centre.longitude + radius * Math.cos(angle),
          })
          .where('id', '=', id)
          .execute();
      }
      // The source's community centre, which the routes start from and return to.
      await storage.db
        .updateTable('areas')
        .set({ latitude: 35.505, longitude: 35.795 })
        .where('pcode', '=', 'SY060000')
        .execute();
      const teamIds = [world.teamId];
      for (let index = 1; index < teamCount; index++) {
        const team = await createTeam(
          storage,
          systemActor,
          {
            name: `فريق ${index + 1}`,
            org_unit_id: world.orgUnitId,
            leader_id: world.volunteers[0]!,
            member_ids: world.volunteers.slice(1),
            area_pcodes: ['SY0600'],
            max_stops: maxStops,
          },
          clock,
        );
        teamIds.push(team.id);
      }
      await storage.db
        .updateTable('teams')
        .set({ max_stops: maxStops, capacity_json: '{}' })
        .execute();

      // Single runs and moves: cold (a new routing thread) against warm (the kept thread).
      const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
        const at = performance.now();
        const result = await work();
        return [result, (performance.now() - at) / 1000];
      };
      const single = (team: number) =>
        planRun(
          storage,
          systemActor,
          {
            cycle_id: world.cycleId,
            team_id: teamIds[team]!,
            date: '2026-12-05',
            source_service_point_id: world.servicePointId,
            household_ids: world.households.slice(team * 50, team * 50 + 50),
          },
          clock,
        );
      await closeRoutingPool();
      const [first, planColdSeconds] = await timed(() => single(0));
      const [second, planWarmSeconds] = await timed(() => single(1));
      const move = (from: string, to: string, stopId: string) =>
        moveStop(storage, systemActor, from, stopId, { to_run_id: to }, clock);
      const stopId = first.stops[0]!.id;
      const [, moveWarmSeconds] = await timed(() => move(first.id, second.id, stopId));
      await closeRoutingPool();
      const [, moveColdSeconds] = await timed(() => move(second.id, first.id, stopId));
      const singleLoad = loadavg()[0] ?? 0;

      const started = performance.now();
      const plan = await planDay(
        storage,
        systemActor,
        {
          cycle_id: world.cycleId,
          date: '2026-12-05',
          source_service_point_id: world.servicePointId,
          team_ids: teamIds,
          area_pcodes: ['SY0600'],
        },
        clock,
      );
      const seconds = (performance.now() - started) / 1000;
      const load = loadavg()[0] ?? 0;

      // Side by side on the same places, with the same distances the planner uses.
      const depot = plan.runs[0]!.depot as LatLng;
      const stops = plan.runs.flatMap((run) => run.stops);
      const points = [
        depot,
        ...stops.map((stop) => ({ latitude: stop.latitude!, longitude: stop.longitude! })),
      ];
      const matrix = householdDistanceMatrix(
        points.map((point) => ({ location: point, fallback: point })),
        defaultFieldConfig.detourFactor,
      );
      const { size, values } = matrix;
      const planner = plan.runs.reduce((sum, run) => sum + run.length_metres!, 0);
      // (a) Nearest neighbour alone for the whole day: each team in turn, until its stops are full.
      const all = stops.map((_, i) => i + 1);
      const taken = new Set<number>();
      let nearestDay = 0;
      for (let team = 0; team < teamCount; team++) {
        nearestDay += closedLength(
          values,
          size,
          nearestNeighbour(values, size, all, maxStops, taken),
        );
      }
      // (b) Each planned run's own stops in nearest-neighbour order.
      let nearestRuns = 0;
      let offset = 1;
      for (const run of plan.runs) {
        const places = run.stops.map((_, i) => offset + i);
        nearestRuns += closedLength(values, size, nearestNeighbour(values, size, places));
        offset += run.stops.length;
      }
      const km = (metres: number) => (metres / 1000).toFixed(1);
      return [
        '## Planning a day of runs (SQLite)',
        '',
        `\`planDay\` (POST /api/v1/runs/plan-day) over ${formatCount(plan.households)} eligible households (the rest are on the two single runs) and ${teamCount} teams of at most ${maxStops} stops, on SQLite, timed end to end (reads, the solver on its kept worker thread, started by the single runs below, with the default ${defaultFieldConfig.planDayTimeLimitMs / 1000} s budget, writes). Target: under ${targetSeconds} s. Load average at the end: ${load.toFixed(1)}. Route lengths are street-metre estimates (great-circle × ${defaultFieldConfig.detourFactor}), closed routes from the source and back.`,
        '',
        markdownTable(
          ['households', 'teams', 'runs', 'planned', 'unplanned', 'seconds', 'target met'],
          [
            [
              formatCount(plan.households),
              String(teamCount),
              String(plan.runs.length),
              formatCount(plan.planned),
              formatCount(plan.unplanned),
              seconds.toFixed(2),
              seconds < targetSeconds ? 'yes' : 'no',
            ],
          ],
        ),
        '',
        `Single runs and moves (before the day, same process; load average ${singleLoad.toFixed(1)}): cold is a routing thread started for the solve, as every solve did before the thread was kept; warm is the kept thread. \`planRun\` of 50 households (1 s order budget); \`moveStop\` re-orders both runs (two 1 s searches, now in one message).`,
        '',
        markdownTable(
          ['operation', 'cold thread, s', 'kept thread, s', 'saved, s'],
          [
            ['planRun (50 stops)', planColdSeconds, planWarmSeconds],
            ['moveStop (49 + 51 stops)', moveColdSeconds, moveWarmSeconds],
          ].map(([name, cold, warm]) => [
            String(name),
            (cold as number).toFixed(2),
            (warm as number).toFixed(2),
            ((cold as number) - (warm as number)).toFixed(2),
          ]),
        ),
        '',
        markdownTable(
          ['route length, km', 'planner', 'nearest neighbour', 'planner / nearest neighbour'],
          [
            [
              'the whole day (split and order)',
              km(planner),
              km(nearestDay),
              (planner / nearestDay).toFixed(3),
            ],
            [
              'each planned run, order only',
              km(planner),
              km(nearestRuns),
              (planner / nearestRuns).toFixed(3),
            ],
          ],
        ),
      ].join('\n');
    } finally {
      await storage.close();
    }
  },
};
