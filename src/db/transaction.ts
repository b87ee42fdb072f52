/** Write transactions that take the write lock first, so a read-then-write cannot go stale. */
import type SqliteDatabase from 'better-sqlite3';
import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Storage } from './connect.js';
import type { Database } from './database.js';

/** A database handle inside (or outside) a transaction; services take it explicitly. */
export type Executor = Kysely<Database>;

/**
 * Runs `work` in one transaction and commits, or rolls back and rethrows.
 * SQLite starts with BEGIN IMMEDIATE (the write lock up front, waiting out busy_timeout)
 * so that two processes never deadlock upgrading a read to a write; `work` gets an executor
 * from which `heldSqlite` answers the connection's raw statements.
 */
export async function writeTransaction<T>(
  storage: Pick<Storage, 'db' | 'dialect'>,
  work: (trx: Executor) => Promise<T>,
): Promise<T> {
  if (storage.dialect === 'postgres') return storage.db.transaction().execute(work);
  const database = storage.db.getExecutor().plugins.find((p) => p instanceof SqliteDatabasePlugin);
  return storage.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const trx = database ? connection.withPlugin(new HeldSqlite(database)) : connection;
      const result = await work(trx);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}

/** Statements prepared once per SQL text and kept (connect's statement cache). */
export interface SqliteStatements {
  prepare(text: string): SqliteDatabase.Statement;
}

/**
 * Raw better-sqlite3 statements on the connection that `db` holds inside writeTransaction, or
 * undefined (PostgreSQL, or any other executor). better-sqlite3 runs synchronously on the one
 * connection writeTransaction holds, so these statements run inside that transaction; a hot
 * path may use them instead of Kysely, which builds and prepares every query afresh.
 */
export function heldSqlite(db: Executor): SqliteStatements | undefined {
  return db.getExecutor().plugins.find((plugin) => plugin instanceof HeldSqlite);
}

/** A Kysely plugin that changes nothing: it only carries what it is constructed with. */
abstract class CarrierPlugin implements KyselyPlugin {
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
export class SqliteDatabasePlugin extends CarrierPlugin implements SqliteStatements {
  constructor(private readonly statements: SqliteStatements) {
    super();
  }

  prepare(text: string): SqliteDatabase.Statement {
    return this.statements.prepare(text);
  }
}

/** Marks an executor as holding the SQLite connection inside writeTransaction. */
class HeldSqlite extends CarrierPlugin implements SqliteStatements {
  constructor(private readonly database: SqliteDatabasePlugin) {
    super();
  }

  prepare(text: string): SqliteDatabase.Statement {
    return this.database.prepare(text);
  }
}
