/** `awn routes solve FILE.vrp`: solve a CVRPLIB instance and print the solution in CVRPLIB's .sol format. */
import { readFile } from 'node:fs/promises';
import {
  CvrplibFormatError,
  cvrplibRoutes,
  cvrpProblem,
  formatCvrplibSolution,
  parseCvrplib,
} from '../domain/routing/cvrplib.js';
import { solveRouting } from '../domain/routing/solve.js';
import { toAsciiDigits } from '../domain/text/arabic.js';

export interface SolveRoutesOptions {
  seconds: string;
  seed: string;
}

function parsePositive(name: string, text: string, integer: boolean): number {
  const value = Number(toAsciiDigits(text.trim()));
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `--${name} must be a ${integer ? 'whole number' : 'number'} >= 0, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Prints the .sol text on standard output and a one-line summary on standard error. */
export async function solveRoutesCommand(
  file: string,
  options: SolveRoutesOptions,
): Promise<number> {
  const seconds = parsePositive('seconds', options.seconds, false);
  const seed = parsePositive('seed', options.seed, true);
  const text = await readFile(file, 'utf8');
  let instance;
  try {
    instance = parseCvrplib(text);
  } catch (error) {
    if (error instanceof CvrplibFormatError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
  const solution = solveRouting(cvrpProblem(instance), { timeLimitMs: seconds * 1000, seed });
  process.stdout.write(formatCvrplibSolution(cvrplibRoutes(solution), solution.cost));
  const { statistics } = solution;
  console.error(
    `${instance.name || file}: ${solution.routes.length} routes, cost ${solution.cost}, ` +
      `${solution.feasible ? 'feasible' : 'INFEASIBLE'}, ${statistics.iterations} iterations in ` +
      `${(statistics.totalMilliseconds / 1000).toFixed(1)} s (best after ${(statistics.bestFoundMilliseconds / 1000).toFixed(1)} s)`,
  );
  return solution.feasible ? 0 : 2;
}
