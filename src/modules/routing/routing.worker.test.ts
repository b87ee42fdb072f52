import { describe, expect, it } from 'vitest';
import { roundedEuclideanMatrix } from '../../domain/routing/distance.js';
import { solveRouting } from '../../domain/routing/solve.js';
import { RoutingBusyError, RoutingPool, solveRoutingInWorker } from './routing.worker.js';

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
  const options = { iterationLimit: 200, seed: 9 };

  it('answers what the solver answers on this thread, while the event loop keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
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

describe('RoutingPool', () => {
  const points: [number, number][] = Array.from({ length: 30 }, (_, i) => [
    (i * 13) % 61,
    (i * 29) % 53,
  ]);
  const problem = {
    demands: points.slice(1).map(() => [1]),
    vehicles: [{ capacity: [8], count: Infinity }],
    distance: roundedEuclideanMatrix(points),
  };
  const job = { problem, options: { iterationLimit: 50, seed: 3 } };

  it('keeps one thread across solves, and solves several problems in one message', async () => {
    const pool = new RoutingPool({ threads: 1, queue: 4 });
    try {
      const first = await pool.solve([job]);
      const second = await pool.solve([job, job]);
      expect(second.threadId).toBe(first.threadId);
      expect(second.solutions).toHaveLength(2);
      expect(second.solutions[1]!.routes).toEqual(first.solutions[0]!.routes);
      // A solver error fails that message only; the thread stays.
      await expect(pool.solve([{ problem: { ...problem, vehicles: [] } }])).rejects.toMatchObject({
        name: 'RoutingInputError',
      });
      expect((await pool.solve([job])).threadId).toBe(first.threadId);
    } finally {
      await pool.close();
    }
  });

  it('refuses a solve past threads + queue at once', async () => {
    const pool = new RoutingPool({ threads: 1, queue: 1 });
    try {
      const long = { problem, options: { timeLimitMs: 300, seed: 1 } };
      const running = [pool.solve([long]), pool.solve([long])];
      await expect(pool.solve([long])).rejects.toBeInstanceOf(RoutingBusyError);
      await Promise.all(running);
    } finally {
      await pool.close();
    }
  });

  it('fails only the message of a thread that crashed; the next solve gets a fresh thread', async () => {
    const pool = new RoutingPool({ threads: 1, queue: 4 });
    try {
      const before = await pool.solve([job]);
      const crashing = pool.solve([{ problem, options: { timeLimitMs: 5000, seed: 1 } }]);
      const worker = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] })
        .slots[0]!.worker;
      // Kill the thread mid-search, from outside, as a crash would.
      setTimeout(() => void worker.terminate(), 200);
      await expect(crashing).rejects.toThrow(/exited/);
      const after = await pool.solve([job]);
      expect(after.threadId).not.toBe(before.threadId);
      expect(after.solutions[0]!.routes).toEqual(before.solutions[0]!.routes);
    } finally {
      await pool.close();
    }
  });

  it('close ends the thread and fails the solve it was running', async () => {
    const pool = new RoutingPool({ threads: 1, queue: 4 });
    const running = pool.solve([{ problem, options: { timeLimitMs: 5000, seed: 1 } }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const failed = expect(running).rejects.toThrow(/closed/);
    const started = performance.now();
    await pool.close();
    await failed;
    expect(performance.now() - started).toBeLessThan(2000);
    const again = new RoutingPool({ threads: 1, queue: 4 });
    try {
      expect((await again.solve([job])).solutions[0]!.feasible).toBe(true);
    } finally {
      await again.close();
    }
  });
});
