/**
 * What every benchmark shares: the Benchmark interface run.ts drives, throwaway databases on
 * each dialect (SQLite in a temp dir with the production settings, PostgreSQL in a database
 * created for the run and dropped after), and small formatting helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { connect, type Dialect, type Storage } from '../src/db/connect.js';

/** One benchmark: `run` measures and answers a Markdown section (starting with a heading). */
export interface Benchmark {
  name: string;
  run(): Promise<string>;
}

/** The PostgreSQL server benchmarks use (a database is created on it per run). */
export const benchPostgresUrl =
  process.env.AWN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the benchmark PostgreSQL server answers. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: benchPostgresUrl,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Opens a fresh, migrated database of the dialect through the same `connect` as production
 * (SQLite: a file in a temp dir, WAL, synchronous=FULL); closing it deletes it.
 */
export async function openBenchStorage(dialect: Dialect, poolSize = 10): Promise<Storage> {
  if (dialect === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'awn-bench-'));
    // As `awn serve` runs it: WAL checkpoints from a worker thread.
    const storage = await connect(join(folder, 'awn.sqlite'), { backgroundCheckpoints: true });
    return {
      ...storage,
      close: async () => {
        await storage.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const name = `awn_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(benchPostgresUrl);
  url.pathname = `/${name}`;
  const storage = await connect(url.toString(), { poolSize });
  return {
    ...storage,
    close: async () => {
      await storage.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A Markdown table. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** An integer with thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** The value at quantile `q` (0..1) of the samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * A time-ordered, globally unique id (UUIDv7 layout: 48 bits of milliseconds, then random
 * bits): what clients should generate, because ids that grow with time keep index inserts local.
 */
export function timeOrderedId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
