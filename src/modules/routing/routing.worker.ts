/**
 * Runs the routing solver (src/domain/routing) on a worker thread, so a server keeps answering
 * while it searches: `await solveRoutingInWorker(problem, { timeLimitMs: 5000 })`. At most
 * `maxConcurrentSolves` searches run at once (the rest queue), since each keeps a core busy
 * for its whole budget. The distance must be a matrix (a function cannot cross threads).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DistanceMatrix } from '../../domain/routing/distance.js';
import type {
  RoutingOptions,
  RoutingProblem,
  RoutingSolution,
} from '../../domain/routing/solve.js';

export type WorkerRoutingProblem = Omit<RoutingProblem, 'distance'> & { distance: DistanceMatrix };
export type WorkerRoutingOptions = Omit<RoutingOptions, 'now'>;

/** Keep a core for the event loop. */
export const maxConcurrentSolves = Math.max(1, availableParallelism() - 1);

const threadFile = new URL('./routing.thread.mjs', import.meta.url);

let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= maxConcurrentSolves) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** The solver's answer (see solveRouting), computed on a worker thread; rejects with the solver's error. */
export async function solveRoutingInWorker(
  problem: WorkerRoutingProblem,
  options: WorkerRoutingOptions = {},
): Promise<RoutingSolution> {
  const release = await slot();
  try {
    return await new Promise<RoutingSolution>((resolve, reject) => {
      const worker = new Worker(threadFile, { workerData: { problem, options } });
      type Answer =
        | { ok: true; solution: RoutingSolution }
        | { ok: false; name: string; message: string; path?: string };
      worker.once('message', (answer: Answer) => {
        if (answer.ok) resolve(answer.solution);
        else
          reject(
            Object.assign(new Error(answer.message), { name: answer.name, path: answer.path }),
          );
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`routing worker exited with code ${code}`)));
    });
  } finally {
    release();
  }
}
