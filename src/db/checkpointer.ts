/**
 * WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the
 * database file (a checkpoint, with its fsync) inside whichever commit crosses the
 * auto-checkpoint size: a request that happens to commit then waits tens of milliseconds, and
 * so does every request behind it, since better-sqlite3 runs on the main thread. A server
 * instead runs PASSIVE checkpoints from a worker thread on a connection of its own, which
 * never blocks writers; the main connection keeps a far larger auto-checkpoint as a safety
 * net should the worker stop.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/**
 * How often the worker checkpoints: small, frequent checkpoints keep each one short (at 1,000
 * redemptions/s, 20 ms gave a lower p99 than 50, 200 or 1,000 ms; bench/RESULTS.md). A
 * checkpoint with nothing to copy costs microseconds.
 */
const intervalMilliseconds = 20;
/** The main connection's auto-checkpoint (pages) while the worker runs: 64 MiB of WAL. */
const safetyNetPages = 16_384;
/** SQLite's default, restored if the worker fails. */
const defaultPages = 1000;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.interval);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts background checkpoints for the SQLite file behind `sqlite` (not for :memory:). */
export function startCheckpointer(sqlite: SqliteDatabase.Database, file: string): Checkpointer {
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      interval: intervalMilliseconds,
    },
  });
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${safetyNetPages}`);
  let running = true;
  const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    // The log then checkpoints inside commits again, as without a worker.
    running = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${defaultPages}`);
  });
  return {
    async stop() {
      // Referenced again, so that the process waits for the worker's exit being awaited.
      worker.ref();
      if (running) worker.postMessage('stop');
      running = false;
      await stopped;
    },
  };
}
