import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CvrplibFormatError,
  formatCvrplibSolution,
  parseCvrplib,
  parseCvrplibSolution,
  type CvrpInstance,
} from './cvrplib.js';
import { roundedEuclideanMatrix } from './distance.js';

const fixtures = join(import.meta.dirname, '../../../test/fixtures/cvrplib');
const shipped =
  process.env.AWN_CVRPLIB_DIR ?? join(import.meta.dirname, '../../../../shared/data/cvrplib');

function costOf(instance: CvrpInstance, routes: number[][]): number {
  const matrix = roundedEuclideanMatrix(instance.coordinates);
  const size = matrix.size;
  let cost = 0;
  for (const route of routes) {
    let previous = 0;
    for (const customer of route) {
      cost += matrix.values[previous * size + customer]!;
      previous = customer;
    }
    cost += matrix.values[previous * size]!;
  }
  return cost;
}

function checkAgainstSolution(folder: string, name: string) {
  const instance = parseCvrplib(readFileSync(join(folder, `${name}.vrp`), 'utf8'));
  const solution = parseCvrplibSolution(readFileSync(join(folder, `${name}.sol`), 'utf8'));
  const dimension = Number(/-n(\d+)-/.exec(name)![1]);
  expect(instance.coordinates).toHaveLength(dimension);
  expect(instance.demands[0]).toBe(0);
  // Every customer once, within capacity, and the stated cost recomputed exactly.
  const visited = solution.routes.flat().sort((a, b) => a - b);
  expect(visited).toEqual(Array.from({ length: dimension - 1 }, (_, i) => i + 1));
  for (const route of solution.routes) {
    expect(
      route.reduce((sum, customer) => sum + instance.demands[customer]!, 0),
    ).toBeLessThanOrEqual(instance.capacity);
  }
  expect(costOf(instance, solution.routes)).toBe(solution.cost);
}

describe('parseCvrplib', () => {
  it('reads X-n101-k25 and reproduces its best-known cost', () => {
    const instance = parseCvrplib(readFileSync(join(fixtures, 'X-n101-k25.vrp'), 'utf8'));
    expect(instance.name).toBe('X-n101-k25');
    expect(instance.capacity).toBe(206);
    expect(instance.coordinates[0]).toEqual([365, 689]);
    expect(instance.coordinates[1]).toEqual([146, 180]);
    checkAgainstSolution(fixtures, 'X-n101-k25');
  });

  (existsSync(shipped) ? it : it.skip)('reads every shipped instance and its .sol', () => {
    const names = readdirSync(shipped)
      .filter((file) => file.endsWith('.vrp'))
      .map((file) => file.slice(0, -4));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) checkAgainstSolution(shipped, name);
  });

  const valid = [
    'NAME : tiny',
    'TYPE : CVRP',
    'DIMENSION : 3',
    'EDGE_WEIGHT_TYPE : EUC_2D',
    'CAPACITY : 10',
    'NODE_COORD_SECTION',
    '1 0 0',
    '2 3 4',
    '3 6 8',
    'DEMAND_SECTION',
    '1 0',
    '2 4',
    '3 5',
    'DEPOT_SECTION',
    '1',
    '-1',
    'EOF',
  ];

  it('reads a minimal file with tabs and CRLF line ends', () => {
    const instance = parseCvrplib(valid.map((line) => line.replace(/ /g, '\t')).join('\r\n'));
    expect(instance).toEqual({
      name: 'tiny',
      capacity: 10,
      coordinates: [
        [0, 0],
        [3, 4],
        [6, 8],
      ],
      demands: [0, 4, 5],
    });
  });

  const broken: [string, (lines: string[]) => string[], number, RegExp][] = [
    ['a word for a coordinate', (l) => l.with(7, '2 three 4'), 8, /x must be a number/],
    ['a node id beyond DIMENSION', (l) => l.with(8, '4 6 8'), 9, /outside 1\.\.3/],
    ['a node given twice', (l) => l.with(8, '2 6 8'), 9, /coordinates twice/],
    ['a missing coordinate column', (l) => l.with(6, '1 0'), 7, /"id x y"/],
    ['a negative demand', (l) => l.with(11, '2 -4'), 12, /not be negative/],
    ['an unsupported distance', (l) => l.with(3, 'EDGE_WEIGHT_TYPE : GEO'), 4, /not supported/],
    [
      'an unknown keyword',
      (l) => l.with(1, 'SERVICE_TIME : 10'),
      2,
      /unknown or unsupported keyword SERVICE_TIME/,
    ],
    ['a missing CAPACITY', (l) => l.toSpliced(4, 1), 16, /CAPACITY is missing/],
    ['a zero CAPACITY', (l) => l.with(4, 'CAPACITY : 0'), 5, /CAPACITY must be positive/],
    ['a missing demand', (l) => l.toSpliced(12, 1), 16, /node 3 has no demand/],
    ['a depot other than node 1', (l) => l.with(14, '2'), 17, /must name node 1/],
    ['data before any section', (l) => ['1 2 3', ...l], 1, /outside a section/],
    ['sections before DIMENSION', (l) => l.toSpliced(2, 1), 5, /DIMENSION must come before/],
  ];
  for (const [what, edit, line, message] of broken) {
    it(`names the line of ${what}`, () => {
      let thrown: unknown;
      try {
        parseCvrplib(edit([...valid]).join('\n'));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CvrplibFormatError);
      expect((thrown as CvrplibFormatError).line).toBe(line);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).toMatch(new RegExp(`^line ${line}: `));
    });
  }

  it('answers an instance or a CvrplibFormatError for any corruption of a valid file', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.string({ maxLength: 12 }), (index, replacement) => {
        try {
          parseCvrplib(valid.with(index, replacement).join('\n'));
        } catch (error) {
          expect(error).toBeInstanceOf(CvrplibFormatError);
        }
      }),
    );
  });
});

describe('formatCvrplibSolution', () => {
  it('numbers routes from 1, skips empty ones and ends with the cost', () => {
    expect(formatCvrplibSolution([[3, 1], [], [2]], 42)).toBe(
      'Route #1: 3 1\nRoute #2: 2\nCost 42\n',
    );
    expect(parseCvrplibSolution('Route #1: 3 1\nRoute #2: 2\nCost 42\n')).toEqual({
      routes: [[3, 1], [2]],
      cost: 42,
    });
  });
});
