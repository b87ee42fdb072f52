/**
 * `npm run bench -- routes`: the routing solver on every CVRPLIB instance in
 * ../shared/data/cvrplib (beside the clone; AWN_CVRPLIB_DIR overrides), 5 s each and 30 s
 * for instances over 1,000 customers, as `awn routes solve` runs them (one seed, in this
 * process). Each answer is checked independently (every customer once, capacity, cost) and
 * compared with the best known cost in bks.csv. The target (issue 14): mean gap at most 2%
 * over the X instances up to 502 customers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cvrplibRoutes,
  cvrpProblem,
  parseCvrplib,
  type CvrpInstance,
} from '../src/domain/routing/cvrplib.js';
import { roundedEuclideanMatrix } from '../src/domain/routing/distance.js';
import { solveRouting } from '../src/domain/routing/solve.js';
import { formatCount, markdownTable, type Benchmark } from './harness.js';

const repository = fileURLToPath(new URL('..', import.meta.url));
const folder = process.env.AWN_CVRPLIB_DIR ?? join(repository, '..', 'shared', 'data', 'cvrplib');
const seed = 1;

/** The budget for an instance of `dimension` nodes. */
function secondsFor(dimension: number): number {
  return dimension > 1000 ? 30 : 5;
}

function bestKnown(): Map<string, number> {
  const lines = readFileSync(join(folder, 'bks.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((cell) => cell.trim());
  const nameColumn = header.indexOf('instance');
  const costColumn = header.indexOf('bks_cost');
  return new Map(
    lines.slice(1).map((line) => {
      const cells = line.split(',').map((cell) => cell.trim());
      return [cells[nameColumn]!, Number(cells[costColumn])];
    }),
  );
}

/** Recomputes the routes' cost from scratch; throws on a missing or repeated customer or an overload. */
function checkedCost(instance: CvrpInstance, routes: number[][]): number {
  const matrix = roundedEuclideanMatrix(instance.coordinates);
  const seen = new Uint8Array(instance.demands.length);
  let cost = 0;
  for (const route of routes) {
    let load = 0;
    let previous = 0;
    for (const customer of route) {
      if (customer < 1 || customer >= seen.length || seen[customer])
        throw new Error(`customer ${customer} twice or unknown`);
      seen[customer] = 1;
      load += instance.demands[customer]!;
      cost += matrix.values[previous * matrix.size + customer]!;
      previous = customer;
    }
    cost += matrix.values[previous * matrix.size]!;
    if (load > instance.capacity) throw new Error(`a route carries ${load} > ${instance.capacity}`);
  }
  if (seen.indexOf(0, 1) !== -1) throw new Error(`customer ${seen.indexOf(0, 1)} not visited`);
  return cost;
}

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(2);

async function run(): Promise<string> {
  const heading = '## Vehicle routing (CVRPLIB X instances)';
  if (!existsSync(join(folder, 'bks.csv'))) {
    return [
      heading,
      '',
      `Not measured: no CVRPLIB folder at \`${folder}\` (place \`shared/data/cvrplib/\` beside the clone, or set AWN_CVRPLIB_DIR).`,
    ].join('\n');
  }
  const bks = bestKnown();
  const instances = readdirSync(folder)
    .filter((file) => file.endsWith('.vrp'))
    .map((file) => {
      const instance = parseCvrplib(readFileSync(join(folder, file), 'utf8'));
      return { name: instance.name || file.slice(0, -4), instance };
    })
    .sort((a, b) => a.instance.demands.length - b.instance.demands.length);

  const rows: string[][] = [];
  const gaps = new Map<string, number>();
  for (const { name, instance } of instances) {
    const budget = secondsFor(instance.demands.length);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const solution = solveRouting(cvrpProblem(instance), { timeLimitMs: budget * 1000, seed });
    const cpu = process.cpuUsage(cpuBefore);
    // On a shared machine the solver gets only part of a core: say how much it had.
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    const cost = checkedCost(instance, cvrplibRoutes(solution));
    if (cost !== solution.cost)
      throw new Error(`${name}: printed cost ${solution.cost}, recomputed ${cost}`);
    const best = bks.get(name);
    const gap = best === undefined ? Number.NaN : cost / best - 1;
    gaps.set(name, gap);
    const s = solution.statistics;
    const gapOf = (value: number) => (best === undefined ? '?' : percent(value / best - 1));
    rows.push([
      name,
      String(instance.demands.length - 1),
      `${budget} s`,
      formatCount(best ?? Number.NaN),
      formatCount(cost),
      `**${percent(gap)}**`,
      String(solution.routes.length),
      solution.feasible ? 'yes' : 'NO',
      gapOf(s.savingsDistance),
      gapOf(s.constructionDistance),
      seconds(s.constructionMilliseconds),
      `${s.initialPopulation} in ${seconds(s.initialMilliseconds)}`,
      formatCount(s.iterations),
      formatCount(s.localSearchMoves),
      seconds(s.bestFoundMilliseconds),
      `${Math.round(cpuShare * 100)}%`,
    ]);
    console.log(`routes: ${name} cost ${cost} gap ${percent(gap)} (${s.iterations} iterations)`);
  }

  const targetSet = instances.filter(
    ({ name, instance }) => name.startsWith('X-') && instance.demands.length <= 502,
  );
  const targetGaps = targetSet.map(({ name }) => gaps.get(name)!);
  const mean = targetGaps.reduce((sum, gap) => sum + gap, 0) / targetGaps.length;
  const worst = Math.max(...targetGaps);
  const allGaps = [...gaps.values()];
  const meanAll = allGaps.reduce((sum, gap) => sum + gap, 0) / allGaps.length;
  return [
    heading,
    '',
    `\`awn routes solve FILE --seconds N --seed ${seed}\` on each instance, one after the other in one process (hybrid genetic search: savings, granular local search with SWAP*, Split, OX crossover, penalised capacity). Load average at the end: ${loadavg()[0]!.toFixed(2)}; *CPU share* is the CPU time the solver got over its wall-clock budget (other work on the machine takes the rest). Every answer is re-checked (each customer once, capacity, cost recomputed).`,
    '',
    `**Mean gap ${percent(mean)}, worst ${percent(worst)}** over the ${targetSet.length} X instances up to 502 customers at 5 s each (target: mean at most 2%: ${mean <= 0.02 ? 'met' : 'NOT met'}); mean over all ${allGaps.length}: ${percent(meanAll)}.`,
    '',
    'Where the time goes: *savings* is the Clarke-Wright construction alone, *constructed* that solution after the local search (its gap and the seconds since the start); then the initial population (random giant tours, split and improved; at most a fifth of the budget) and the genetic iterations (one crossover, split and local search each) until the budget ends.',
    '',
    markdownTable(
      [
        'instance',
        'customers',
        'budget',
        'BKS',
        'cost',
        'gap',
        'routes',
        'feasible',
        'savings',
        'constructed',
        'constructed at (s)',
        'initial population (s)',
        'iterations',
        'local-search moves',
        'best found at (s)',
        'CPU share',
      ],
      rows,
    ),
  ].join('\n');
}

export const routesBenchmark: Benchmark = { name: 'routes', run };
