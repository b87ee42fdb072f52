/**
 * Split (Prins 2004; Vidal 2016): the optimal cut of a giant tour (every customer once, no
 * depot) into consecutive routes, each priced as distance plus penalised capacity excess.
 */
import type { Instance } from './instance.js';

/** A route may carry at most this many capacities in any dimension while Split extends it. */
const STRETCH = 1.5;

export class Split {
  private readonly potential: Float64Array;
  private readonly predecessor: Int32Array;
  private readonly load: Float64Array;

  constructor(private readonly instance: Instance) {
    const customers = instance.n - 1;
    this.potential = new Float64Array((instance.slots + 1) * (customers + 1));
    this.predecessor = new Int32Array((instance.slots + 1) * (customers + 1));
    this.load = new Float64Array(instance.dims);
  }

  /** Routes per slot (slots beyond the routes used are empty). */
  split(tour: Int32Array, penalty: number): Int32Array[] {
    if (this.instance.homogeneous) {
      const routes = this.unlimited(tour, penalty);
      if (routes) return routes;
    }
    return this.limited(tour, penalty);
  }

  /** Cost of the route serving tour[i..j) on slot r, or Infinity once it is stretched too far. */
  private extend(
    tour: Int32Array,
    from: number,
    slot: number,
    penalty: number,
    unbounded: boolean,
    visit: (to: number, cost: number) => void,
  ): void {
    const { n, dist, dims, demand, capacity, weight } = this.instance;
    const load = this.load;
    load.fill(0);
    let distance = 0;
    let previous = 0;
    for (let j = from; j < tour.length; j++) {
      const customer = tour[j]!;
      distance += dist[previous * n + customer]!;
      let excess = 0;
      let stretched = false;
      for (let d = 0; d < dims; d++) {
        const value = load[d]! + demand[customer * dims + d]!;
        load[d] = value;
        const limit = capacity[slot * dims + d]!;
        if (value > limit) {
          excess += (value - limit) * weight[d]!;
          if (value > STRETCH * limit) stretched = true;
        }
      }
      if (stretched && !unbounded && j > from) return;
      visit(j + 1, distance + dist[customer * n]! + penalty * excess);
      previous = customer;
    }
  }

  /** Any number of routes on identical vehicles; null when more routes than slots were needed. */
  private unlimited(tour: Int32Array, penalty: number): Int32Array[] | null {
    const size = tour.length;
    const potential = this.potential;
    const predecessor = this.predecessor;
    potential.fill(Infinity, 0, size + 1);
    potential[0] = 0;
    for (let i = 0; i < size; i++) {
      const base = potential[i]!;
      if (base === Infinity) continue;
      this.extend(tour, i, 0, penalty, false, (j, cost) => {
        if (base + cost < potential[j]!) {
          potential[j] = base + cost;
          predecessor[j] = i;
        }
      });
    }
    const cuts: number[] = [];
    for (let j = size; j > 0; j = predecessor[j]!) cuts.push(j);
    if (cuts.length > this.instance.slots) return null;
    return this.routesFromCuts(tour, cuts.reverse());
  }

  /** At most one route per slot, slot k with its own capacities; the last slot takes any rest. */
  private limited(tour: Int32Array, penalty: number): Int32Array[] {
    const size = tour.length;
    const slots = this.instance.slots;
    const width = size + 1;
    const potential = this.potential;
    const predecessor = this.predecessor;
    potential.fill(Infinity, 0, (slots + 1) * width);
    potential[0] = 0;
    for (let k = 0; k < slots; k++) {
      const row = k * width;
      const nextRow = row + width;
      for (let i = 0; i <= size; i++) {
        const base = potential[row + i]!;
        if (base === Infinity) continue;
        // The slot may stay unused.
        if (base < potential[nextRow + i]!) {
          potential[nextRow + i] = base;
          predecessor[nextRow + i] = i;
        }
        if (i === size) continue;
        this.extend(tour, i, k, penalty, k === slots - 1, (j, cost) => {
          if (base + cost < potential[nextRow + j]!) {
            potential[nextRow + j] = base + cost;
            predecessor[nextRow + j] = i;
          }
        });
      }
    }
    const routes: Int32Array[] = new Array(slots);
    let end = size;
    for (let k = slots; k > 0; k--) {
      const start = predecessor[k * width + end]!;
      routes[k - 1] = tour.slice(start, end);
      end = start;
    }
    return routes;
  }

  private routesFromCuts(tour: Int32Array, ends: number[]): Int32Array[] {
    const routes: Int32Array[] = [];
    let start = 0;
    for (const end of ends) {
      routes.push(tour.slice(start, end));
      start = end;
    }
    while (routes.length < this.instance.slots) routes.push(new Int32Array(0));
    return routes;
  }
}
