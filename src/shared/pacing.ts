/**
 * Cooperative slicing of long work on the event loop: the work calls `pace()` often (per row,
 * per query) and it gives the event loop a turn (setImmediate, after pending I/O) once the
 * slice's time budget is spent, so requests are answered between slices of an import, a cycle
 * opening or a card sheet.
 */

/** Resolves at once while the slice has time left, else after the event loop has had a turn. */
export type Pace = () => Promise<void>;

/** A slice's budget: short enough that a request waiting behind one keeps its latency. */
export const sliceBudgetMs = 3;

/** Yields to the event loop: I/O callbacks and timers due run before it resolves. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Requests being answered now, long jobs' own requests excepted (the server counts them, see
 * src/server/app.ts). Long work runs at background priority: its next slice waits until none
 * is being answered, so a request meets at most one slice in its way, not one per turn of the
 * event loop it takes (a redemption takes several: its batch, its commit, its disk sync).
 */
let foregroundRequests = 0;
let foregroundIdle: (() => void)[] = [];

/** A request began; `foregroundEnded` must follow exactly once. */
export function foregroundStarted(): void {
  foregroundRequests += 1;
}

export function foregroundEnded(): void {
  foregroundRequests = Math.max(0, foregroundRequests - 1);
  if (foregroundRequests > 0) return;
  const waiting = foregroundIdle;
  foregroundIdle = [];
  for (const resume of waiting) resume();
}

/**
 * How long the next slice waits for the requests being answered, at most: twice the last
 * slice (so under constant load the work still keeps a third of the time), and never less than
 * this.
 */
export const backgroundMinWaitMs = 10;

/**
 * Yields to the event loop, then waits until no request is being answered, or at most twice
 * `lastSliceMs` (backgroundMinWaitMs at least).
 */
export async function backgroundTurn(lastSliceMs = 0): Promise<void> {
  await yieldToEventLoop();
  if (foregroundRequests === 0) return;
  await new Promise<void>((resolve) => {
    const resume = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        foregroundIdle = foregroundIdle.filter((waiting) => waiting !== resume);
        resolve();
      },
      Math.max(backgroundMinWaitMs, 2 * lastSliceMs),
    );
    foregroundIdle.push(resume);
  });
}

/**
 * A pace of `budgetMs` slices at background priority (backgroundTurn); each pacer counts from
 * its creation or its last turn.
 */
export function slicePacer(budgetMs = sliceBudgetMs): Pace {
  let since = performance.now();
  return async () => {
    const elapsed = performance.now() - since;
    if (elapsed < budgetMs) return;
    await backgroundTurn(elapsed);
    since = performance.now();
  };
}

/** A pace that never yields: for work that is short by construction. */
export const unpaced: Pace = () => Promise.resolve();

/**
 * Sizes the batches of work done in one transaction so that each takes about `budgetMs`:
 * from `first`, each batch moves the size halfway towards what the last one suggests (so one
 * slow batch, a checkpoint or a busy machine, does not swing it), within 1..`max`.
 */
export class BatchSizer {
  private current: number;

  constructor(
    first: number,
    private readonly max: number,
    private readonly budgetMs = sliceBudgetMs,
  ) {
    this.current = Math.max(1, Math.min(max, first));
  }

  /** `max`, or a power of two below it: the statements of a batch then repeat (prepared once). */
  get size(): number {
    return this.current >= this.max ? this.max : 2 ** Math.floor(Math.log2(this.current));
  }

  /** Records that `size` items took `elapsedMs`. */
  took(size: number, elapsedMs: number): void {
    const ideal = (size * this.budgetMs) / Math.max(elapsedMs, 0.1);
    this.current = Math.round(Math.min(this.max, Math.max(1, (this.current + ideal) / 2)));
  }
}
