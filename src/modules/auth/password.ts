/**
 * Password hashing with scrypt from node:crypto.
 * Parameters: N = 2^15 (cost), r = 8 (block size), p = 1 (parallelism), a 64-byte key and a
 * 16-byte random salt; scrypt needs 128 * N * r bytes = 32 MiB, so maxmem is raised to 64 MiB
 * (Node's default stops at 32 MiB). Stored as `scrypt$N$r$p$<salt base64>$<hash base64>`,
 * so the parameters can be raised later without invalidating existing hashes.
 *
 * scrypt runs on worker threads of its own (`PasswordHasher`), never on libuv's thread pool:
 * there a flood of sign-ins filled every thread and the group commit's fdatasync waited
 * behind them (a redemption took 35.7 s under 600 failed sign-ins). Under `awn serve` the
 * threads run at the lowest CPU priority, so the event loop and commits win the cores, and
 * `withHashingSlot` bounds how many checks may wait: past that a sign-in is refused at once (429).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RateLimitedError } from '../../shared/errors.js';

const cost = 2 ** 15;
const blockSize = 8;
const parallelism = 1;
const keyLength = 64;
const saltLength = 16;

/** Shortest password accepted anywhere (API and CLI). */
export const minimumPasswordLength = 10;
/** Longest accepted: scrypt hashes any length, but nobody needs more. */
export const maximumPasswordLength = 1024;

/** The hashing queue is full: 429 `too-many-requests`, try again in a second. */
export class HashingBusyError extends RateLimitedError {
  constructor() {
    super(1, 'too-many-requests', 'The server is busy checking passwords; try again in a moment.');
  }
}

interface ScryptJob {
  password: string;
  salt: Buffer;
  length: number;
  N: number;
  r: number;
  p: number;
}

/**
 * The worker: scryptSync on its own thread (an async scrypt here would go to libuv's shared
 * pool again), at the lowest priority (on Linux, setPriority without a pid sets this thread's).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
if (workerData.lowPriority) try { require('node:os').setPriority(19); } catch {}
parentPort.on('message', ({ id, password, salt, length, N, r, p }) => {
  try {
    const key = scryptSync(password, salt, length, { N, r, p, maxmem: 2 * 128 * N * r * p });
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

export interface HashingLimits {
  /** Worker threads that hash (default: half the cores, at least 1). */
  threads: number;
  /** Checks that may wait for a thread; past threads + queue, sign-ins get 429 at once. */
  queue: number;
  /**
   * Run at the lowest CPU priority (`awn serve` does): the event loop and commits then always
   * win a busy machine's cores. Off elsewhere (CLI, tests), where nothing else matters more.
   */
  lowPriority?: boolean;
}

export const defaultHashingLimits: HashingLimits = {
  threads: Math.max(1, Math.floor(availableParallelism() / 2)),
  queue: 32,
};

interface PendingJob {
  job: ScryptJob;
  resolve(key: Buffer): void;
  reject(error: Error): void;
}

/** A pool of hashing threads, started on first use; idle threads do not keep the process up. */
export class PasswordHasher {
  private readonly workers: { worker: Worker; busy: PendingJob | null }[] = [];
  private readonly waiting: PendingJob[] = [];
  private admitted = 0;
  private nextId = 0;

  constructor(readonly limits: HashingLimits = defaultHashingLimits) {}

  /** How many checks hold a slot now (running or waiting). */
  get load(): number {
    return this.admitted;
  }

  /** Every slot is taken: a check asked for now would be refused. */
  get full(): boolean {
    return this.admitted >= this.limits.threads + this.limits.queue;
  }

  /**
   * Runs `work` holding one of threads + queue slots, or throws HashingBusyError at once when
   * all are taken: a flood is refused before it costs a database write or a hash.
   */
  async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.full) throw new HashingBusyError();
    this.admitted += 1;
    try {
      return await work();
    } finally {
      this.admitted -= 1;
    }
  }

  derive(job: ScryptJob): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the threads (tests); a later derive starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.workers.find((candidate) => candidate.busy === null);
      if (!slot && this.workers.length < this.limits.threads) slot = this.start();
      if (!slot) return;
      const pending = this.waiting.shift() as PendingJob;
      slot.busy = pending;
      slot.worker.ref();
      slot.worker.postMessage({ id: (this.nextId += 1), ...pending.job });
    }
  }

  private start(): { worker: Worker; busy: PendingJob | null } {
    const slot: { worker: Worker; busy: PendingJob | null } = {
      worker: new Worker(workerSource, {
        eval: true,
        workerData: { lowPriority: this.limits.lowPriority === true },
      }),
      busy: null,
    };
    slot.worker.unref();
    slot.worker.on('message', (message: { key?: Uint8Array; error?: string }) => {
      const pending = slot.busy;
      slot.busy = null;
      slot.worker.unref();
      if (message.key) pending?.resolve(Buffer.from(message.key));
      else pending?.reject(new Error(`scrypt failed: ${message.error ?? 'unknown'}`));
      this.dispatch();
    });
    slot.worker.on('error', (error) => {
      // A thread that dies takes its job with it; the next job starts a new thread.
      const index = this.workers.indexOf(slot);
      if (index >= 0) this.workers.splice(index, 1);
      slot.busy?.reject(error);
      slot.busy = null;
      this.dispatch();
    });
    this.workers.push(slot);
    return slot;
  }
}

let hasher = new PasswordHasher();

/** Sets the hashing threads and queue (awn serve, from its settings) for what follows. */
export function configurePasswordHashing(limits: HashingLimits): void {
  void hasher.close();
  hasher = new PasswordHasher(limits);
}

/** The process's hashing pool. */
export function passwordHasher(): PasswordHasher {
  return hasher;
}

/**
 * Throws HashingBusyError when every hashing slot is taken: a route's onRequest hook refuses a
 * flood of sign-ins this way before their bodies are even read.
 */
export function refuseWhileHashingFull(): void {
  if (hasher.full) throw new HashingBusyError();
}

/** Runs `work` (which checks or hashes passwords) in a hashing slot; see PasswordHasher.withSlot. */
export function withHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  return hasher.withSlot(work);
}

function deriveKey(
  password: string,
  salt: Buffer,
  length: number,
  N: number,
  r: number,
  p: number,
) {
  return hasher.derive({ password: password.normalize('NFC'), salt, length, N, r, p });
}

/** A fresh salted hash of the password in the encoded form above. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await deriveKey(password, salt, keyLength, cost, blockSize, parallelism);
  return [
    'scrypt',
    cost,
    blockSize,
    parallelism,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/**
 * True when the password matches the encoded hash; compares in constant time.
 * A malformed hash (or absurd parameters) is false, never an exception.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map((part) => Number.parseInt(part ?? '', 10));
  if (
    N === undefined ||
    r === undefined ||
    p === undefined ||
    !(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0) ||
    !(r >= 1 && r <= 32) ||
    !(p >= 1 && p <= 16)
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(password, salt, expected.length, N, r, p);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * A valid hash of a random password: verifying against it when the user does not exist takes
 * as long as a real check, so response times do not reveal which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
