import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCvrplib, parseCvrplibSolution } from '../../src/domain/routing/cvrplib.js';
import { roundedEuclideanMatrix } from '../../src/domain/routing/distance.js';

const bin = join(import.meta.dirname, '../../bin/awn.js');
const fixture = join(import.meta.dirname, '../fixtures/cvrplib/X-n101-k25.vrp');

function awn(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('awn routes solve', () => {
  const folder = mkdtempSync(join(tmpdir(), 'awn-routes-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('prints a feasible CVRPLIB .sol whose cost is the recomputed cost', () => {
    const { code, stdout, stderr } = awn([
      'routes',
      'solve',
      fixture,
      '--seconds',
      '0.5',
      '--seed',
      '٧',
    ]);
    expect(stderr).toMatch(/feasible/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Route #1: \d+( \d+)*\n/);
    expect(stdout).toMatch(/\nCost \d+\n$/);
    const instance = parseCvrplib(readFileSync(fixture, 'utf8'));
    const { routes, cost } = parseCvrplibSolution(stdout);
    expect(routes.flat().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const matrix = roundedEuclideanMatrix(instance.coordinates);
    let recomputed = 0;
    for (const route of routes) {
      expect(
        route.reduce((sum, customer) => sum + instance.demands[customer]!, 0),
      ).toBeLessThanOrEqual(206);
      let previous = 0;
      for (const customer of route) {
        recomputed += matrix.values[previous * 101 + customer]!;
        previous = customer;
      }
      recomputed += matrix.values[previous * 101]!;
    }
    expect(cost).toBe(recomputed);
    // Within 10% of the best known cost (27591) even in half a second.
    expect(cost).toBeLessThan(27_591 * 1.1);
  });

  it('names the line of a malformed file, and refuses a bad --seconds', () => {
    const broken = join(folder, 'broken.vrp');
    writeFileSync(broken, readFileSync(fixture, 'utf8').replace('\n4\t658\t510', '\n4\t658\tfive'));
    const result = awn(['routes', 'solve', broken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${broken}: line 11: y must be a number, got "five"`);
    const seconds = awn(['routes', 'solve', fixture, '--seconds', 'soon']);
    expect(seconds.code).toBe(1);
    expect(seconds.stderr).toContain('--seconds must be a number');
  });
});
