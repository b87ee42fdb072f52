/** Opens the database named by a SQLite path or a postgres:// URL and migrates it. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type MigrationProvider,
  type SqliteDatabase as SqliteDialectDatabase,
} from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import type { Dialect } from './dialect.js';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';
import { SqliteDatabasePlugin, type SqliteConnection } from './transaction.js';

export type { Dialect } from './dialect.js';

export interface Storage {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The database as given, without any password. */
  description: string;
  close(): Promise<void>;
}

export const defaultDatabase = './data/awn.sqlite';

// int8 (bigint) and numeric counts come back as numbers; a value past 2^53 is a broken invariant.
pg.types.setTypeParser(20, (value) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error('bigint value exceeds 2^53');
  return parsed;
});

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

export function describeDatabase(database: string): string {
  return isPostgresUrl(database)
    ? database.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
    : database;
}

export interface ConnectOptions {
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  migrate?: boolean;
  /** SQLite: WAL checkpoints from a worker thread instead of inside commits (servers). */
  backgroundCheckpoints?: boolean;
}

/** Connects, checks the SQLite durability settings and runs pending migrations. */
export async function connect(database: string, options: ConnectOptions = {}): Promise<Storage> {
  const storage = isPostgresUrl(database)
    ? connectPostgres(database, options.poolSize ?? 10)
    : connectSqlite(database, options.backgroundCheckpoints ?? false);
  if (options.migrate ?? true) await migrateToLatest(storage.db);
  return storage;
}

function connectSqlite(file: string, backgroundCheckpoints: boolean): Storage {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 16 MiB of page cache, the OS's file cache beneath it. Its size cuts both ways: when a B-tree
  // rebalance has parked a page under the lock-byte page number (balance_nonroot swaps page
  // numbers through it), COMMIT on a database under 1 GiB visits every page in the cache
  // (pcache1TruncateUnsafe): at 64 MiB that took 9% of the server's main thread at 1,000
  // redemptions/s. At 2 MiB, ledger batches of 8,000 transfers ran up to a third slower.
  sqlite.pragma('cache_size = -16000');
  checkSqlitePragmas(sqlite, file);
  const database = withStatementCache(sqlite);
  const plugin = new SqliteDatabasePlugin(database, file);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    // writeTransaction hands the statements to repositories' hot paths (see heldSqlite).
    plugins: [plugin],
  });
  const checkpointer =
    backgroundCheckpoints && file !== ':memory:' ? startCheckpointer(sqlite, file) : null;
  return {
    db,
    dialect: 'sqlite',
    description: file,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
      plugin.close();
    },
  };
}

/** SQL text longer than this (bulk statements, prepared once per batch) is not kept prepared. */
const cachedSqlLimit = 4096;
const cachedStatements = 256;

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small statement.
 * This keeps the last few hundred short statements prepared (a statement still iterating is
 * never handed out twice), for Kysely and for the raw hot paths alike.
 */
function withStatementCache(
  sqlite: SqliteDatabase.Database,
): SqliteDialectDatabase & SqliteConnection {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    get inTransaction() {
      return sqlite.inTransaction;
    },
    prepare(text) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(text);
      if (text.length <= cachedSqlLimit && !cached) {
        if (cache.size >= cachedStatements) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** Refuses to run when SQLite did not take the settings durability depends on. */
function checkSqlitePragmas(sqlite: SqliteDatabase.Database, file: string): void {
  const journal = sqlite.pragma('journal_mode', { simple: true });
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true });
  const expectedJournal = file === ':memory:' ? 'memory' : 'wal';
  if (journal !== expectedJournal || synchronous !== 2 || foreignKeys !== 1) {
    sqlite.close();
    throw new Error(
      `SQLite refused the required settings (journal_mode=${String(journal)}, synchronous=${String(synchronous)}, foreign_keys=${String(foreignKeys)})`,
    );
  }
}

function connectPostgres(url: string, poolSize: number): Storage {
  // Set for every connection at startup (no extra round trip). Awn's reads are short,
  // index-driven and LIMITed: PostgreSQL 15 JIT-compiles any plan costed above jit_above_cost
  // (a LIMITed walk of a million-row index is), spending tens of ms compiling a query that runs
  // in a few; and it starts parallel workers for a page of search results, whose start-up
  // costs more than the query and takes the cores concurrent requests need (p50 of the
  // household search on a million households: about twice as slow with them).
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c jit=off -c max_parallel_workers_per_gather=0',
  });
  // An idle connection the server drops (restart, failover) is discarded by the pool and the
  // next query opens a fresh one; without a listener the event would kill the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', description: describeDatabase(url), close: () => db.destroy() };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every migration not yet applied; throws naming the one that failed. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((result) => result.migrationName);
}
