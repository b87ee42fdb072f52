/** Write transactions that take the write lock first, so a read-then-write cannot go stale. */
import { closeSync, fdatasync, openSync } from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';
import type {
  CompiledQuery,
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Storage } from './connect.js';
import type { Database } from './database.js';

/** A database handle inside (or outside) a transaction; services take it explicitly. */
export type Executor = Kysely<Database>;

/**
 * Runs `work` in one transaction and commits, or rolls back and rethrows; settles once the
 * commit is on disk.
 * SQLite starts with BEGIN IMMEDIATE (the write lock up front, waiting out busy_timeout)
 * so that two processes never deadlock upgrading a read to a write; `work` gets an executor
 * from which `heldSqlite` answers the connection's raw statements. Its COMMIT runs at
 * synchronous=NORMAL (the connection is at FULL otherwise), without SQLite's fsync of the
 * write-ahead log: one fdatasync of the log on libuv's thread pool, shared by the commits
 * that end meanwhile (group commit), makes it durable before writeTransaction settles. The
 * event loop goes on serving while the disk syncs, and the next transaction may run. Others
 * may read a commit a moment before it is durable; only a power or OS failure in that moment
 * could undo what they read, never anything a writeTransaction has answered.
 */
export async function writeTransaction<T>(
  storage: Pick<Storage, 'db' | 'dialect'>,
  work: (trx: Executor) => Promise<T>,
  options: WriteTransactionOptions = {},
): Promise<T> {
  if (storage.dialect === 'postgres') return storage.db.transaction().execute(work);
  const database = storage.db.getExecutor().plugins.find((p) => p instanceof SqliteDatabasePlugin);
  if (!database) throw new Error('writeTransaction needs a SQLite storage opened by connect()');
  // The statements run on the connection Kysely hands over, so nothing else runs between them.
  const result = await storage.db.connection().execute(async (connection) => {
    database.deferSync(true);
    try {
      database.prepare('begin immediate').run();
      try {
        const result = await work(connection.withPlugin(new HeldSqlite(database)));
        database.prepare('commit').run();
        return result;
      } catch (error) {
        database.forgetKept();
        database.prepare('rollback').run();
        throw error;
      }
    } finally {
      database.deferSync(false);
    }
  });
  // Every commit before this call, ours included, is durable when it settles.
  if (options.awaitDurable ?? true) await database.durable();
  return result;
}

export interface WriteTransactionOptions {
  /**
   * false: settle once committed, without waiting for the disk (SQLite). Only for a step of a
   * longer job that is itself undone if it does not finish: the job's last writeTransaction,
   * awaited as usual, makes every step before it durable too.
   */
  awaitDurable?: boolean;
}

/** Statements prepared once per SQL text and kept (connect's statement cache). */
export interface SqliteStatements {
  prepare(text: string): SqliteDatabase.Statement;
}

/** The statements of a whole connection, which also tells whether a transaction is open on it. */
export interface SqliteConnection extends SqliteStatements {
  readonly inTransaction: boolean;
}

/** A hot path's statements, and rows it may keep on the connection between transactions. */
export interface HeldSqliteStatements extends SqliteStatements {
  /** The rows kept under this name on this connection (empty at first). */
  kept<V>(name: string): KeptRows<V>;
}

/**
 * Rows a hot path keeps in memory between its transactions on one SQLite connection, so it
 * need not read them again. They are trusted only while every change to the database since
 * the keeper last sealed them is its own: `open` empties them when another connection has
 * committed since (PRAGMA data_version) or any other statement on this connection changed a
 * row (total_changes()), and a writeTransaction that rolls back forgets them. The keeper
 * updates them with its own writes and seals them after its last write.
 */
export class KeptRows<V> {
  private readonly rows = new Map<string, V>();
  /** The database's change marks when sealed, 'open' between open and seal, or untrusted. */
  private state: { sealedAt: string } | 'open' | 'untrusted' = 'untrusted';

  constructor(
    private readonly statements: SqliteStatements,
    private readonly limit: number,
  ) {}

  /** The kept rows, emptied first unless the database is as the keeper sealed it. */
  open(): Map<string, V> {
    if (typeof this.state !== 'object' || this.state.sealedAt !== this.changeMarks()) {
      this.rows.clear();
    }
    this.state = 'open';
    return this.rows;
  }

  /** The rows between open and seal, for the keeper to apply its own writes to. */
  whileOpen(): Map<string, V> | undefined {
    return this.state === 'open' ? this.rows : undefined;
  }

  /** Declares the opened rows true to the database as it is now, after the keeper's writes. */
  seal(): void {
    if (this.state !== 'open') {
      this.forget();
      return;
    }
    for (const key of this.rows.keys()) {
      if (this.rows.size <= this.limit) break;
      this.rows.delete(key); // the longest kept go first
    }
    this.state = { sealedAt: this.changeMarks() };
  }

  forget(): void {
    this.rows.clear();
    this.state = 'untrusted';
  }

  private changeMarks(): string {
    const { version, changes } = this.statements
      .prepare(
        'select (select data_version from pragma_data_version) as version, total_changes() as changes',
      )
      .get() as { version: number; changes: number };
    return `${version}:${changes}`;
  }
}

/** At most this many rows are kept under one name. */
const keptRowsLimit = 100_000;

/**
 * Raw better-sqlite3 statements on the connection that `db` holds inside writeTransaction, or
 * undefined (PostgreSQL, or any other executor). better-sqlite3 runs synchronously on the one
 * connection writeTransaction holds, so these statements run inside that transaction; a hot
 * path may use them instead of Kysely, which builds and prepares every query afresh.
 */
export function heldSqlite(db: Executor): HeldSqliteStatements | undefined {
  return db.getExecutor().plugins.find((plugin) => plugin instanceof HeldSqlite);
}

/**
 * The connection's statements when `db` is a SQLite storage on which no caller has a
 * transaction open, else undefined. better-sqlite3 is synchronous, so a read run on them at
 * once sees no one's uncommitted rows and nothing else runs on the connection meanwhile.
 */
export function idleSqlite(db: Executor): SqliteStatements | undefined {
  return db
    .getExecutor()
    .plugins.find((p) => p instanceof SqliteDatabasePlugin)
    ?.idle();
}

/**
 * The rows of a compiled read. On SQLite, when no caller has a transaction open on the
 * connection, it runs at once as a prepared statement (idleSqlite); otherwise, and on
 * PostgreSQL, through Kysely, which waits for the connection and so never reads another
 * caller's uncommitted rows. For the reads every request makes, where Kysely's queueing costs
 * more than the read itself.
 */
export async function readRows<R>(db: Executor, query: CompiledQuery<R>): Promise<R[]> {
  const statements = idleSqlite(db);
  if (statements) return statements.prepare(query.sql).all(query.parameters) as R[];
  return (await db.executeQuery(query)).rows;
}

/** A Kysely plugin that changes nothing: it only carries what it is constructed with. */
export abstract class CarrierPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/**
 * Carries the prepared statements of a SQLite storage's connection (connect installs it).
 * Never handed to repositories: outside writeTransaction another caller may hold the
 * connection in a transaction of its own.
 */
export class SqliteDatabasePlugin extends CarrierPlugin implements HeldSqliteStatements {
  private readonly keptRows = new Map<string, KeptRows<unknown>>();

  private readonly walSync: WalSync | null;

  /** `file`: the database file (':memory:' has no log to sync). */
  constructor(
    private readonly statements: SqliteConnection,
    file: string,
  ) {
    super();
    this.walSync = file === ':memory:' ? null : new WalSync(`${file}-wal`);
  }

  /**
   * Outside a transaction only (SQLite refuses it inside one): with `true`, the commits that
   * follow skip SQLite's fsync of the log, and `durable()` must be awaited before answering.
   */
  deferSync(defer: boolean): void {
    if (!this.walSync) return;
    this.statements.prepare(`pragma synchronous = ${defer ? 'normal' : 'full'}`).run();
  }

  /** Settles once everything committed on this connection before the call is on disk. */
  durable(): Promise<void> {
    return this.walSync ? this.walSync.flush() : Promise.resolve();
  }

  /** The statements, unless a transaction is open on the connection (see readRows). */
  idle(): SqliteStatements | undefined {
    return this.statements.inTransaction ? undefined : this.statements;
  }

  /** Closes the log's file descriptor (the storage is closing). */
  close(): void {
    this.walSync?.close();
  }

  prepare(text: string): SqliteDatabase.Statement {
    return this.statements.prepare(text);
  }

  kept<V>(name: string): KeptRows<V> {
    let rows = this.keptRows.get(name);
    if (!rows) {
      rows = new KeptRows(this.statements, keptRowsLimit);
      this.keptRows.set(name, rows);
    }
    return rows as KeptRows<V>;
  }

  /** Forgets every kept row (a transaction that may have changed them rolled back). */
  forgetKept(): void {
    for (const rows of this.keptRows.values()) rows.forget();
  }
}

/** Marks an executor as holding the SQLite connection inside writeTransaction. */
class HeldSqlite extends CarrierPlugin implements HeldSqliteStatements {
  constructor(private readonly database: SqliteDatabasePlugin) {
    super();
  }

  prepare(text: string): SqliteDatabase.Statement {
    return this.database.prepare(text);
  }

  kept<V>(name: string): KeptRows<V> {
    return this.database.kept(name);
  }
}

/**
 * fdatasync of a SQLite write-ahead log on libuv's thread pool, one at a time: a caller
 * shares the sync that starts next, so every commit ended before its call is covered (the
 * one running may have started before that commit). SQLite keeps the log file, the same
 * inode, while a connection is open, so its descriptor is opened once.
 */
export class WalSync {
  private fd: number | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly path: string) {}

  flush(): Promise<void> {
    if (!this.running) return this.start();
    this.next ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private start(): Promise<void> {
    this.next = null;
    const running = this.sync();
    this.running = running;
    const settled = () => {
      if (this.running === running) this.running = null;
    };
    running.then(settled, settled);
    return running;
  }

  private async sync(): Promise<void> {
    try {
      this.fd ??= openSync(this.path, 'r+');
    } catch (error) {
      // No log yet: nothing was written to it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => {
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
  }
}
