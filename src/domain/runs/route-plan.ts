/**
 * Run routes: households (where each is, what each is to receive) and teams (capacity per
 * commodity, maximum stops) as a routing problem for the solver of src/domain/routing, and
 * its answer back as runs. Distances are great-circle metres times a detour factor between
 * the household's location, else its community's centroid. A route starts and ends at the
 * source service point: the team brings back what it did not hand over.
 */
import {
  householdDistanceMatrix,
  type DistanceMatrix,
  type HouseholdPlace,
  type LatLng,
} from '../routing/distance.js';
import type { RoutingProblem, RoutingSolution } from '../routing/solve.js';

export interface RouteStop {
  place: HouseholdPlace;
  /** What the stop takes, per commodity in the plan's order. */
  demand: readonly number[];
}

export interface RouteTeam {
  /** Per commodity in the plan's order; Infinity where the team sets no limit. */
  capacity: readonly number[];
  maxStops: number;
}

export type RouteProblem = Omit<RoutingProblem, 'distance'> & { distance: DistanceMatrix };

/** The solver's problem: place 0 is the depot, place i + 1 is stop i; one vehicle per team. */
export function routeProblem(
  depot: LatLng,
  stops: readonly RouteStop[],
  teams: readonly RouteTeam[],
  detourFactor: number,
): RouteProblem {
  const places: HouseholdPlace[] = [
    { location: depot, fallback: depot },
    ...stops.map((stop) => stop.place),
  ];
  // Planar positions for the solver's sectors: longitude shrunk by the cosine of the latitude.
  const scale = Math.cos((depot.latitude * Math.PI) / 180);
  return {
    demands: stops.map((stop) => stop.demand),
    vehicles: teams.map((team) => ({ capacity: team.capacity, maxStops: team.maxStops })),
    distance: householdDistanceMatrix(places, detourFactor),
    coordinates: places.map((place) => {
      const point = place.location ?? place.fallback;
      return [point.longitude * scale, point.latitude] as const;
    }),
  };
}

/** Length of the closed route depot -> stops in order -> depot, in the matrix's unit. */
export function routeLength(matrix: DistanceMatrix, stops: readonly number[]): number {
  let length = 0;
  let previous = 0;
  for (const stop of stops) {
    length += matrix.values[previous * matrix.size + stop + 1]!;
    previous = stop + 1;
  }
  return length + matrix.values[previous * matrix.size]!;
}

/**
 * The stops the teams can carry between them, nearest to the depot first (ties by index;
 * `fromDepotMetres[i]` is stop i's distance):
 * a stop joins while the fleet's total capacity in every commodity and total stops allow and
 * at least one team could carry it alone. The rest are left out of the plan.
 */
export function selectStops(
  fromDepotMetres: readonly number[],
  stops: readonly RouteStop[],
  teams: readonly RouteTeam[],
): { chosen: number[]; left: number[] } {
  const commodities = teams[0]?.capacity.length ?? 0;
  const total = Array.from({ length: commodities }, (_, d) =>
    teams.reduce((sum, team) => sum + team.capacity[d]!, 0),
  );
  let stopsLeft = teams.reduce((sum, team) => sum + team.maxStops, 0);
  const byDistance = stops
    .map((_, index) => index)
    .sort((a, b) => fromDepotMetres[a]! - fromDepotMetres[b]! || a - b);
  const chosen: number[] = [];
  const left: number[] = [];
  for (const index of byDistance) {
    const demand = stops[index]!.demand;
    const carried = teams.some(
      (team) => team.maxStops >= 1 && demand.every((value, d) => value <= team.capacity[d]!),
    );
    if (stopsLeft >= 1 && carried && demand.every((value, d) => value <= total[d]!)) {
      chosen.push(index);
      stopsLeft--;
      demand.forEach((value, d) => (total[d] = total[d]! - value));
    } else left.push(index);
  }
  return { chosen: chosen.sort((a, b) => a - b), left };
}

/**
 * Each team's route from the solver's answer, within its capacity and maximum stops: where the
 * solver could not fit everything, the stops farthest from the depot come off an overloaded
 * route until it fits, and are answered as left out. Routes are in stop indexes of `problem`.
 */
export function fitRoutes(
  problem: RouteProblem,
  solution: RoutingSolution,
): { routes: number[][]; left: number[] } {
  const { distance: matrix } = problem;
  const routes = problem.vehicles.map(() => [] as number[]);
  const left: number[] = [];
  for (const route of solution.routes) {
    const vehicle = problem.vehicles[route.vehicle]!;
    const stops = [...route.stops];
    const load = [...route.load];
    const over = () =>
      stops.length > (vehicle.maxStops ?? Infinity) ||
      load.some((value, d) => value > vehicle.capacity[d]!);
    while (over()) {
      let farthest = 0;
      stops.forEach((stop, position) => {
        if (matrix.values[stop + 1]! > matrix.values[stops[farthest]! + 1]!) farthest = position;
      });
      const [removed] = stops.splice(farthest, 1);
      problem.demands[removed!]!.forEach((value, d) => (load[d] = load[d]! - value));
      left.push(removed!);
    }
    routes[route.vehicle] = stops;
  }
  return { routes, left: left.sort((a, b) => a - b) };
}
