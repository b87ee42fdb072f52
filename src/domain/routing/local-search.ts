/**
 * Granular local search over a fixed set of routes, in the manner of HGS-CVRP (Vidal 2022):
 * for every customer u and each of its nearest neighbours v it tries relocating u, (u, x) or
 * (x, u) after v, swapping u/v, (u, x)/v and (u, x)/(v, y), 2-opt inside a route and both
 * 2-opt* variants between routes, and applies the first improving move. Loads, cumulated
 * loads and reversal costs are kept per node so every move is evaluated in O(dims).
 *
 * Capacity excess is allowed and priced at `penalty` per vehicle-capacity of excess, so the
 * search can cross infeasible space; with a large penalty it only keeps feasible moves from a
 * feasible start. Routes are doubly linked lists in typed arrays: customers are nodes 1..n-1,
 * route r starts at node n + r and ends at node n + slots + r (both stand for the depot).
 */
import { positiveModulo, type Instance } from './instance.js';
import type { Random } from './random.js';

const EPSILON = 1e-5;

export interface LocalSearchStatistics {
  moves: number;
  runs: number;
}

export class LocalSearch {
  private readonly n: number;
  private readonly dims: number;
  private readonly slots: number;
  private readonly dist: Float64Array;
  private readonly demand: Float64Array;
  private readonly capacity: Float64Array;
  private readonly weight: Float64Array;
  private readonly neighbours: Int32Array;
  private readonly granular: number;

  // Per node.
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly route: Int32Array;
  private readonly loc: Int32Array;
  private readonly cumLoad: Float64Array;
  private readonly cumReversal: Float64Array;
  private readonly whenTested: Int32Array;
  private readonly position: Int32Array;
  // Per route.
  private readonly load: Float64Array;
  private readonly length: Float64Array;
  private readonly penaltyOf: Float64Array;
  private readonly reversal: Float64Array;
  private readonly stopCount: Int32Array;
  private readonly whenModified: Int32Array;
  private readonly whenSwapStarTested: Int32Array;
  private readonly sectorStart: Int32Array;
  private readonly sectorEnd: Int32Array;
  // SWAP*: the three cheapest insertions of customer u into route r at (r * n + u) * 3 + k.
  private readonly angle: Int32Array | null;
  private readonly insertionCost: Float64Array;
  private readonly insertionAfter: Int32Array;
  private readonly insertionWhen: Int32Array;
  private readonly removalGain: Float64Array;
  private readonly routeOrder: Int32Array;

  private readonly order: Int32Array;
  private readonly neighbourOrder: Int32Array;
  private readonly scratchA: Int32Array;
  private readonly scratchB: Int32Array;
  private readonly loads: Float64Array;
  private readonly edgeScratch: Float64Array;

  private penalty = 1;
  private moveCount = 0;
  private searchCompleted = false;
  readonly statistics: LocalSearchStatistics = { moves: 0, runs: 0 };

  // The move under evaluation: u, x = next(u), v, y = next(v) and neighbours, their places and routes.
  private u = 0;
  private x = 0;
  private pu = 0;
  private xx = 0;
  private v = 0;
  private y = 0;
  private pv = 0;
  private yy = 0;
  private lu = 0;
  private lx = 0;
  private lpu = 0;
  private lxx = 0;
  private lv = 0;
  private ly = 0;
  private lpv = 0;
  private lyy = 0;
  private ru = 0;
  private rv = 0;
  private intra = false;

  constructor(
    private readonly instance: Instance,
    private readonly random: Random,
  ) {
    const { n, dims, slots } = instance;
    this.n = n;
    this.dims = dims;
    this.slots = slots;
    this.dist = instance.dist;
    this.demand = instance.demand;
    this.capacity = instance.capacity;
    this.weight = instance.weight;
    this.neighbours = instance.neighbours.slice();
    this.granular = instance.granular;
    const nodes = n + 2 * slots;
    this.next = new Int32Array(nodes);
    this.prev = new Int32Array(nodes);
    this.route = new Int32Array(nodes);
    this.loc = new Int32Array(nodes);
    for (let i = 1; i < n; i++) this.loc[i] = i;
    this.cumLoad = new Float64Array(nodes * dims);
    this.cumReversal = new Float64Array(nodes);
    this.whenTested = new Int32Array(nodes);
    this.position = new Int32Array(nodes);
    this.load = new Float64Array(slots * dims);
    this.length = new Float64Array(slots);
    this.penaltyOf = new Float64Array(slots);
    this.reversal = new Float64Array(slots);
    this.stopCount = new Int32Array(slots);
    this.whenModified = new Int32Array(slots);
    this.whenSwapStarTested = new Int32Array(slots);
    this.sectorStart = new Int32Array(slots);
    this.sectorEnd = new Int32Array(slots);
    this.angle = instance.angle;
    const withSwapStar = this.angle !== null;
    this.insertionCost = new Float64Array(withSwapStar ? slots * n * 3 : 0);
    this.insertionAfter = new Int32Array(withSwapStar ? slots * n * 3 : 0);
    this.insertionWhen = new Int32Array(withSwapStar ? slots * n : 0);
    this.removalGain = new Float64Array(nodes);
    this.routeOrder = new Int32Array(slots);
    for (let r = 0; r < slots; r++) this.routeOrder[r] = r;
    this.order = new Int32Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) this.order[i - 1] = i;
    this.neighbourOrder = new Int32Array(this.granular);
    this.scratchA = new Int32Array(n);
    this.scratchB = new Int32Array(n);
    this.loads = new Float64Array(dims);
    this.edgeScratch = new Float64Array(n + 1);
  }

  /** Loads routes (customers per slot; slots beyond `routes.length` are empty). */
  loadRoutes(routes: readonly ArrayLike<number>[], penalty: number): void {
    this.penalty = penalty;
    this.moveCount = 0;
    for (let r = 0; r < this.slots; r++) {
      const customers = routes[r];
      const count = customers ? customers.length : 0;
      for (let k = 0; k < count; k++) this.scratchA[k] = customers![k]!;
      this.relink(r, this.scratchA, count);
      this.updateRoute(r);
      this.whenModified[r] = 0;
    }
    this.whenTested.fill(-1);
    this.whenSwapStarTested.fill(-1);
    this.insertionWhen.fill(-1);
  }

  /** Customers per slot, in visiting order. */
  exportRoutes(): Int32Array[] {
    const routes: Int32Array[] = [];
    for (let r = 0; r < this.slots; r++) {
      const customers = new Int32Array(this.stopCount[r]!);
      let node = this.next[this.n + r]!;
      for (let k = 0; k < customers.length; k++) {
        customers[k] = node;
        node = this.next[node]!;
      }
      routes.push(customers);
    }
    return routes;
  }

  /** Distance plus penalty of the loaded routes. */
  penalizedCost(): number {
    let cost = 0;
    for (let r = 0; r < this.slots; r++) cost += this.length[r]! + this.penaltyOf[r]!;
    return cost;
  }

  /**
   * Applies improving moves until none is left, or until `deadline` (in `now()` units) passes:
   * the routes are consistent whenever it stops.
   */
  run(penalty: number, deadline: number, now: () => number): void {
    this.statistics.runs++;
    if (penalty !== this.penalty) {
      this.penalty = penalty;
      for (let r = 0; r < this.slots; r++)
        this.penaltyOf[r] = this.penaltyOfLoad(r, this.load, r * this.dims);
    }
    const { n, granular, neighbours, order, neighbourOrder, random } = this;
    const customers = n - 1;
    random.shuffle(order);
    this.searchCompleted = false;
    for (let loop = 0; !this.searchCompleted; loop++) {
      if (loop > 1) this.searchCompleted = true;
      for (let index = 0; index < customers; index++) {
        if ((index & 63) === 0 && now() > deadline) return;
        const u = order[index]!;
        const lastTested = this.whenTested[u]!;
        this.whenTested[u] = this.moveCount;
        for (let k = 0; k < granular; k++) neighbourOrder[k] = neighbours[u * granular + k]!;
        if (granular > 1 && random.below(granular) === 0) random.shuffle(neighbourOrder);
        for (let k = 0; k < granular; k++) {
          const v = neighbourOrder[k]!;
          if (
            loop > 0 &&
            Math.max(this.whenModified[this.route[u]!]!, this.whenModified[this.route[v]!]!) <=
              lastTested
          ) {
            continue;
          }
          this.setU(u);
          this.setV(v);
          if (this.relocate()) continue;
          if (this.relocatePair()) continue;
          if (this.relocatePairReversed()) continue;
          if (u <= v && this.swap()) continue;
          if (this.swapPairSingle()) continue;
          if (u <= v && this.swapPairs()) continue;
          if (this.intra) {
            if (this.twoOpt()) continue;
          } else {
            if (this.twoOptStarReversing()) continue;
            if (this.twoOptStar()) continue;
          }
          // u may also go first in v's route: v's predecessor is then the depot.
          if (this.prev[v]! >= n) {
            this.setV(this.prev[v]!);
            if (this.relocate()) continue;
            if (this.relocatePair()) continue;
            if (this.relocatePairReversed()) continue;
            if (!this.intra) {
              if (this.twoOptStarReversing()) continue;
              if (this.twoOptStar()) continue;
            }
          }
        }
        // Opening a new route: not in the first loop, which would inflate the fleet.
        if (loop > 0) {
          const empty = this.firstEmptyRoute();
          if (empty >= 0) {
            this.setU(u);
            this.setV(n + empty);
            if (this.relocate()) continue;
            if (this.relocatePair()) continue;
            if (this.relocatePairReversed()) continue;
            if (this.twoOptStar()) continue;
          }
        }
      }
      if (this.angle && this.swapStarPass(loop, deadline, now)) return;
    }
  }

  /** One SWAP* pass over pairs of routes whose polar sectors overlap; true when out of time. */
  private swapStarPass(loop: number, deadline: number, now: () => number): boolean {
    const { routeOrder, stopCount, whenModified } = this;
    this.random.shuffle(routeOrder);
    for (let a = 0; a < this.slots; a++) {
      const ru = routeOrder[a]!;
      if (stopCount[ru] === 0) continue;
      if ((a & 7) === 0 && now() > deadline) return true;
      const lastTested = this.whenSwapStarTested[ru]!;
      this.whenSwapStarTested[ru] = this.moveCount;
      for (let b = 0; b < this.slots; b++) {
        const rv = routeOrder[b]!;
        if (stopCount[rv] === 0 || ru >= rv) continue;
        if (loop > 0 && Math.max(whenModified[ru]!, whenModified[rv]!) <= lastTested) continue;
        if (this.sectorsOverlap(ru, rv)) this.swapStar(ru, rv);
      }
    }
    return false;
  }

  private sectorsOverlap(a: number, b: number): boolean {
    const { sectorStart, sectorEnd } = this;
    return (
      positiveModulo(sectorStart[b]! - sectorStart[a]!) <=
        positiveModulo(sectorEnd[a]! - sectorStart[a]!) ||
      positiveModulo(sectorStart[a]! - sectorStart[b]!) <=
        positiveModulo(sectorEnd[b]! - sectorStart[b]!)
    );
  }

  /**
   * SWAP* (Vidal 2022): exchange u of route ru and v of route rv, each inserted at its best
   * place in the other route (not necessarily where the other was); also plain relocations.
   */
  private swapStar(ru: number, rv: number): boolean {
    const { n, next, loc, removalGain, penaltyOf } = this;
    this.preprocessInsertions(ru, rv);
    this.preprocessInsertions(rv, ru);
    let bestCost = -EPSILON;
    let bestU = -1;
    let bestAfterU = -1;
    let bestV = -1;
    let bestAfterV = -1;
    for (let u = next[n + ru]!; u < n; u = next[u]!) {
      const lu = loc[u]!;
      for (let v = next[n + rv]!; v < n; v = next[v]!) {
        const lv = loc[v]!;
        const penalties = this.swapPenalty(ru, rv, lu, lv) - penaltyOf[ru]! - penaltyOf[rv]!;
        // Removal gains and penalty changes bound the move: skip it unless it could improve.
        if (penalties + removalGain[u]! + removalGain[v]! > 0) continue;
        const extraV = this.cheapestInsertionReplacing(u, v, rv);
        const afterU = this.insertionChoice;
        const extraU = this.cheapestInsertionReplacing(v, u, ru);
        const cost = penalties + removalGain[u]! + extraU + removalGain[v]! + extraV;
        if (cost < bestCost) {
          bestCost = cost;
          bestU = u;
          bestAfterU = afterU;
          bestV = v;
          bestAfterV = this.insertionChoice;
        }
      }
    }
    // Relocations come for free from the same insertion tables.
    for (let k = 0; k < 2; k++) {
      const from = k === 0 ? ru : rv;
      const to = k === 0 ? rv : ru;
      for (let u = next[n + from]!; u < n; u = next[u]!) {
        const lu = loc[u]!;
        const index = (to * n + u) * 3;
        const cost =
          removalGain[u]! +
          this.insertionCost[index]! +
          this.penaltyAdjusted(from, 0, 0, lu, 0) -
          penaltyOf[from]! +
          this.penaltyAdjusted(to, lu, 0, 0, 0) -
          penaltyOf[to]!;
        if (cost < bestCost) {
          bestCost = cost;
          bestU = u;
          bestAfterU = this.insertionAfter[index]!;
          bestV = -1;
          bestAfterV = -1;
        }
      }
    }
    if (bestU < 0) return false;
    this.insertAfter(bestU, bestAfterU);
    if (bestV >= 0) this.insertAfter(bestV, bestAfterV);
    this.ru = ru;
    this.rv = rv;
    this.appliedTwoRoutes();
    return true;
  }

  /** Where cheapestInsertionReplacing would insert. */
  private insertionChoice = 0;

  /**
   * Cheapest insertion of u into route r (which holds v) once v has left it: one of the three
   * best precomputed places not next to v, or v's own place.
   */
  private cheapestInsertionReplacing(u: number, v: number, r: number): number {
    const { next, prev, loc, insertionCost, insertionAfter } = this;
    const index = (r * this.n + u) * 3;
    let cost = Infinity;
    let after = -1;
    for (let k = 0; k < 3; k++) {
      const place = insertionAfter[index + k]!;
      if (place < 0) break;
      if (place !== v && next[place] !== v) {
        cost = insertionCost[index + k]!;
        after = place;
        break;
      }
    }
    const lu = loc[u]!;
    const lp = loc[prev[v]!]!;
    const ln = loc[next[v]!]!;
    const instead = this.d(lp, lu) + this.d(lu, ln) - this.d(lp, ln);
    if (after < 0 || instead < cost) {
      cost = instead;
      after = prev[v]!;
    }
    this.insertionChoice = after;
    return cost;
  }

  /** Removal gains of route ra's customers, and their three cheapest insertions into route rb. */
  private preprocessInsertions(ra: number, rb: number): void {
    const { n, next, prev, loc, dist, insertionCost, insertionAfter, insertionWhen, removalGain } =
      this;
    // Route rb as places (depot first) and the length of each of its edges.
    const places = this.scratchA;
    const locations = this.scratchB;
    const edges = this.edgeScratch;
    let count = 0;
    for (let place = n + rb; place < n + this.slots; place = next[place]!) {
      places[count] = place;
      locations[count] = loc[place]!;
      count++;
    }
    locations[count] = 0;
    for (let k = 0; k < count; k++) edges[k] = dist[locations[k]! * n + locations[k + 1]!]!;
    const whenB = this.whenModified[rb]!;
    for (let u = next[n + ra]!; u < n; u = next[u]!) {
      const lu = loc[u]!;
      const lp = loc[prev[u]!]!;
      const ln = loc[next[u]!]!;
      const row = lu * n;
      removalGain[u] = dist[lp * n + ln]! - dist[lp * n + lu]! - dist[row + ln]!;
      const slot = rb * n + u;
      if (whenB <= insertionWhen[slot]!) continue;
      insertionWhen[slot] = this.moveCount;
      let cost0 = Infinity;
      let cost1 = Infinity;
      let cost2 = Infinity;
      let after0 = -1;
      let after1 = -1;
      let after2 = -1;
      for (let k = 0; k < count; k++) {
        const cost = dist[locations[k]! * n + lu]! + dist[row + locations[k + 1]!]! - edges[k]!;
        if (cost >= cost2) continue;
        if (cost >= cost1) {
          cost2 = cost;
          after2 = places[k]!;
        } else if (cost >= cost0) {
          cost2 = cost1;
          after2 = after1;
          cost1 = cost;
          after1 = places[k]!;
        } else {
          cost2 = cost1;
          after2 = after1;
          cost1 = cost0;
          after1 = after0;
          cost0 = cost;
          after0 = places[k]!;
        }
      }
      const index = slot * 3;
      insertionCost[index] = cost0;
      insertionCost[index + 1] = cost1;
      insertionCost[index + 2] = cost2;
      insertionAfter[index] = after0;
      insertionAfter[index + 1] = after1;
      insertionAfter[index + 2] = after2;
    }
  }

  private firstEmptyRoute(): number {
    for (let r = 0; r < this.slots; r++) if (this.stopCount[r] === 0) return r;
    return -1;
  }

  private setU(u: number): void {
    const { next, prev, loc } = this;
    this.u = u;
    this.x = next[u]!;
    this.pu = prev[u]!;
    this.xx = next[this.x]!;
    this.lu = loc[u]!;
    this.lx = loc[this.x]!;
    this.lpu = loc[this.pu]!;
    this.lxx = loc[this.xx]!;
    this.ru = this.route[u]!;
  }

  private setV(v: number): void {
    const { next, prev, loc } = this;
    this.v = v;
    this.y = next[v]!;
    this.pv = prev[v]!;
    this.yy = next[this.y]!;
    this.lv = loc[v]!;
    this.ly = loc[this.y]!;
    this.lpv = loc[this.pv]!;
    this.lyy = loc[this.yy]!;
    this.rv = this.route[v]!;
    this.intra = this.ru === this.rv;
  }

  private d(a: number, b: number): number {
    return this.dist[a * this.n + b]!;
  }

  /** Penalty of a load vector stored at loads[offset..offset+dims) on route r. */
  private penaltyOfLoad(r: number, loads: Float64Array, offset: number): number {
    const { dims, capacity, weight } = this;
    let excess = 0;
    for (let d = 0; d < dims; d++) {
      const over = loads[offset + d]! - capacity[r * dims + d]!;
      if (over > 0) excess += over * weight[d]!;
    }
    return excess * this.penalty;
  }

  /** Penalties of routes ru and rv once places lu and lv have changed places. */
  private swapPenalty(ru: number, rv: number, lu: number, lv: number): number {
    if (this.dims !== 1) {
      return this.penaltyAdjusted(ru, lv, 0, lu, 0) + this.penaltyAdjusted(rv, lu, 0, lv, 0);
    }
    // One dimension (plain CVRP): the common case, without the loops.
    const change = this.demand[lv]! - this.demand[lu]!;
    const overU = this.load[ru]! + change - this.capacity[ru]!;
    const overV = this.load[rv]! - change - this.capacity[rv]!;
    return ((overU > 0 ? overU : 0) + (overV > 0 ? overV : 0)) * this.weight[0]! * this.penalty;
  }

  /** Penalty of route r's load plus the demands of places a1, a2 minus those of s1, s2 (0: none). */
  private penaltyAdjusted(r: number, a1: number, a2: number, s1: number, s2: number): number {
    const { dims, demand, loads, load } = this;
    for (let d = 0; d < dims; d++) {
      loads[d] =
        load[r * dims + d]! +
        demand[a1 * dims + d]! +
        demand[a2 * dims + d]! -
        demand[s1 * dims + d]! -
        demand[s2 * dims + d]!;
    }
    return this.penaltyOfLoad(r, loads, 0);
  }

  private relocate(): boolean {
    const { u, v, lu, lx, lpu, lv, ly, ru, rv } = this;
    if (u === this.y) return false;
    let costU = this.d(lpu, lx) - this.d(lpu, lu) - this.d(lu, lx);
    let costV = this.d(lv, lu) + this.d(lu, ly) - this.d(lv, ly);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, 0, 0, lu, 0) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, 0, 0, 0) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.insertAfter(u, v);
    this.applied();
    return true;
  }

  private relocatePair(): boolean {
    const { u, x, v, lu, lx, lpu, lxx, lv, ly, ru, rv } = this;
    if (u === this.y || v === x || x >= this.n) return false;
    let costU = this.d(lpu, lxx) - this.d(lpu, lu) - this.d(lx, lxx);
    let costV = this.d(lv, lu) + this.d(lx, ly) - this.d(lv, ly);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, 0, 0, lu, lx) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, lx, 0, 0) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.insertAfter(u, v);
    this.insertAfter(x, u);
    this.applied();
    return true;
  }

  private relocatePairReversed(): boolean {
    const { u, x, v, lu, lx, lpu, lxx, lv, ly, ru, rv } = this;
    if (u === this.y || x === v || x >= this.n) return false;
    let costU = this.d(lpu, lxx) - this.d(lpu, lu) - this.d(lu, lx) - this.d(lx, lxx);
    let costV = this.d(lv, lx) + this.d(lx, lu) + this.d(lu, ly) - this.d(lv, ly);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, 0, 0, lu, lx) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, lx, 0, 0) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.insertAfter(x, v);
    this.insertAfter(u, x);
    this.applied();
    return true;
  }

  private swap(): boolean {
    const { u, v, lu, lx, lpu, lv, ly, lpv, ru, rv } = this;
    if (u === this.pv || u === this.y) return false;
    let costU = this.d(lpu, lv) + this.d(lv, lx) - this.d(lpu, lu) - this.d(lu, lx);
    let costV = this.d(lpv, lu) + this.d(lu, ly) - this.d(lpv, lv) - this.d(lv, ly);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, lv, 0, lu, 0) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, 0, lv, 0) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.swapNodes(u, v);
    this.applied();
    return true;
  }

  private swapPairSingle(): boolean {
    const { u, x, v, lu, lx, lpu, lxx, lv, ly, lpv, ru, rv } = this;
    if (u === this.pv || x === this.pv || u === this.y || x >= this.n) return false;
    let costU = this.d(lpu, lv) + this.d(lv, lxx) - this.d(lpu, lu) - this.d(lx, lxx);
    let costV = this.d(lpv, lu) + this.d(lx, ly) - this.d(lpv, lv) - this.d(lv, ly);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, lv, 0, lu, lx) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, lx, lv, 0) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.swapNodes(u, v);
    this.insertAfter(x, u);
    this.applied();
    return true;
  }

  private swapPairs(): boolean {
    const { u, x, v, y, lu, lx, lpu, lxx, lv, ly, lpv, lyy, ru, rv, n } = this;
    if (x >= n || y >= n || y === this.pu || u === y || x === v || v === this.xx) return false;
    let costU = this.d(lpu, lv) + this.d(ly, lxx) - this.d(lpu, lu) - this.d(lx, lxx);
    let costV = this.d(lpv, lu) + this.d(lx, lyy) - this.d(lpv, lv) - this.d(ly, lyy);
    if (!this.intra) {
      if (costU + costV >= this.penaltyOf[ru]! + this.penaltyOf[rv]!) return false;
      costU += this.penaltyAdjusted(ru, lv, ly, lu, lx) - this.penaltyOf[ru]!;
      costV += this.penaltyAdjusted(rv, lu, lx, lv, ly) - this.penaltyOf[rv]!;
    }
    if (costU + costV > -EPSILON) return false;
    this.swapNodes(u, v);
    this.swapNodes(x, y);
    this.applied();
    return true;
  }

  /** Inside one route: u -> x ... v -> y becomes u -> v ... x -> y. */
  private twoOpt(): boolean {
    const { u, x, v, y, lu, lx, lv, ly, cumReversal } = this;
    if (this.position[u]! > this.position[v]!) return false;
    const cost =
      this.d(lu, lv) +
      this.d(lx, ly) -
      this.d(lu, lx) -
      this.d(lv, ly) +
      cumReversal[v]! -
      cumReversal[x]!;
    if (cost > -EPSILON) return false;
    // Reverse x..v in place.
    const segment = this.scratchA;
    let count = 0;
    for (let node = x; ; node = this.next[node]!) {
      segment[count++] = node;
      if (node === v) break;
    }
    let previous = u;
    for (let k = count - 1; k >= 0; k--) {
      const node = segment[k]!;
      this.next[previous] = node;
      this.prev[node] = previous;
      previous = node;
    }
    this.next[previous] = y;
    this.prev[y] = previous;
    this.applied();
    return true;
  }

  /** Between routes: start(U)..u then v..start(V) reversed; and end(U)..x reversed then y..end(V). */
  private twoOptStarReversing(): boolean {
    const { u, x, v, y, lu, lx, lv, ly, ru, rv, dims, cumLoad, load, loads } = this;
    let cost =
      this.d(lu, lv) +
      this.d(lx, ly) -
      this.d(lu, lx) -
      this.d(lv, ly) +
      this.cumReversal[v]! +
      this.reversal[ru]! -
      this.cumReversal[x]! -
      this.penaltyOf[ru]! -
      this.penaltyOf[rv]!;
    if (cost >= 0) return false;
    for (let d = 0; d < dims; d++) loads[d] = cumLoad[u * dims + d]! + cumLoad[v * dims + d]!;
    cost += this.penaltyOfLoad(ru, loads, 0);
    for (let d = 0; d < dims; d++) {
      loads[d] =
        load[ru * dims + d]! +
        load[rv * dims + d]! -
        cumLoad[u * dims + d]! -
        cumLoad[v * dims + d]!;
    }
    cost += this.penaltyOfLoad(rv, loads, 0);
    if (cost > -EPSILON) return false;
    const a = this.scratchA;
    const b = this.scratchB;
    let countA = 0;
    let countB = 0;
    const n = this.n;
    for (let node = this.next[n + ru]!; node !== x; node = this.next[node]!) a[countA++] = node;
    for (let node = v; node < n; node = this.prev[node]!) a[countA++] = node;
    if (x < n) {
      for (let node = this.prev[n + this.slots + ru]!; ; node = this.prev[node]!) {
        b[countB++] = node;
        if (node === x) break;
      }
    }
    for (let node = y; node < n; node = this.next[node]!) b[countB++] = node;
    this.relink(ru, a, countA);
    this.relink(rv, b, countB);
    this.appliedTwoRoutes();
    return true;
  }

  /** Between routes: u -> x, v -> y become u -> y, v -> x (tails exchanged). */
  private twoOptStar(): boolean {
    const { u, x, v, y, lu, lx, lv, ly, ru, rv, dims, cumLoad, load, loads, n } = this;
    let cost =
      this.d(lu, ly) +
      this.d(lv, lx) -
      this.d(lu, lx) -
      this.d(lv, ly) -
      this.penaltyOf[ru]! -
      this.penaltyOf[rv]!;
    if (cost >= 0) return false;
    for (let d = 0; d < dims; d++)
      loads[d] = cumLoad[u * dims + d]! + load[rv * dims + d]! - cumLoad[v * dims + d]!;
    cost += this.penaltyOfLoad(ru, loads, 0);
    for (let d = 0; d < dims; d++)
      loads[d] = cumLoad[v * dims + d]! + load[ru * dims + d]! - cumLoad[u * dims + d]!;
    cost += this.penaltyOfLoad(rv, loads, 0);
    if (cost > -EPSILON) return false;
    const a = this.scratchA;
    const b = this.scratchB;
    let countA = 0;
    let countB = 0;
    for (let node = this.next[n + ru]!; node !== x; node = this.next[node]!) a[countA++] = node;
    for (let node = y; node < n; node = this.next[node]!) a[countA++] = node;
    for (let node = this.next[n + rv]!; node !== y; node = this.next[node]!) b[countB++] = node;
    for (let node = x; node < n; node = this.next[node]!) b[countB++] = node;
    this.relink(ru, a, countA);
    this.relink(rv, b, countB);
    this.appliedTwoRoutes();
    return true;
  }

  private insertAfter(node: number, after: number): void {
    const { next, prev } = this;
    next[prev[node]!] = next[node]!;
    prev[next[node]!] = prev[node]!;
    const following = next[after]!;
    prev[following] = node;
    prev[node] = after;
    next[node] = following;
    next[after] = node;
    this.route[node] = this.route[after]!;
  }

  private swapNodes(a: number, b: number): void {
    const { next, prev, route } = this;
    const prevB = prev[b]!;
    const nextB = next[b]!;
    const prevA = prev[a]!;
    const nextA = next[a]!;
    const routeA = route[a]!;
    next[prevA] = b;
    prev[nextA] = b;
    next[prevB] = a;
    prev[nextB] = a;
    prev[a] = prevB;
    next[a] = nextB;
    prev[b] = prevA;
    next[b] = nextA;
    route[a] = route[b]!;
    route[b] = routeA;
  }

  private applied(): void {
    this.moveCount++;
    this.statistics.moves++;
    this.searchCompleted = false;
    this.updateRoute(this.ru);
    if (!this.intra) this.updateRoute(this.rv);
  }

  private appliedTwoRoutes(): void {
    this.intra = false;
    this.applied();
  }

  /** Makes route r visit sequence[0..count). */
  private relink(r: number, sequence: Int32Array, count: number): void {
    const start = this.n + r;
    const end = this.n + this.slots + r;
    let previous = start;
    for (let k = 0; k < count; k++) {
      const node = sequence[k]!;
      this.next[previous] = node;
      this.prev[node] = previous;
      this.route[node] = r;
      previous = node;
    }
    this.next[previous] = end;
    this.prev[end] = previous;
    this.prev[start] = start;
    this.next[end] = end;
    this.route[start] = r;
    this.route[end] = r;
  }

  /** Recomputes positions, cumulated loads, reversal costs, length, load and penalty of route r. */
  private updateRoute(r: number): void {
    const { n, dims, next, loc, cumLoad, cumReversal, demand, position } = this;
    const start = n + r;
    const end = n + this.slots + r;
    for (let d = 0; d < dims; d++) cumLoad[start * dims + d] = 0;
    cumReversal[start] = 0;
    position[start] = 0;
    let node = start;
    let length = 0;
    let reversal = 0;
    let place = 0;
    while (node !== end) {
      const following = next[node]!;
      const from = loc[node]!;
      const to = loc[following]!;
      length += this.d(from, to);
      reversal += this.d(to, from) - this.d(from, to);
      place++;
      position[following] = place;
      cumReversal[following] = reversal;
      for (let d = 0; d < dims; d++) {
        cumLoad[following * dims + d] = cumLoad[node * dims + d]! + demand[to * dims + d]!;
      }
      node = following;
    }
    for (let d = 0; d < dims; d++) this.load[r * dims + d] = cumLoad[end * dims + d]!;
    this.length[r] = length;
    this.reversal[r] = reversal;
    this.stopCount[r] = place - 1;
    this.penaltyOf[r] = this.penaltyOfLoad(r, this.load, r * dims);
    this.whenModified[r] = this.moveCount;
    const angle = this.angle;
    if (angle && place > 1) {
      // The smallest circle sector around the depot holding the route's customers.
      let sectorStart = angle[loc[next[start]!]!]!;
      let sectorEnd = sectorStart;
      for (let customer = next[next[start]!]!; customer !== end; customer = next[customer]!) {
        const point = angle[loc[customer]!]!;
        if (positiveModulo(point - sectorStart) <= positiveModulo(sectorEnd - sectorStart))
          continue;
        if (positiveModulo(point - sectorEnd) <= positiveModulo(sectorStart - point))
          sectorEnd = point;
        else sectorStart = point;
      }
      this.sectorStart[r] = sectorStart;
      this.sectorEnd[r] = sectorEnd;
    }
  }
}
