/**
 * The routing solver's public API: capacitated vehicle routing with a demand vector per stop
 * (several commodities), vehicles of their own capacities and stop limits, and any distances.
 * Pure and synchronous: call it from a worker (src/modules/routing/routing.worker.ts on the
 * server, a Web Worker in the browser), never on an event loop that serves people.
 *
 * ```ts
 * const solution = solveRouting(
 *   {
 *     demands: [[2, 1], [1, 0], [3, 2]],          // stop i takes demands[i] (bread, sugar)
 *     vehicles: [{ capacity: [4, 2], maxStops: 20 }, { capacity: [6, 3] }],   // one per team
 *     distance: matrix,                          // place 0 = depot, place i + 1 = stop i
 *   },
 *   { timeLimitMs: 2000, seed: 1 },
 * );
 * solution.routes; // [{ vehicle: 0, stops: [2, 0], distance, load }, ...], cost, feasible
 * ```
 * Guarantees: every stop is in exactly one route; a route of vehicle v never exceeds v's
 * capacity in any commodity nor its maxStops when `feasible` is true (when no such solution
 * was found, e.g. the fleet is too small, it answers the least overloaded one with
 * `feasible: false`); `cost` is the sum of route distances; the time limit is kept to within
 * a few local-search steps, once the construction (neighbour lists, savings) has run whole.
 * With `iterationLimit` and no time limit the result depends only on the problem and the
 * seed; under a time limit it also depends on the machine's speed.
 */
import type { DistanceMatrix } from './distance.js';
import { hybridGeneticSearch, type GeneticStatistics } from './genetic.js';
import { buildInstance, excessShare } from './instance.js';

export interface RoutingVehicle {
  /** Capacity per commodity, in the order of each stop's demand (Infinity: unlimited). */
  capacity: readonly number[];
  /** At most this many stops on one route of this vehicle (default: no limit). */
  maxStops?: number;
  /** How many such vehicles (default 1; Infinity: as many as needed). */
  count?: number;
}

export interface RoutingProblem {
  /** Demand vector of each stop, one entry per commodity (non-negative). */
  demands: readonly (readonly number[])[];
  vehicles: readonly RoutingVehicle[];
  /** Between places: 0 is the depot, i + 1 is stop i. A matrix over demands.length + 1 places, or a function. */
  distance: DistanceMatrix | ((from: number, to: number) => number);
  /**
   * Optional planar positions of the places (depot first), e.g. [longitude, latitude]: with
   * them the search also exchanges stops between routes whose directions from the depot
   * overlap (SWAP*). Distances still come from `distance` alone.
   */
  coordinates?: readonly (readonly [number, number])[];
}

export interface RoutingOptions {
  /** Wall-clock budget (default 1000 ms, or none when only iterationLimit is given). */
  timeLimitMs?: number;
  /** Genetic iterations (offspring) after the initial population; makes runs reproducible. */
  iterationLimit?: number;
  seed?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Neighbours per stop examined by the local search (default 20). */
  granular?: number;
}

export interface RoutingRoute {
  /** Index into problem.vehicles. */
  vehicle: number;
  /** Stop indexes (into problem.demands) in visiting order; the depot is implied at both ends. */
  stops: number[];
  distance: number;
  /** Load per commodity. */
  load: number[];
}

export interface RoutingSolution {
  /** Non-empty routes only. */
  routes: RoutingRoute[];
  cost: number;
  feasible: boolean;
  statistics: GeneticStatistics;
}

export class RoutingInputError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'RoutingInputError';
  }
}

/** Solves the problem; see the module comment for what the answer guarantees. */
export function solveRouting(
  problem: RoutingProblem,
  options: RoutingOptions = {},
): RoutingSolution {
  const stops = problem.demands.length;
  const places = stops + 1;
  const commodities = validate(problem);
  const matrix = toMatrix(problem.distance, places);
  if (problem.coordinates !== undefined) {
    if (problem.coordinates.length !== places) {
      throw new RoutingInputError(
        'coordinates',
        `expected ${places} places (depot and stops), got ${problem.coordinates.length}`,
      );
    }
    problem.coordinates.forEach((point, index) => {
      if (point.length !== 2 || !point.every(Number.isFinite)) {
        throw new RoutingInputError(`coordinates[${index}]`, 'must be two finite numbers');
      }
    });
  }
  const limitsStops = problem.vehicles.some(
    (vehicle) => vehicle.maxStops !== undefined && Number.isFinite(vehicle.maxStops),
  );
  const dims = commodities + (limitsStops ? 1 : 0);

  const demands = new Float64Array(places * dims);
  const totals = new Float64Array(dims);
  problem.demands.forEach((demand, stop) => {
    for (let d = 0; d < commodities; d++) demands[(stop + 1) * dims + d] = demand[d]!;
    if (limitsStops) demands[(stop + 1) * dims + commodities] = 1;
  });
  for (let i = 1; i < places; i++)
    for (let d = 0; d < dims; d++) totals[d] = totals[d]! + demands[i * dims + d]!;

  // Unlimited capacity becomes a capacity nothing can exceed.
  const capacityOf = (vehicle: RoutingVehicle, d: number): number => {
    if (d === commodities)
      return vehicle.maxStops !== undefined && Number.isFinite(vehicle.maxStops)
        ? vehicle.maxStops
        : stops + 1;
    const value = vehicle.capacity[d]!;
    return Number.isFinite(value) ? value : totals[d]! + 1;
  };
  const slotVehicle: number[] = [];
  problem.vehicles.forEach((vehicle, index) => {
    let count = vehicle.count ?? 1;
    if (count === Infinity) {
      // As HGS-CVRP, room for 1.3 times the bin-packing bound plus three routes; and at least
      // as many as first-fit packing needs, so that a feasible solution always has its slots.
      const limits = Array.from({ length: dims }, (_, d) => capacityOf(vehicle, d));
      let bound = 1;
      for (let d = 0; d < dims; d++) bound = Math.max(bound, totals[d]! / limits[d]!);
      count = Math.max(Math.ceil(1.3 * bound) + 3, firstFitBins(demands, dims, limits));
    }
    count = Math.min(count, Math.max(1, stops));
    for (let k = 0; k < count; k++) slotVehicle.push(index);
  });
  const capacity = new Float64Array(slotVehicle.length * dims);
  slotVehicle.forEach((vehicle, slot) => {
    for (let d = 0; d < dims; d++)
      capacity[slot * dims + d] = capacityOf(problem.vehicles[vehicle]!, d);
  });

  const now = options.now ?? (() => performance.now());
  const timeLimit = options.timeLimitMs ?? (options.iterationLimit === undefined ? 1000 : Infinity);
  const started = now();
  const instance = buildInstance({
    matrix,
    demands,
    dims,
    capacity,
    slotVehicle: Int32Array.from(slotVehicle),
    granular: options.granular ?? 20,
    coordinates: problem.coordinates,
  });
  const { best, statistics } = hybridGeneticSearch(instance, {
    seed: options.seed ?? 1,
    deadline: started + timeLimit,
    iterationLimit: options.iterationLimit ?? Infinity,
    now,
  });

  const present = (slotRoutes: readonly (ArrayLike<number> & Iterable<number>)[]) => {
    const routes: RoutingRoute[] = [];
    let cost = 0;
    let feasible = true;
    slotRoutes.forEach((route, slot) => {
      if (route.length === 0) return;
      const load = new Float64Array(dims);
      let distance = 0;
      let previous = 0;
      for (const place of route) {
        distance += matrix.values[previous * places + place]!;
        for (let d = 0; d < dims; d++) load[d] = load[d]! + demands[place * dims + d]!;
        previous = place;
      }
      distance += matrix.values[previous * places]!;
      if (excessShare(instance, slot, load) > 0) feasible = false;
      cost += distance;
      routes.push({
        vehicle: slotVehicle[slot]!,
        stops: Array.from(route, (place) => place - 1),
        distance,
        load: Array.from(load.subarray(0, commodities)),
      });
    });
    return { routes, cost, feasible };
  };
  const found = present(best.routes);
  if (!found.feasible) {
    // The search ran out of time or iterations short of a feasible answer: if packing the
    // stops into one kind of vehicle's slots shows one exists, answer that instead.
    const packed = packIntoSlots(demands, dims, capacity, slotVehicle);
    if (packed) return { ...present(packed), statistics };
  }
  return { ...found, statistics };
}

/**
 * Stops packed first-fit decreasing into the slots of one kind of vehicle (each kind in turn),
 * the slots of the other kinds left empty; null when no kind holds them all. A route's stops
 * stay in packing order: this only proves, and answers, that a feasible plan exists.
 */
function packIntoSlots(
  demands: Float64Array,
  dims: number,
  capacity: Float64Array,
  slotVehicle: readonly number[],
): number[][] | null {
  const places = demands.length / dims;
  for (const kind of new Set(slotVehicle)) {
    const slots = slotVehicle.flatMap((vehicle, slot) => (vehicle === kind ? [slot] : []));
    const first = slots[0]!;
    const share = (place: number) => {
      let largest = 0;
      for (let d = 0; d < dims; d++)
        largest = Math.max(
          largest,
          demands[place * dims + d]! / (capacity[first * dims + d]! || 1),
        );
      return largest;
    };
    const order = Array.from({ length: places - 1 }, (_, i) => i + 1).sort(
      (a, b) => share(b) - share(a) || a - b,
    );
    const routes: number[][] = slotVehicle.map(() => []);
    const loads = slots.map(() => new Float64Array(dims));
    const placed = order.every((place) => {
      const index = loads.findIndex((load, at) => {
        for (let d = 0; d < dims; d++)
          if (load[d]! + demands[place * dims + d]! > capacity[slots[at]! * dims + d]!)
            return false;
        return true;
      });
      if (index < 0) return false;
      for (let d = 0; d < dims; d++)
        loads[index]![d] = loads[index]![d]! + demands[place * dims + d]!;
      routes[slots[index]!]!.push(place);
      return true;
    });
    if (placed) return routes;
  }
  return null;
}

/** Routes first-fit decreasing packing fills (stops that fit no route alone count one each). */
function firstFitBins(demands: Float64Array, dims: number, limits: number[]): number {
  const places = demands.length / dims;
  const share = (place: number) => {
    let largest = 0;
    for (let d = 0; d < dims; d++)
      largest = Math.max(largest, demands[place * dims + d]! / (limits[d]! || 1));
    return largest;
  };
  const order = Array.from({ length: places - 1 }, (_, i) => i + 1).sort(
    (a, b) => share(b) - share(a) || a - b,
  );
  const bins: Float64Array[] = [];
  for (const place of order) {
    const fits = (bin: Float64Array) => {
      for (let d = 0; d < dims; d++)
        if (bin[d]! + demands[place * dims + d]! > limits[d]!) return false;
      return true;
    };
    let bin = bins.find(fits);
    if (!bin) {
      bin = new Float64Array(dims);
      bins.push(bin);
    }
    for (let d = 0; d < dims; d++) bin[d] = bin[d]! + demands[place * dims + d]!;
  }
  return bins.length;
}

/** Checks the problem's shape; answers the number of commodities. */
function validate(problem: RoutingProblem): number {
  if (problem.vehicles.length === 0)
    throw new RoutingInputError('vehicles', 'at least one vehicle is needed');
  const commodities = problem.vehicles[0]!.capacity.length;
  problem.vehicles.forEach((vehicle, index) => {
    if (vehicle.capacity.length !== commodities) {
      throw new RoutingInputError(
        `vehicles[${index}].capacity`,
        `expected ${commodities} commodities, got ${vehicle.capacity.length}`,
      );
    }
    vehicle.capacity.forEach((value, d) => {
      if (!(value >= 0))
        throw new RoutingInputError(
          `vehicles[${index}].capacity[${d}]`,
          `must be a number >= 0, got ${value}`,
        );
    });
    if (vehicle.maxStops !== undefined && !(vehicle.maxStops >= 0)) {
      throw new RoutingInputError(
        `vehicles[${index}].maxStops`,
        `must be a number >= 0, got ${vehicle.maxStops}`,
      );
    }
    const count = vehicle.count ?? 1;
    if (!(count === Infinity || (Number.isInteger(count) && count >= 0))) {
      throw new RoutingInputError(
        `vehicles[${index}].count`,
        `must be a whole number >= 0 or Infinity, got ${count}`,
      );
    }
  });
  if (!problem.vehicles.some((vehicle) => (vehicle.count ?? 1) > 0)) {
    throw new RoutingInputError('vehicles', 'at least one vehicle is needed');
  }
  problem.demands.forEach((demand, stop) => {
    if (demand.length !== commodities) {
      throw new RoutingInputError(
        `demands[${stop}]`,
        `expected ${commodities} commodities, got ${demand.length}`,
      );
    }
    demand.forEach((value, d) => {
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new RoutingInputError(
          `demands[${stop}][${d}]`,
          `must be a finite number >= 0, got ${value}`,
        );
      }
    });
  });
  return commodities;
}

function toMatrix(distance: RoutingProblem['distance'], places: number): DistanceMatrix {
  if (typeof distance !== 'function') {
    if (distance.size !== places || distance.values.length !== places * places) {
      throw new RoutingInputError(
        'distance',
        `expected a matrix over ${places} places (depot and stops), got ${distance.size}`,
      );
    }
    for (let i = 0; i < distance.values.length; i++) {
      const value = distance.values[i]!;
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new RoutingInputError(
          'distance',
          `entry ${Math.floor(i / places)} -> ${i % places} must be a finite number >= 0`,
        );
      }
    }
    return distance;
  }
  const values = new Float64Array(places * places);
  for (let i = 0; i < places; i++) {
    for (let j = 0; j < places; j++) {
      const value = i === j ? 0 : distance(i, j);
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new RoutingInputError(
          'distance',
          `distance(${i}, ${j}) must be a finite number >= 0, got ${value}`,
        );
      }
      values[i * places + j] = value;
    }
  }
  return { size: places, values };
}
