/**
 * Group commit: requests queue, and one writer takes everything queued (up to a bound) and
 * handles it as one batch, in one write transaction with one commit (one fsync on SQLite) for
 * all of them. The batch answers each request on its own (a value or a refusal); when the
 * batch as a whole throws, each of its requests runs again alone, so one poisoned request
 * fails only itself. Every answer is given after the batch's transaction has ended.
 */

/** One request's answer from a batch: its result, or the error it is refused with. */
export type BatchOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

export interface BatchQueueOptions<Request, Result> {
  /** The most requests handled in one batch. */
  maxBatchSize: number;
  /** Handles the requests in one transaction: one outcome per request, in order. */
  run: (requests: readonly Request[]) => Promise<BatchOutcome<Result>[]>;
  /** Whether `request` may join a batch that starts with `head` (e.g. the same clock). */
  compatible?: (head: Request, request: Request) => boolean;
}

interface Queued<Request, Result> {
  request: Request;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/** A queue with one writer: at most one batch of it runs at a time. */
export class BatchQueue<Request, Result> {
  private readonly queued: Queued<Request, Result>[] = [];
  private writing = false;

  constructor(private readonly options: BatchQueueOptions<Request, Result>) {}

  /** Queues the request; settles with its own outcome once its batch has committed. */
  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queued.push({ request, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // After the current I/O phase, so requests that arrived together share a batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) await this.runBatch(this.takeBatch());
    } finally {
      this.writing = false;
    }
  }

  private takeBatch(): Queued<Request, Result>[] {
    const head = this.queued[0];
    if (!head) return [];
    const { maxBatchSize, compatible } = this.options;
    let size = 1;
    while (
      size < this.queued.length &&
      size < maxBatchSize &&
      (!compatible ||
        compatible(head.request, (this.queued[size] as Queued<Request, Result>).request))
    ) {
      size++;
    }
    return this.queued.splice(0, size);
  }

  private async runBatch(batch: Queued<Request, Result>[]): Promise<void> {
    let outcomes: BatchOutcome<Result>[];
    try {
      outcomes = await this.options.run(batch.map((entry) => entry.request));
      if (outcomes.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} answered ${outcomes.length} outcomes`);
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Nothing of the batch was committed: each request runs again alone.
      for (const entry of batch) await this.runBatch([entry]);
      return;
    }
    for (const [index, entry] of batch.entries()) {
      const outcome = outcomes[index] as BatchOutcome<Result>;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    }
  }
}
