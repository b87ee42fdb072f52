import { describe, expect, it } from 'vitest';
import { greatCircleMetres } from '../routing/distance.js';
import { solveRouting, type RoutingSolution } from '../routing/solve.js';
import { fitRoutes, routeLength, routeProblem, selectStops, type RouteStop } from './route-plan.js';

const depot = { latitude: 35.5, longitude: 35.8 };

/** Deterministic households around the depot, some without a location (at their fallback). */
function households(count: number, seed: number): RouteStop[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, index) => {
    const point = { latitude: 35.5 + (next() - 0.5) / 50, longitude: 35.8 + (next() - 0.5) / 50 };
    return {
      place:
        index % 7 === 0
          ? { location: null, fallback: point }
          : { location: point, fallback: depot },
      demand: [1 + Math.floor(next() * 3), Math.floor(next() * 2000)],
    };
  });
}

describe('run routes', () => {
  it('selects the nearest stops the fleet can carry, leaving out what fits no team', () => {
    const stops = households(40, 3);
    stops.push({ place: { location: depot, fallback: depot }, demand: [50, 0] });
    const teams = [
      { capacity: [20, Infinity], maxStops: 8 },
      { capacity: [10, 5000], maxStops: 30 },
    ];
    const fromDepot = stops.map((stop) =>
      greatCircleMetres(depot, stop.place.location ?? stop.place.fallback),
    );
    const { chosen, left } = selectStops(fromDepot, stops, teams);
    expect([...chosen, ...left].sort((a, b) => a - b)).toEqual(stops.map((_, i) => i));
    expect(left).toContain(40);
    const load = chosen.reduce((sum, index) => sum + stops[index]!.demand[0]!, 0);
    expect(load).toBeLessThanOrEqual(30);
    expect(chosen.length).toBeLessThanOrEqual(38);
    // Nearest first: nothing left out (but the oversized stop) is nearer than a chosen one.
    const farthestChosen = Math.max(...chosen.map((index) => fromDepot[index]!));
    for (const index of left.filter((i) => i !== 40))
      expect(fromDepot[index]!).toBeGreaterThanOrEqual(farthestChosen);
  });

  it('splits households across teams within each one’s capacity, every stop once, the same for a seed', () => {
    for (const seed of [1, 2, 3]) {
      const stops = households(60, seed);
      const teams = [
        { capacity: [40, 30000], maxStops: 25 },
        { capacity: [60, Infinity], maxStops: 20 },
        { capacity: [30, 20000], maxStops: 30 },
      ];
      const problem = routeProblem(depot, stops, teams, 1.3);
      const solution = solveRouting(problem, { iterationLimit: 40, seed });
      const { routes, left } = fitRoutes(problem, solution);
      const seen = [...routes.flat(), ...left].sort((a, b) => a - b);
      expect(seen).toEqual(stops.map((_, i) => i));
      routes.forEach((route, team) => {
        expect(route.length).toBeLessThanOrEqual(teams[team]!.maxStops);
        for (const d of [0, 1]) {
          const load = route.reduce((sum, stop) => sum + stops[stop]!.demand[d]!, 0);
          expect(load).toBeLessThanOrEqual(teams[team]!.capacity[d]!);
        }
      });
      const again = fitRoutes(problem, solveRouting(problem, { iterationLimit: 40, seed }));
      expect(again.routes).toEqual(routes);
      const total = routes.reduce((sum, route) => sum + routeLength(problem.distance, route), 0);
      // Nothing trimmed: the routes are the solver's, at its cost.
      if (left.length === 0) expect(total).toBeCloseTo(solution.cost, 6);
    }
  });

  it('takes the farthest stops off a route the solver could not fit', () => {
    const stops = households(6, 9);
    const problem = routeProblem(
      depot,
      stops,
      [{ capacity: [Infinity, Infinity], maxStops: 4 }],
      1.3,
    );
    const solution: RoutingSolution = {
      ...solveRouting(problem, { iterationLimit: 5 }),
      feasible: false,
    };
    solution.routes = [
      {
        vehicle: 0,
        stops: [0, 1, 2, 3, 4, 5],
        distance: 0,
        load: [0, 1].map((d) => stops.reduce((sum, stop) => sum + stop.demand[d]!, 0)),
      },
    ];
    const { routes, left } = fitRoutes(problem, solution);
    expect(routes[0]).toHaveLength(4);
    const fromDepot = (i: number) => problem.distance.values[i + 1]!;
    const kept = Math.max(...routes[0]!.map(fromDepot));
    for (const index of left) expect(fromDepot(index)).toBeGreaterThanOrEqual(kept);
  });
});
