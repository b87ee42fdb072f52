/**
 * CVRPLIB instances (TSPLIB format) in, CVRPLIB solutions (.sol) out. Pure text functions:
 * the caller reads and writes the files.
 */
import { roundedEuclideanMatrix } from './distance.js';
import type { RoutingProblem, RoutingSolution } from './solve.js';

/** A parsed CVRP instance: node i (0-based) is TSPLIB node i + 1; node 0 is the depot. */
export interface CvrpInstance {
  name: string;
  capacity: number;
  /** x, y of every node, depot first. */
  coordinates: [number, number][];
  /** Demand of every node, depot first (always 0). */
  demands: number[];
}

/** A malformed instance file; `line` is 1-based. */
export class CvrplibFormatError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'CvrplibFormatError';
  }
}

type Section = 'NODE_COORD_SECTION' | 'DEMAND_SECTION' | 'DEPOT_SECTION';
const sections = new Set<string>(['NODE_COORD_SECTION', 'DEMAND_SECTION', 'DEPOT_SECTION']);
/** Specification keys that do not change the problem. */
const ignoredKeys = new Set(['NAME', 'COMMENT', 'VEHICLES']);

function parseNumber(token: string | undefined, line: number, what: string): number {
  const value = token === undefined || token === '' ? Number.NaN : Number(token);
  if (!Number.isFinite(value)) {
    throw new CvrplibFormatError(
      line,
      `${what} must be a number, got ${JSON.stringify(token ?? '')}`,
    );
  }
  return value;
}

function parseNodeId(token: string | undefined, line: number, dimension: number): number {
  const id = parseNumber(token, line, 'node id');
  if (!Number.isInteger(id) || id < 1 || id > dimension) {
    throw new CvrplibFormatError(line, `node id ${token} is outside 1..${dimension} (DIMENSION)`);
  }
  return id;
}

/**
 * Parses a CVRP instance in TSPLIB format (NODE_COORD_SECTION, DEMAND_SECTION, DEPOT_SECTION,
 * EDGE_WEIGHT_TYPE EUC_2D, CAPACITY). Throws CvrplibFormatError naming the offending line.
 * The depot must be node 1, as CVRPLIB's .sol numbering assumes.
 */
export function parseCvrplib(text: string): CvrpInstance {
  const lines = text.split(/\r?\n/);
  let name = '';
  let dimension = 0;
  let capacity = 0;
  let edgeWeightType = '';
  let section: Section | null = null;
  let coordinates: ([number, number] | undefined)[] = [];
  let demands: (number | undefined)[] = [];
  const depots: number[] = [];
  let depotClosed = false;
  let lineNumber = 0;

  const requireDimension = (line: number) => {
    if (dimension === 0)
      throw new CvrplibFormatError(line, 'DIMENSION must come before the sections');
  };

  for (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    if (line === 'EOF') break;
    const keyMatch = /^([A-Z_]+)\s*(?::\s*(.*))?$/.exec(line);
    if (keyMatch) {
      const key = keyMatch[1]!;
      const value = (keyMatch[2] ?? '').trim();
      if (sections.has(key)) {
        requireDimension(lineNumber);
        if (key === 'NODE_COORD_SECTION' && edgeWeightType !== 'EUC_2D') {
          throw new CvrplibFormatError(
            lineNumber,
            'EDGE_WEIGHT_TYPE : EUC_2D must come before NODE_COORD_SECTION',
          );
        }
        section = key as Section;
        continue;
      }
      section = null;
      if (ignoredKeys.has(key)) {
        if (key === 'NAME') name = value;
        continue;
      }
      switch (key) {
        case 'TYPE':
          if (value !== 'CVRP')
            throw new CvrplibFormatError(lineNumber, `TYPE ${value} is not supported (only CVRP)`);
          continue;
        case 'DIMENSION': {
          const parsed = parseNumber(value, lineNumber, 'DIMENSION');
          if (!Number.isInteger(parsed) || parsed < 1) {
            throw new CvrplibFormatError(
              lineNumber,
              `DIMENSION must be a positive integer, got ${value}`,
            );
          }
          dimension = parsed;
          coordinates = new Array(dimension).fill(undefined);
          demands = new Array(dimension).fill(undefined);
          continue;
        }
        case 'CAPACITY': {
          const parsed = parseNumber(value, lineNumber, 'CAPACITY');
          if (!(parsed > 0))
            throw new CvrplibFormatError(lineNumber, `CAPACITY must be positive, got ${value}`);
          capacity = parsed;
          continue;
        }
        case 'EDGE_WEIGHT_TYPE':
          if (value !== 'EUC_2D') {
            throw new CvrplibFormatError(
              lineNumber,
              `EDGE_WEIGHT_TYPE ${value} is not supported (only EUC_2D)`,
            );
          }
          edgeWeightType = value;
          continue;
        default:
          throw new CvrplibFormatError(lineNumber, `unknown or unsupported keyword ${key}`);
      }
    }
    const tokens = line.split(/\s+/);
    switch (section) {
      case 'NODE_COORD_SECTION': {
        if (tokens.length !== 3) {
          throw new CvrplibFormatError(
            lineNumber,
            `expected "id x y" in NODE_COORD_SECTION, got "${line}"`,
          );
        }
        const id = parseNodeId(tokens[0], lineNumber, dimension);
        if (coordinates[id - 1])
          throw new CvrplibFormatError(lineNumber, `node ${id} has coordinates twice`);
        coordinates[id - 1] = [
          parseNumber(tokens[1], lineNumber, 'x'),
          parseNumber(tokens[2], lineNumber, 'y'),
        ];
        break;
      }
      case 'DEMAND_SECTION': {
        if (tokens.length !== 2) {
          throw new CvrplibFormatError(
            lineNumber,
            `expected "id demand" in DEMAND_SECTION, got "${line}"`,
          );
        }
        const id = parseNodeId(tokens[0], lineNumber, dimension);
        if (demands[id - 1] !== undefined)
          throw new CvrplibFormatError(lineNumber, `node ${id} has a demand twice`);
        const demand = parseNumber(tokens[1], lineNumber, 'demand');
        if (demand < 0)
          throw new CvrplibFormatError(lineNumber, `demand must not be negative, got ${demand}`);
        demands[id - 1] = demand;
        break;
      }
      case 'DEPOT_SECTION': {
        for (const token of tokens) {
          if (depotClosed)
            throw new CvrplibFormatError(lineNumber, 'DEPOT_SECTION continues after -1');
          if (token === '-1') {
            depotClosed = true;
            continue;
          }
          depots.push(parseNodeId(token, lineNumber, dimension));
        }
        break;
      }
      default:
        throw new CvrplibFormatError(lineNumber, `unexpected data outside a section: "${line}"`);
    }
  }

  const end = lineNumber;
  if (dimension === 0) throw new CvrplibFormatError(end, 'DIMENSION is missing');
  if (capacity === 0) throw new CvrplibFormatError(end, 'CAPACITY is missing');
  if (edgeWeightType === '') throw new CvrplibFormatError(end, 'EDGE_WEIGHT_TYPE is missing');
  const missingCoordinate = coordinates.findIndex((point) => point === undefined);
  if (missingCoordinate >= 0) {
    throw new CvrplibFormatError(
      end,
      `node ${missingCoordinate + 1} has no coordinates in NODE_COORD_SECTION`,
    );
  }
  const missingDemand = demands.findIndex((demand) => demand === undefined);
  if (missingDemand >= 0) {
    throw new CvrplibFormatError(end, `node ${missingDemand + 1} has no demand in DEMAND_SECTION`);
  }
  if (depots.length !== 1 || depots[0] !== 1) {
    throw new CvrplibFormatError(
      end,
      `DEPOT_SECTION must name node 1 as the only depot, got ${depots.join(', ') || 'none'}`,
    );
  }
  if (demands[0] !== 0)
    throw new CvrplibFormatError(end, `the depot (node 1) must have demand 0, got ${demands[0]}`);
  return {
    name,
    capacity,
    coordinates: coordinates as [number, number][],
    demands: demands as number[],
  };
}

/**
 * A solution in CVRPLIB's .sol format: `Route #k: c1 c2 ...` per non-empty route, customers
 * numbered 1..n-1 (customer c is instance node c + 1, i.e. our node index c), then `Cost N`.
 */
export function formatCvrplibSolution(
  routes: readonly (readonly number[])[],
  cost: number,
): string {
  const lines: string[] = [];
  for (const route of routes) {
    if (route.length === 0) continue;
    lines.push(`Route #${lines.length + 1}: ${route.join(' ')}`);
  }
  lines.push(`Cost ${cost}`);
  return `${lines.join('\n')}\n`;
}

/** Reads a .sol file back: customer numbers per route and the stated cost. */
export function parseCvrplibSolution(text: string): { routes: number[][]; cost: number } {
  const routes: number[][] = [];
  let cost = Number.NaN;
  let lineNumber = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    const route = /^Route\s*#\d+\s*:(.*)$/i.exec(line);
    if (route) {
      routes.push(
        route[1]!
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((token) => parseNumber(token, lineNumber, 'customer')),
      );
      continue;
    }
    const costMatch = /^Cost\s+(\S+)$/i.exec(line);
    if (costMatch) {
      cost = parseNumber(costMatch[1], lineNumber, 'cost');
      continue;
    }
    throw new CvrplibFormatError(lineNumber, `expected "Route #k: ..." or "Cost N", got "${line}"`);
  }
  return { routes, cost };
}

/** The instance as a routing problem: rounded Euclidean distances, as many vehicles as needed. */
export function cvrpProblem(instance: CvrpInstance): RoutingProblem {
  return {
    demands: instance.demands.slice(1).map((demand) => [demand]),
    vehicles: [{ capacity: [instance.capacity], count: Infinity }],
    distance: roundedEuclideanMatrix(instance.coordinates),
    coordinates: instance.coordinates,
  };
}

/** CVRPLIB customer numbers per route (stop s is customer s + 1, instance node s + 2). */
export function cvrplibRoutes(solution: RoutingSolution): number[][] {
  return solution.routes.map((route) => route.stops.map((stop) => stop + 1));
}
