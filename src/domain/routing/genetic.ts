/**
 * Hybrid genetic search in the manner of HGS-CVRP (Vidal 2022): giant tours crossed over
 * (OX), cut into routes by Split, improved by the granular local search with penalised
 * capacity excess, kept in a feasible and an infeasible subpopulation ranked by cost and by
 * contribution to diversity (broken-pairs distance); the penalty adapts so that about a fifth
 * of new solutions are feasible. The savings solution seeds the population.
 */
import { excessShare, type Instance } from './instance.js';
import { LocalSearch } from './local-search.js';
import { Random } from './random.js';
import { savingsRoutes } from './savings.js';
import { Split } from './split.js';

/** HGS-CVRP's published defaults. */
const MU = 25;
const LAMBDA = 40;
const ELITE = 4;
const CLOSEST = 5;
const TARGET_FEASIBLE = 0.2;
const PENALTY_PERIOD = 100;
const PENALTY_INCREASE = 1.2;
const PENALTY_DECREASE = 0.85;
const NO_IMPROVEMENT_RESTART = 20_000;
/** The initial population may use at most this share of a time budget. */
const INITIAL_SHARE = 0.2;

export interface GeneticOptions {
  seed: number;
  /** Absolute deadline in `now()` units (Infinity: none). */
  deadline: number;
  /** Offspring to generate after the initial population (Infinity: none). */
  iterationLimit: number;
  now: () => number;
}

export interface Individual {
  routes: Int32Array[];
  tour: Int32Array;
  distance: number;
  /** Capacity excess summed over routes, in vehicle capacities. */
  excess: number;
  cost: number;
  feasible: boolean;
  successor: Int32Array;
  predecessor: Int32Array;
  proximity: { distance: number; other: Individual }[];
  fitness: number;
}

export interface GeneticStatistics {
  savingsDistance: number;
  savingsMilliseconds: number;
  /** Distance of the savings solution after local search, and its share of the time. */
  constructionDistance: number;
  constructionMilliseconds: number;
  initialPopulation: number;
  initialMilliseconds: number;
  iterations: number;
  restarts: number;
  localSearchMoves: number;
  localSearchRuns: number;
  bestFoundMilliseconds: number;
  totalMilliseconds: number;
}

export interface GeneticResult {
  best: Individual;
  statistics: GeneticStatistics;
}

export function hybridGeneticSearch(instance: Instance, options: GeneticOptions): GeneticResult {
  return new GeneticSearch(instance, options).run();
}

class GeneticSearch {
  private readonly random: Random;
  private readonly localSearch: LocalSearch;
  private readonly splitter: Split;
  private readonly customers: number;
  private readonly minPenalty: number;
  private readonly maxPenalty: number;
  private penalty: number;
  private feasible: Individual[] = [];
  private infeasible: Individual[] = [];
  private best: Individual | null = null;
  private bestInfeasible: Individual | null = null;
  private readonly recentFeasibility: boolean[] = [];
  private readonly started: number;
  private readonly statistics: GeneticStatistics;

  constructor(
    private readonly instance: Instance,
    private readonly options: GeneticOptions,
  ) {
    this.random = new Random(options.seed);
    this.localSearch = new LocalSearch(instance, this.random);
    this.splitter = new Split(instance);
    this.customers = instance.n - 1;
    const scale = instance.maxDistance;
    this.minPenalty = scale * 1e-3;
    this.maxPenalty = scale * 1e5;
    this.penalty = Math.min(
      this.maxPenalty,
      Math.max(this.minPenalty, scale / instance.maxDemandShare),
    );
    this.started = options.now();
    this.statistics = {
      savingsDistance: 0,
      savingsMilliseconds: 0,
      constructionDistance: 0,
      constructionMilliseconds: 0,
      initialPopulation: 0,
      initialMilliseconds: 0,
      iterations: 0,
      restarts: 0,
      localSearchMoves: 0,
      localSearchRuns: 0,
      bestFoundMilliseconds: 0,
      totalMilliseconds: 0,
    };
  }

  private elapsed(): number {
    return this.options.now() - this.started;
  }

  private outOfTime(): boolean {
    return this.options.now() > this.options.deadline;
  }

  run(): GeneticResult {
    const { statistics } = this;
    // Deterministic construction, then local search on it.
    const savings = savingsRoutes(this.instance);
    const constructedOnly = this.evaluate(savings);
    statistics.savingsDistance = constructedOnly.distance;
    statistics.savingsMilliseconds = this.elapsed();
    // Kept as it is too: should the budget end inside the first local search, which may
    // cross infeasible space, the answer is still the feasible construction.
    this.add(constructedOnly, false);
    const constructed = this.improve(savings, this.penalty);
    statistics.constructionDistance = constructed.distance;
    statistics.constructionMilliseconds = this.elapsed();
    this.add(constructed, false);

    if (this.customers >= 2) {
      this.initialPopulation();
      statistics.initialMilliseconds = this.elapsed() - statistics.constructionMilliseconds;
      let sinceImprovement = 0;
      while (statistics.iterations < this.options.iterationLimit && !this.outOfTime()) {
        statistics.iterations++;
        const child = this.crossover(this.tournament(), this.tournament());
        const improved = this.improve(this.splitter.split(child, this.penalty), this.penalty);
        let isNewBest = this.add(improved, true);
        if (!improved.feasible && this.random.below(2) === 0) {
          const repaired = this.improve(improved.routes, this.penalty * 10);
          if (repaired.feasible) isNewBest = this.add(repaired, false) || isNewBest;
        }
        sinceImprovement = isNewBest ? 0 : sinceImprovement + 1;
        if (statistics.iterations % PENALTY_PERIOD === 0) this.managePenalty();
        if (sinceImprovement >= NO_IMPROVEMENT_RESTART) {
          statistics.restarts++;
          sinceImprovement = 0;
          this.feasible = [];
          this.infeasible = [];
          this.initialPopulation();
        }
      }
    }
    statistics.localSearchMoves = this.localSearch.statistics.moves;
    statistics.localSearchRuns = this.localSearch.statistics.runs;
    statistics.totalMilliseconds = this.elapsed();
    return { best: this.best ?? this.bestInfeasible!, statistics };
  }

  private initialPopulation(): void {
    const budgetEnd =
      this.options.deadline === Infinity
        ? Infinity
        : this.options.now() + (this.options.deadline - this.started) * INITIAL_SHARE;
    const tour = new Int32Array(this.customers);
    for (let i = 0; i < this.customers; i++) tour[i] = i + 1;
    for (let k = 0; k < 4 * MU; k++) {
      if (this.options.now() > budgetEnd) break;
      this.statistics.initialPopulation++;
      this.random.shuffle(tour);
      const improved = this.improve(this.splitter.split(tour, this.penalty), this.penalty);
      this.add(improved, true);
      if (!improved.feasible && this.random.below(2) === 0) {
        const repaired = this.improve(improved.routes, this.penalty * 10);
        if (repaired.feasible) this.add(repaired, false);
      }
    }
  }

  private improve(routes: readonly Int32Array[], penalty: number): Individual {
    this.localSearch.loadRoutes(routes, penalty);
    this.localSearch.run(penalty, this.options.deadline, this.options.now);
    return this.evaluate(this.localSearch.exportRoutes());
  }

  private evaluate(routes: Int32Array[]): Individual {
    const { n, dist, dims, demand } = this.instance;
    const load = new Float64Array(dims);
    const tour = new Int32Array(this.customers);
    const successor = new Int32Array(n);
    const predecessor = new Int32Array(n);
    let distance = 0;
    let excess = 0;
    for (let slot = 0; slot < routes.length; slot++) {
      const route = routes[slot]!;
      if (route.length === 0) continue;
      load.fill(0);
      let previous = 0;
      for (let k = 0; k < route.length; k++) {
        const customer = route[k]!;
        distance += dist[previous * n + customer]!;
        for (let d = 0; d < dims; d++) load[d] = load[d]! + demand[customer * dims + d]!;
        predecessor[customer] = previous;
        if (previous !== 0) successor[previous] = customer;
        previous = customer;
      }
      successor[previous] = 0;
      distance += dist[previous * n]!;
      excess += excessShare(this.instance, slot, load);
    }
    // The giant tour lists routes by the direction of their barycentre from the depot (when
    // coordinates are known), so that crossover keeps neighbouring routes together.
    const order = routes.map((_, slot) => slot).filter((slot) => routes[slot]!.length > 0);
    const coordinates = this.instance.coordinates;
    if (coordinates) {
      const [x0, y0] = coordinates[0]!;
      const direction = order.map((slot) => {
        let x = 0;
        let y = 0;
        for (const customer of routes[slot]!) {
          x += coordinates[customer]![0];
          y += coordinates[customer]![1];
        }
        const count = routes[slot]!.length;
        return Math.atan2(y / count - y0, x / count - x0);
      });
      const byDirection = order.map((slot, index) => ({ slot, angle: direction[index]! }));
      byDirection.sort((a, b) => a.angle - b.angle || a.slot - b.slot);
      for (let k = 0; k < order.length; k++) order[k] = byDirection[k]!.slot;
    }
    let position = 0;
    for (const slot of order) {
      const route = routes[slot]!;
      for (let k = 0; k < route.length; k++) tour[position++] = route[k]!;
    }
    return {
      routes,
      tour,
      distance,
      excess,
      cost: distance + this.penalty * excess,
      feasible: excess <= 0,
      successor,
      predecessor,
      proximity: [],
      fitness: 0,
    };
  }

  /** Ordered crossover: a slice of the first parent's tour kept in place, the rest in the second's order. */
  private crossover(first: Individual, second: Individual): Int32Array {
    const size = this.customers;
    const child = new Int32Array(size);
    const taken = new Uint8Array(size + 1);
    const start = this.random.below(size);
    let end = this.random.below(size);
    while (end === start) end = this.random.below(size);
    let j = start;
    while (j % size !== (end + 1) % size) {
      const customer = first.tour[j % size]!;
      child[j % size] = customer;
      taken[customer] = 1;
      j++;
    }
    for (let i = 1; i <= size; i++) {
      const customer = second.tour[(end + i) % size]!;
      if (taken[customer]) continue;
      child[j % size] = customer;
      j++;
    }
    return child;
  }

  private tournament(): Individual {
    this.updateFitness(this.feasible);
    this.updateFitness(this.infeasible);
    const total = this.feasible.length + this.infeasible.length;
    const pick = () => {
      const index = this.random.below(total);
      return index < this.feasible.length
        ? this.feasible[index]!
        : this.infeasible[index - this.feasible.length]!;
    };
    const a = pick();
    const b = pick();
    return a.fitness < b.fitness ? a : b;
  }

  /** Adds a solution to its subpopulation; true when it is the new best feasible one. */
  private add(individual: Individual, countFeasibility: boolean): boolean {
    if (countFeasibility) {
      this.recentFeasibility.push(individual.feasible);
      if (this.recentFeasibility.length > PENALTY_PERIOD) this.recentFeasibility.shift();
    }
    const population = individual.feasible ? this.feasible : this.infeasible;
    for (const other of population) {
      const distance = this.brokenPairs(individual, other);
      insertByDistance(individual.proximity, { distance, other });
      insertByDistance(other.proximity, { distance, other: individual });
    }
    let place = population.length;
    while (place > 0 && population[place - 1]!.cost > individual.cost - 1e-9) place--;
    population.splice(place, 0, individual);
    if (population.length > MU + LAMBDA) {
      while (population.length > MU) this.removeWorst(population);
    }
    if (!individual.feasible) {
      if (!this.bestInfeasible || individual.excess < this.bestInfeasible.excess)
        this.bestInfeasible = individual;
      return false;
    }
    if (!this.best || individual.distance < this.best.distance - 1e-9) {
      this.best = individual;
      this.statistics.bestFoundMilliseconds = this.elapsed();
      return true;
    }
    return false;
  }

  private brokenPairs(a: Individual, b: Individual): number {
    let differences = 0;
    for (let j = 1; j <= this.customers; j++) {
      if (a.successor[j] !== b.successor[j] && a.successor[j] !== b.predecessor[j]) differences++;
      if (a.predecessor[j] === 0 && b.predecessor[j] !== 0 && b.successor[j] !== 0) differences++;
    }
    return differences / this.customers;
  }

  private averageClosest(individual: Individual, count: number): number {
    const size = Math.min(count, individual.proximity.length);
    if (size === 0) return 0;
    let sum = 0;
    for (let i = 0; i < size; i++) sum += individual.proximity[i]!.distance;
    return sum / size;
  }

  private updateFitness(population: Individual[]): void {
    const size = population.length;
    if (size === 1) population[0]!.fitness = 0;
    if (size <= 1) return;
    const ranking = population
      .map((individual, index) => ({ diversity: -this.averageClosest(individual, CLOSEST), index }))
      .sort((a, b) => a.diversity - b.diversity || a.index - b.index);
    for (let i = 0; i < size; i++) {
      const diversityRank = i / (size - 1);
      const costRank = ranking[i]!.index / (size - 1);
      population[ranking[i]!.index]!.fitness =
        size <= ELITE ? costRank : costRank + (1 - ELITE / size) * diversityRank;
    }
  }

  private removeWorst(population: Individual[]): void {
    this.updateFitness(population);
    let worst = 1;
    let worstIsClone = false;
    let worstFitness = -1;
    for (let i = 1; i < population.length; i++) {
      const individual = population[i]!;
      const isClone = this.averageClosest(individual, 1) < 1e-4;
      if (
        (isClone && !worstIsClone) ||
        (isClone === worstIsClone && individual.fitness > worstFitness)
      ) {
        worst = i;
        worstIsClone = isClone;
        worstFitness = individual.fitness;
      }
    }
    const [removed] = population.splice(worst, 1);
    for (const other of population) {
      const index = other.proximity.findIndex((entry) => entry.other === removed);
      if (index >= 0) other.proximity.splice(index, 1);
    }
  }

  private managePenalty(): void {
    const feasibleShare =
      this.recentFeasibility.filter(Boolean).length / Math.max(1, this.recentFeasibility.length);
    if (feasibleShare < TARGET_FEASIBLE - 0.05) {
      this.penalty = Math.min(this.maxPenalty, this.penalty * PENALTY_INCREASE);
    } else if (feasibleShare > TARGET_FEASIBLE + 0.05) {
      this.penalty = Math.max(this.minPenalty, this.penalty * PENALTY_DECREASE);
    }
    for (const individual of this.infeasible)
      individual.cost = individual.distance + this.penalty * individual.excess;
    this.infeasible.sort((a, b) => a.cost - b.cost);
  }
}

function insertByDistance(
  list: { distance: number; other: Individual }[],
  entry: { distance: number; other: Individual },
): void {
  let place = list.length;
  while (place > 0 && list[place - 1]!.distance > entry.distance) place--;
  list.splice(place, 0, entry);
}
