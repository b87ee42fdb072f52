/**
 * Ledger ingest: transfers per second through createTransfers, one write transaction per
 * batch, for batches of 1 to 8,000 transfers between random pairs of a pool of accounts, on
 * SQLite (file, WAL, synchronous=FULL) and PostgreSQL. Target: >= 100,000 transfers/s on
 * SQLite at batches of 8,000. The ledger is verified after the run (not timed).
 *
 * A floor is measured in the same run, in a database of its own: the same transfers stored by
 * the ledger's own bulk INSERT alone (no reads, no balance updates, no rules), one write
 * transaction per batch of 8,000. The ledger's share of that floor says what being a ledger
 * costs on this machine, whatever its speed or load.
 *
 * AWN_BENCH_LEDGER_DIALECTS (e.g. "sqlite") and AWN_BENCH_LEDGER_SIZES (e.g. "8000") narrow
 * the run while profiling.
 */
import type { Dialect, Storage } from '../src/db/connect.js';
import { writeTransaction } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import type { TransferInput, TransferRecord } from '../src/domain/ledger/ledger.js';
import { insertTransfers } from '../src/modules/ledger/ledger.repository.js';
import {
  createAccounts,
  createTransfers,
  verifyLedger,
  type LedgerContext,
} from '../src/modules/ledger/ledger.service.js';
import { systemClock } from '../src/shared/clock.js';
import {
  formatCount,
  markdownTable,
  openBenchStorage,
  postgresAvailable,
  quantile,
  timeOrderedId,
  type Benchmark,
} from './harness.js';

const accountPool = 10_000;
const targetPerSecond = 100_000;
const targetBatchSize = 8_000;

/** Transfers measured per batch size, and a time budget that bounds the slow small batches. */
const plans: { size: number; transfers: number; budgetSeconds: number }[] = [
  { size: 1, transfers: 2_000, budgetSeconds: 8 },
  { size: 10, transfers: 10_000, budgetSeconds: 8 },
  { size: 100, transfers: 40_000, budgetSeconds: 10 },
  { size: 1_000, transfers: 80_000, budgetSeconds: 15 },
  { size: 8_000, transfers: 96_000, budgetSeconds: 20 },
];

interface Measurement {
  dialect: Dialect;
  size: number;
  transfers: number;
  seconds: number;
  batchMilliseconds: number[];
}

const context: LedgerContext = { actor: systemActor, clock: systemClock };

function accountId(index: number): string {
  return `bench-account-${String(index).padStart(5, '0')}`;
}

async function seed(storage: Storage): Promise<void> {
  await storage.db
    .insertInto('commodities')
    .values({
      code: 'bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      base_unit: 'g',
      display_unit: 'kg',
      display_scale: 1000,
      created_at: new Date().toISOString(),
    })
    .execute();
  await writeTransaction(storage, (trx) =>
    createAccounts(
      trx,
      Array.from({ length: accountPool }, (_, index) => ({
        id: accountId(index),
        commodity: 'bread',
        owner_kind: 'bench',
        owner_id: String(index),
      })),
    ),
  );
}

/** A batch as the ledger receives one: parsed from a client's JSON (flat strings, as over HTTP). */
function randomBatch(size: number): TransferInput[] {
  const batch: TransferInput[] = new Array<TransferInput>(size);
  for (let index = 0; index < size; index++) {
    const debit = Math.floor(Math.random() * accountPool);
    const credit = (debit + 1 + Math.floor(Math.random() * (accountPool - 1))) % accountPool;
    batch[index] = {
      id: timeOrderedId(),
      debit_account_id: accountId(debit),
      credit_account_id: accountId(credit),
      amount: 1 + Math.floor(Math.random() * 1000),
      code: 'bench',
    };
  }
  return JSON.parse(JSON.stringify(batch)) as TransferInput[];
}

async function submit(storage: Storage, batch: TransferInput[]): Promise<void> {
  const results = await writeTransaction(storage, (trx) => createTransfers(trx, batch, context));
  const failed = results.find((item) => item.result !== 'created');
  if (failed) throw new Error(`bench transfer ${failed.id} answered ${failed.result}`);
}

async function measure(
  storage: Storage,
  dialect: Dialect,
  size: number,
  total: number,
  budgetSeconds: number,
): Promise<Measurement> {
  await submit(storage, randomBatch(size)); // warm-up, not counted
  const batchMilliseconds: number[] = [];
  let transfers = 0;
  const started = performance.now();
  while (transfers < total && performance.now() - started < budgetSeconds * 1000) {
    const batch = randomBatch(size);
    const batchStarted = performance.now();
    await submit(storage, batch);
    batchMilliseconds.push(performance.now() - batchStarted);
    transfers += size;
  }
  // Throughput counts only time inside createTransfers' transactions, not batch generation.
  const seconds = batchMilliseconds.reduce((sum, value) => sum + value, 0) / 1000;
  return { dialect, size, transfers, seconds, batchMilliseconds };
}

/** The same kind of batches, stored with the bare bulk INSERT only. */
async function measureFloor(
  dialect: Dialect,
  total: number,
  budgetSeconds: number,
): Promise<Measurement> {
  const storage = await openBenchStorage(dialect);
  try {
    await seed(storage);
    const store = async (batch: TransferInput[]) => {
      const createdAt = new Date().toISOString();
      const rows: TransferRecord[] = batch.map((item) => ({
        id: item.id,
        debit_account_id: item.debit_account_id as string,
        credit_account_id: item.credit_account_id as string,
        amount: item.amount as number,
        commodity: 'bread',
        code: item.code as string,
        flags: 0,
        pending_id: null,
        timeout_seconds: 0,
        actor_id: null,
        references_json: null,
        created_at: createdAt,
      }));
      await writeTransaction(storage, (trx) => insertTransfers(trx, rows));
    };
    await store(randomBatch(targetBatchSize));
    const batchMilliseconds: number[] = [];
    let transfers = 0;
    const started = performance.now();
    while (transfers < total && performance.now() - started < budgetSeconds * 1000) {
      const batch = randomBatch(targetBatchSize);
      const batchStarted = performance.now();
      await store(batch);
      batchMilliseconds.push(performance.now() - batchStarted);
      transfers += targetBatchSize;
    }
    const seconds = batchMilliseconds.reduce((sum, value) => sum + value, 0) / 1000;
    return { dialect, size: targetBatchSize, transfers, seconds, batchMilliseconds };
  } finally {
    await storage.close();
  }
}

function selectedDialects(postgres: boolean): Dialect[] {
  const wanted = process.env.AWN_BENCH_LEDGER_DIALECTS?.split(',');
  return (['sqlite', 'postgres'] as Dialect[]).filter(
    (dialect) => (!wanted || wanted.includes(dialect)) && (dialect === 'sqlite' || postgres),
  );
}

function selectedPlans(): typeof plans {
  const wanted = process.env.AWN_BENCH_LEDGER_SIZES?.split(',').map(Number);
  return plans.filter((plan) => !wanted || wanted.includes(plan.size));
}

async function runDialect(
  dialect: Dialect,
): Promise<{ measurements: Measurement[]; verified: string }> {
  const storage = await openBenchStorage(dialect);
  try {
    await seed(storage);
    const measurements: Measurement[] = [];
    for (const plan of selectedPlans()) {
      const measurement = await measure(
        storage,
        dialect,
        plan.size,
        plan.transfers,
        plan.budgetSeconds,
      );
      console.log(
        `  ledger ${dialect} batch ${plan.size}: ${formatCount(measurement.transfers / measurement.seconds)} transfers/s`,
      );
      measurements.push(measurement);
    }
    const started = performance.now();
    const report = await verifyLedger(storage.db);
    const verifySeconds = (performance.now() - started) / 1000;
    const verified = report.ok
      ? `verified: ${formatCount(report.transfers)} transfers over ${formatCount(report.accounts)} accounts, no discrepancy (${verifySeconds.toFixed(1)} s)`
      : `VERIFY FAILED: ${JSON.stringify(report.discrepancies[0])}`;
    return { measurements, verified };
  } finally {
    await storage.close();
  }
}

export const ledgerBenchmark: Benchmark = {
  name: 'ledger',
  async run() {
    const postgres = await postgresAvailable();
    const rows: string[][] = [];
    const notes: string[] = [];
    let target = 'not measured (SQLite batch of 8,000 not in this run)';
    const row = (label: string, m: Measurement) => [
      label,
      formatCount(m.size),
      formatCount(m.transfers),
      m.seconds.toFixed(2),
      formatCount(m.transfers / m.seconds),
      quantile(m.batchMilliseconds, 0.5).toFixed(1),
      quantile(m.batchMilliseconds, 0.99).toFixed(1),
    ];
    for (const dialect of selectedDialects(postgres)) {
      const { measurements, verified } = await runDialect(dialect);
      notes.push(`- ${dialect}: ${verified}`);
      for (const m of measurements) rows.push(row(`${dialect} ledger`, m));
      const big = measurements.find((m) => m.size === targetBatchSize);
      if (!big) continue;
      const floor = await measureFloor(dialect, 48_000, 15);
      rows.push(row(`${dialect} floor: bare INSERT`, floor));
      const rate = big.transfers / big.seconds;
      const share = `${Math.round((100 * rate) / (floor.transfers / floor.seconds))}% of the bare INSERT floor`;
      notes.push(
        `- ${dialect}: the ledger at ${formatCount(targetBatchSize)} runs at ${share} measured in this run`,
      );
      if (dialect === 'sqlite') {
        target = `${rate >= targetPerSecond ? 'MET' : 'NOT MET'}: ${formatCount(rate)} transfers/s on SQLite at batches of ${formatCount(targetBatchSize)} (target ${formatCount(targetPerSecond)}; ${share})`;
      }
    }
    if (!postgres) notes.push('- postgres: server unreachable, not measured');
    return [
      '## Ledger: transfers per second',
      '',
      `createTransfers, one write transaction per batch, random pairs from ${formatCount(accountPool)} accounts without balance limits, time-ordered (UUIDv7-like) transfer ids, each batch parsed from JSON as the API receives it. Seconds count only the write transactions (batch generation excluded); one warm-up batch per size is not counted.`,
      '',
      `**Target (>= ${formatCount(targetPerSecond)}/s on SQLite at ${formatCount(targetBatchSize)}):** ${target}`,
      '',
      markdownTable(
        ['run', 'batch', 'transfers', 'seconds', 'transfers/s', 'p50 batch ms', 'p99 batch ms'],
        rows,
      ),
      '',
      ...notes,
    ].join('\n');
  },
};
