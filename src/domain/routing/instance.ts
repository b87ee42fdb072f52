/**
 * The solver's internal, typed-array view of a routing problem: places 0..n-1 (0 is the
 * depot), a demand vector per place, one slot per vehicle that may be used, and granular
 * neighbour lists. Built once per solve from the public RoutingProblem (see solve.ts).
 */
import type { DistanceMatrix } from './distance.js';

export interface Instance {
  /** Places, depot included. */
  n: number;
  /** Row-major distances between places. */
  dist: Float64Array;
  /** Load dimensions: one per commodity, plus one counting stops when a vehicle limits them. */
  dims: number;
  /** Demand of place i in dimension d at i * dims + d (the depot's is 0). */
  demand: Float64Array;
  /** Vehicle slots: each route the solver may build runs on one slot. */
  slots: number;
  /** Capacity of slot r in dimension d at r * dims + d. */
  capacity: Float64Array;
  /** For each slot, the index of the caller's vehicle it stands for. */
  slotVehicle: Int32Array;
  /** Excess load in dimension d counts as excess * weight[d] capacities (1 / the largest capacity). */
  weight: Float64Array;
  /** Whether every slot has the same capacities (then Split may use as many routes as it likes). */
  homogeneous: boolean;
  /** The `granular` nearest other customers of customer i at i * granular + k. */
  neighbours: Int32Array;
  granular: number;
  /** Planar coordinates of the places, when known: SWAP* and the order of routes in giant tours use them. */
  coordinates: readonly (readonly [number, number])[] | null;
  /** Polar angle of each place around the depot in 1/65536 turns (with coordinates only). */
  angle: Int32Array | null;
  /** Largest distance and largest single demand (in capacities): scale of the initial penalty. */
  maxDistance: number;
  maxDemandShare: number;
}

export interface InstanceInput {
  matrix: DistanceMatrix;
  /** Per place (depot first), per dimension. */
  demands: Float64Array;
  dims: number;
  capacity: Float64Array;
  slotVehicle: Int32Array;
  granular: number;
  coordinates?: readonly (readonly [number, number])[] | undefined;
}

/** Builds the granular neighbour lists and penalty scales. */
export function buildInstance(input: InstanceInput): Instance {
  const { matrix, demands: demand, dims, capacity, slotVehicle } = input;
  const n = matrix.size;
  const dist = matrix.values;
  const slots = slotVehicle.length;
  const weight = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    let largest = 0;
    for (let r = 0; r < slots; r++) largest = Math.max(largest, capacity[r * dims + d]!);
    weight[d] = largest > 0 ? 1 / largest : 1;
  }
  let homogeneous = true;
  for (let r = 1; r < slots && homogeneous; r++) {
    for (let d = 0; d < dims; d++) {
      if (capacity[r * dims + d] !== capacity[d]) homogeneous = false;
    }
  }
  let maxDistance = 0;
  for (let i = 0; i < dist.length; i++) maxDistance = Math.max(maxDistance, dist[i]!);
  let maxDemandShare = 0;
  for (let i = 1; i < n; i++) {
    for (let d = 0; d < dims; d++)
      maxDemandShare = Math.max(maxDemandShare, demand[i * dims + d]! * weight[d]!);
  }
  const granular = Math.max(0, Math.min(input.granular, n - 2));
  const neighbours = new Int32Array(n * granular);
  // The `granular` nearest by insertion into a short sorted list: O(n * granular) per customer.
  const nearest = new Float64Array(granular);
  for (let i = 1; i < n && granular > 0; i++) {
    const base = i * granular;
    let size = 0;
    for (let j = 1; j < n; j++) {
      if (j === i) continue;
      const value = dist[i * n + j]! + dist[j * n + i]!;
      if (size === granular && value >= nearest[size - 1]!) continue;
      let k = size < granular ? size++ : size - 1;
      while (k > 0 && nearest[k - 1]! > value) {
        nearest[k] = nearest[k - 1]!;
        neighbours[base + k] = neighbours[base + k - 1]!;
        k--;
      }
      nearest[k] = value;
      neighbours[base + k] = j;
    }
  }
  // Polar angles around the depot, in 1/65536 turns, when the caller gave coordinates.
  let angle: Int32Array | null = null;
  if (input.coordinates) {
    angle = new Int32Array(n);
    const [x0, y0] = input.coordinates[0]!;
    for (let i = 1; i < n; i++) {
      const [x, y] = input.coordinates[i]!;
      angle[i] = positiveModulo(Math.round((32768 * Math.atan2(y - y0, x - x0)) / Math.PI));
    }
  }
  return {
    n,
    dist,
    dims,
    demand,
    slots,
    capacity,
    slotVehicle,
    weight,
    homogeneous,
    neighbours,
    granular,
    coordinates: input.coordinates ?? null,
    angle,
    maxDistance: Math.max(maxDistance, 1e-9),
    maxDemandShare: Math.max(maxDemandShare, 1e-9),
  };
}

/** Excess load of a route in capacities: sum over dimensions of max(0, load - capacity) * weight. */
export function excessShare(
  instance: Instance,
  slot: number,
  load: Float64Array,
  offset = 0,
): number {
  const { dims, capacity, weight } = instance;
  let excess = 0;
  for (let d = 0; d < dims; d++) {
    const over = load[offset + d]! - capacity[slot * dims + d]!;
    if (over > 0) excess += over * weight[d]!;
  }
  return excess;
}

/** i modulo 65536, in 0..65535. */
export function positiveModulo(i: number): number {
  return ((i % 65536) + 65536) % 65536;
}
