import { describe, expect, it } from 'vitest';
import { roundedEuclideanMatrix } from '../../domain/routing/distance.js';
import { solveRouting } from '../../domain/routing/solve.js';
import { solveRoutingInWorker } from './routing.worker.js';

describe('solveRoutingInWorker', () => {
  const points: [number, number][] = Array.from({ length: 40 }, (_, i) => [
    (i * 37) % 101,
    (i * 59) % 97,
  ]);
  const problem = {
    demands: points.slice(1).map((_, i) => [1 + (i % 3)]),
    vehicles: [{ capacity: [12], count: Infinity }],
    distance: roundedEuclideanMatrix(points),
  };

  it('answers what the solver answers on this thread, while the event loop keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const options = { iterationLimit: 200, seed: 9 };
    const solution = await solveRoutingInWorker(problem, options);
    clearInterval(timer);
    expect(solution.feasible).toBe(true);
    expect(solution.routes).toEqual(solveRouting(problem, options).routes);
    expect(ticks).toBeGreaterThan(0);
  });

  it('rejects with the solver error for a malformed problem', async () => {
    await expect(solveRoutingInWorker({ ...problem, vehicles: [] })).rejects.toMatchObject({
      name: 'RoutingInputError',
      path: 'vehicles',
    });
  });
});
