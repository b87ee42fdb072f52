/**
 * Runs the routing solver (src/domain/routing) on worker threads, so a server keeps answering
 * while it searches: `await solveRoutingInWorker(problem, { timeLimitMs: 5000 })`. The threads
 * (`RoutingPool`, one by default) start on first use and are kept: loading the solver costs
 * 1.5-2.5 s under load, once per thread, not once per solve. A thread searches one message at
 * a time (each keeps a core busy for its whole budget); the others wait in a bounded queue, and
 * past it a solve is refused at once (429 `too-many-requests`). A thread that crashes fails only
 * its own message; the next one starts a fresh thread. Idle threads do not keep the process up,
 * and `closeRoutingPool` (on the app's close) ends them. The distance must be a matrix (a
 * function cannot cross threads).
 */
import { Worker } from 'node:worker_threads';
import type { DistanceMatrix } from '../../domain/routing/distance.js';
import type {
  RoutingOptions,
  RoutingProblem,
  RoutingSolution,
} from '../../domain/routing/solve.js';
import { RateLimitedError } from '../../shared/errors.js';

export type WorkerRoutingProblem = Omit<RoutingProblem, 'distance'> & { distance: DistanceMatrix };
export type WorkerRoutingOptions = Omit<RoutingOptions, 'now'>;
export interface RoutingJob {
  problem: WorkerRoutingProblem;
  options?: WorkerRoutingOptions;
}

/** The routing queue is full: 429 `too-many-requests`. */
export class RoutingBusyError extends RateLimitedError {
  constructor() {
    super(5, 'too-many-requests', 'The server is busy planning routes; try again in a moment.');
  }
}

export interface RoutingLimits {
  /** Threads that search at once (default 1: the other core keeps the event loop and commits). */
  threads: number;
  /** Messages that may wait for a thread; past threads + queue a solve is refused. */
  queue: number;
}

export const defaultRoutingLimits: RoutingLimits = { threads: 1, queue: 16 };

const threadFile = new URL('./routing.thread.mjs', import.meta.url);

type Answer =
  | { id: number; ok: true; solutions: RoutingSolution[]; threadId: number }
  | { id: number; ok: false; name: string; message: string; path?: string };

interface Pending {
  jobs: RoutingJob[];
  resolve(answer: { solutions: RoutingSolution[]; threadId: number }): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  busy: (Pending & { id: number }) | null;
}

export class RoutingPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 0;

  constructor(readonly limits: RoutingLimits = defaultRoutingLimits) {}

  /**
   * Solves the jobs in order on one thread, in one message; answers their solutions and the
   * thread's id. Rejects with the solver's error, a crash's, or RoutingBusyError.
   */
  solve(jobs: RoutingJob[]): Promise<{ solutions: RoutingSolution[]; threadId: number }> {
    const busy = this.slots.filter((slot) => slot.busy).length;
    if (busy + this.waiting.length >= this.limits.threads + this.limits.queue)
      return Promise.reject(new RoutingBusyError());
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobs, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the threads and refuses what waits; a later solve starts a new thread. */
  async close(): Promise<void> {
    for (const pending of this.waiting.splice(0))
      pending.reject(new Error('the routing pool closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.busy?.reject(new Error('the routing pool closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((candidate) => candidate.busy === null);
      if (!slot && this.slots.length < this.limits.threads) slot = this.start();
      if (!slot) return;
      const id = (this.nextId += 1);
      slot.busy = { ...this.waiting.shift()!, id };
      slot.worker.ref();
      slot.worker.postMessage({ id, jobs: slot.busy.jobs });
    }
  }

  private start(): Slot {
    const slot: Slot = { worker: new Worker(threadFile), busy: null };
    slot.worker.unref();
    slot.worker.on('message', (answer: Answer) => {
      const pending = slot.busy;
      if (!pending || pending.id !== answer.id) return;
      slot.busy = null;
      slot.worker.unref();
      if (answer.ok) pending.resolve({ solutions: answer.solutions, threadId: answer.threadId });
      else
        pending.reject(
          Object.assign(new Error(answer.message), { name: answer.name, path: answer.path }),
        );
      this.dispatch();
    });
    const lost = (error: Error) => {
      // A thread that dies takes its message with it; the next message starts a new thread.
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.busy?.reject(error);
      slot.busy = null;
      void slot.worker.terminate();
      this.dispatch();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) => lost(new Error(`routing worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

let pool = new RoutingPool();

/** The process's routing pool. */
export function routingPool(): RoutingPool {
  return pool;
}

/** Sets the routing threads and queue for what follows (ends the current pool's threads). */
export function configureRoutingPool(limits: RoutingLimits): void {
  void pool.close();
  pool = new RoutingPool(limits);
}

/** Ends the routing threads (the app's close); a later solve starts a new one. */
export function closeRoutingPool(): Promise<void> {
  return pool.close();
}

/** Solves several problems in one message to one thread (e.g. both runs of a stop's move). */
export async function solveAllInWorker(jobs: RoutingJob[]): Promise<RoutingSolution[]> {
  return (await pool.solve(jobs)).solutions;
}

/** The solver's answer (see solveRouting), computed on a worker thread; rejects with the solver's error. */
export async function solveRoutingInWorker(
  problem: WorkerRoutingProblem,
  options: WorkerRoutingOptions = {},
): Promise<RoutingSolution> {
  return (await solveAllInWorker([{ problem, options }]))[0]!;
}
