/**
 * Prepared queries: a hot path's query written once with Kysely's builder, with named
 * parameter slots, and compiled once per dialect when the module loads (by compile-only
 * Kysely instances, no connection). A call only binds values:
 * - inside writeTransaction on SQLite, the compiled text runs as a cached better-sqlite3
 *   statement on the held connection (see heldSqlite), skipping Kysely's builder and queue;
 * - elsewhere (PostgreSQL, or SQLite outside writeTransaction) it runs through Kysely on the
 *   executor given, so it waits its turn for the connection like any other query; a read on
 *   an idle SQLite connection runs at once, as readRows does.
 * The compiled text of each query is snapshot-tested per dialect (prepared.test.ts and the
 * tests beside each repository), so the SQL stays reviewable in one place.
 *
 * Three shapes: `preparedQuery` (one statement, named slots), `preparedByKey` (many keys:
 * one statement per key on SQLite in a held transaction, one statement for all keys
 * elsewhere: `= any($1)` on PostgreSQL, json_each on SQLite), and `preparedRows` (writes of
 * many rows: one single-row statement each on SQLite in a held transaction, one statement for
 * all rows elsewhere, the rows passed as arrays (PostgreSQL, unnest) or JSON (SQLite)).
 */
import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Compilable,
  type Expression,
  type InsertQueryBuilder,
  type InsertResult,
  type RawBuilder,
  type SqlBool,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import type { Database } from './database.js';
import { dialectOf, type Dialect } from './dialect.js';
import { heldSqlite, idleSqlite, type Executor, type SqliteStatements } from './transaction.js';

/** Named parameter slots, as expressions to build a query with. */
export type Slots<P> = { readonly [K in keyof P]-?: Expression<P[K]> };

/** The SQL types a column of rows passed in bulk is cast to (PostgreSQL's unnest needs them). */
export type BulkColumnType = 'text' | 'bigint' | 'integer';

/** Where compiled text runs: held (SQLite in writeTransaction, one row or key a statement). */
type Target = 'held' | Dialect;

/** A parameter of a compiled query: a named slot, or a value the builder fixed. */
class SlotValue {
  constructor(readonly name: string) {}
}

/** One compiled form: its text, and where each parameter's value comes from. */
class Compiled {
  readonly sql: string;
  private readonly binds: readonly unknown[];

  constructor(query: CompiledQuery) {
    this.sql = query.sql;
    this.binds = query.parameters;
  }

  /** The parameter values for these slot values, in the compiled order. */
  values(slots: Readonly<Record<string, unknown>>): unknown[] {
    const values = new Array<unknown>(this.binds.length);
    for (let index = 0; index < this.binds.length; index++) {
      const bind = this.binds[index];
      values[index] = bind instanceof SlotValue ? slots[bind.name] : bind;
    }
    return values;
  }

  query(slots: Readonly<Record<string, unknown>>): CompiledQuery {
    return CompiledQuery.raw(this.sql, this.values(slots));
  }
}

function compileOnly(dialect: Dialect): Kysely<Database> {
  return new Kysely<Database>({
    dialect:
      dialect === 'sqlite'
        ? {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          }
        : {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          },
  });
}

/** Kysely instances that only compile: one per dialect, no connection. */
const builders: Record<Dialect, Kysely<Database>> = {
  sqlite: compileOnly('sqlite'),
  postgres: compileOnly('postgres'),
};

function slot<T>(name: string): Expression<T> {
  return sql<T>`${new SlotValue(name)}`;
}

/** Slots for any name asked for (the builder names them, the type lists them). */
function slotsByName<P>(): Slots<P> {
  return new Proxy({} as Slots<P>, {
    get: (_target, name) => (typeof name === 'string' ? slot(name) : undefined),
  });
}

function formsOf(compiled: Partial<Record<Target, Compiled>>): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const [target, form] of Object.entries(compiled)) forms[target] = form.sql;
  return forms;
}

/** The rows of a compiled read: at once on an idle SQLite connection, else through Kysely. */
async function readThrough<R>(
  db: Executor,
  compiled: Compiled,
  slots: Readonly<Record<string, unknown>>,
): Promise<R[]> {
  const idle = idleSqlite(db);
  if (idle) return idle.prepare(compiled.sql).all(compiled.values(slots)) as R[];
  return (await db.executeQuery<R>(compiled.query(slots))).rows;
}

async function writeThrough(
  db: Executor,
  compiled: Compiled,
  slots: Readonly<Record<string, unknown>>,
): Promise<number> {
  const result = await db.executeQuery(compiled.query(slots));
  return Number(result.numAffectedRows ?? 0);
}

/** A query with named parameters `P` answering rows `R`, compiled once per dialect. */
export class PreparedQuery<P, R> {
  private readonly compiled: Record<Dialect, Compiled>;

  constructor(build: (db: Kysely<Database>, slots: Slots<P>) => Compilable<R>) {
    const slots = slotsByName<P>();
    this.compiled = {
      sqlite: new Compiled(build(builders.sqlite, slots).compile()),
      postgres: new Compiled(build(builders.postgres, slots).compile()),
    };
  }

  /** The compiled text per dialect (for review and snapshot tests). */
  forms(): Record<string, string> {
    return formsOf(this.compiled);
  }

  /** Every row the query answers. */
  async all(db: Executor, params: P): Promise<R[]> {
    const slots = params as Readonly<Record<string, unknown>>;
    const held = heldSqlite(db);
    if (held) {
      const compiled = this.compiled.sqlite;
      return held.prepare(compiled.sql).all(compiled.values(slots)) as R[];
    }
    return readThrough<R>(db, this.compiled[dialectOf(db)], slots);
  }

  /** The first row the query answers, if any. */
  async first(db: Executor, params: P): Promise<R | undefined> {
    const held = heldSqlite(db);
    if (held) {
      const compiled = this.compiled.sqlite;
      return held
        .prepare(compiled.sql)
        .get(compiled.values(params as Readonly<Record<string, unknown>>)) as R | undefined;
    }
    return (await this.all(db, params))[0];
  }

  /** Runs a write; answers the rows it changed. */
  async run(db: Executor, params: P): Promise<number> {
    const slots = params as Readonly<Record<string, unknown>>;
    const held = heldSqlite(db);
    if (held) {
      const compiled = this.compiled.sqlite;
      return held.prepare(compiled.sql).run(compiled.values(slots)).changes;
    }
    return writeThrough(db, this.compiled[dialectOf(db)], slots);
  }
}

/** A query with named parameters; see PreparedQuery. */
export function preparedQuery<P = Record<never, never>, R = unknown>(
  build: (db: Kysely<Database>, slots: Slots<P>) => Compilable<R>,
): PreparedQuery<P, R> {
  return new PreparedQuery(build);
}

/**
 * Matches a column against the keys asked for: `column = ?` (one key a statement, SQLite in
 * a held transaction), `column = any($1)` (PostgreSQL) or `column in (json_each(?))` (SQLite).
 */
export type KeyMatch = (column: string) => Expression<SqlBool>;

const keysSlot = 'keys';

/**
 * A read of many keys (`K`), with named parameters `P` besides, answering rows `R`: on SQLite
 * in a held transaction one cached statement per key (better-sqlite3 runs one in
 * microseconds), elsewhere one statement for all of them. With `oneRowPerKey`, a key's
 * statement stops at its first row.
 */
export class PreparedByKey<K, R, P = Record<never, never>> {
  private readonly compiled: Record<Target, Compiled>;

  constructor(
    build: (db: Kysely<Database>, key: KeyMatch, slots: Slots<P>) => Compilable<R>,
    private readonly oneRowPerKey: boolean,
  ) {
    const slots = slotsByName<P>();
    const keys = slot<unknown>(keysSlot);
    const match: Record<Target, KeyMatch> = {
      held: (column) => sql<SqlBool>`${sql.ref(column)} = ${keys}`,
      sqlite: (column) =>
        sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${keys}))`,
      postgres: (column) => sql<SqlBool>`${sql.ref(column)} = any(${keys})`,
    };
    this.compiled = {
      held: new Compiled(build(builders.sqlite, match.held, slots).compile()),
      sqlite: new Compiled(build(builders.sqlite, match.sqlite, slots).compile()),
      postgres: new Compiled(build(builders.postgres, match.postgres, slots).compile()),
    };
  }

  /** The compiled text of each form (for review and snapshot tests). */
  forms(): Record<string, string> {
    return formsOf(this.compiled);
  }

  /** The rows for these keys, key after key on SQLite in a held transaction. */
  async rows(db: Executor, keys: readonly K[], params?: P): Promise<R[]> {
    if (keys.length === 0) return [];
    const held = heldSqlite(db);
    if (held) return this.heldRows(held, keys, params);
    const dialect = dialectOf(db);
    const value = dialect === 'sqlite' ? JSON.stringify(keys) : keys;
    return readThrough<R>(db, this.compiled[dialect], { ...params, [keysSlot]: value });
  }

  /** The statement a held SQLite connection runs per key, and its parameters for one key. */
  heldStatement(
    held: SqliteStatements,
    params?: P,
  ): {
    statement: SqliteDatabase.Statement;
    values: (key: K) => unknown[];
  } {
    const compiled = this.compiled.held;
    const slots: Record<string, unknown> = { ...params };
    return {
      statement: held.prepare(compiled.sql),
      values: (key) => {
        slots[keysSlot] = key;
        return compiled.values(slots);
      },
    };
  }

  private heldRows(held: SqliteStatements, keys: readonly K[], params: P | undefined): R[] {
    const { statement, values } = this.heldStatement(held, params);
    const rows: R[] = [];
    for (const key of keys) {
      if (this.oneRowPerKey) {
        const row = statement.get(values(key)) as R | undefined;
        if (row) rows.push(row);
      } else {
        for (const row of statement.all(values(key))) rows.push(row as R);
      }
    }
    return rows;
  }
}

/** A read of many keys; see PreparedByKey. */
export function preparedByKey<K, R, P = Record<never, never>>(
  build: (db: Kysely<Database>, key: KeyMatch, slots: Slots<P>) => Compilable<R>,
  options: { oneRowPerKey?: boolean } = {},
): PreparedByKey<K, R, P> {
  return new PreparedByKey<K, R, P>(build, options.oneRowPerKey ?? false);
}

/** The columns of rows written in bulk, each with the SQL type its array is cast to. */
export type BulkColumns<W> = { readonly [C in keyof W]-?: BulkColumnType };

/** A write built over one row's values (slots), or over the rows source `v` in bulk. */
type RowsBuild<W> = (
  db: Kysely<Database>,
  row: Slots<W>,
  source: RawBuilder<unknown> | null,
) => Compilable<InsertResult | UpdateResult>;

/** The FROM item `v` holding the rows: one JSON array (SQLite) or one array per column. */
function rowsSource(dialect: Dialect, names: readonly string[], types: readonly BulkColumnType[]) {
  if (dialect === 'sqlite') {
    const select = names.map((name, index) => sql`value->>${sql.lit(index)} as ${sql.ref(name)}`);
    return sql`(select ${sql.join(select)} from json_each(${slot('rows')}))`.as('v');
  }
  const arrays = names.map(
    (name, index) => sql`cast(${slot(name)} as ${sql.raw(types[index] ?? 'text')}[])`,
  );
  return sql`unnest(${sql.join(arrays)})`.as(sql`v(${sql.join(names.map((n) => sql.ref(n)))})`);
}

/**
 * A write of many rows `W`: on SQLite in a held transaction one cached single-row statement
 * per row, elsewhere one statement for all rows. Answers the rows changed.
 */
export class PreparedRows<W> {
  private readonly compiled: Record<Target, Compiled>;
  private readonly names: readonly (keyof W & string)[];

  constructor(columns: BulkColumns<W>, build: RowsBuild<W>) {
    this.names = Object.keys(columns) as (keyof W & string)[];
    const types = this.names.map((name) => columns[name]);
    const refs = Object.fromEntries(this.names.map((name) => [name, sql.ref(`v.${name}`)]));
    const bulk = (dialect: Dialect) => {
      const source = rowsSource(dialect, this.names, types);
      return new Compiled(
        build(
          builders[dialect],
          refs as unknown as Slots<W>,
          source as unknown as RawBuilder<unknown>,
        ).compile(),
      );
    };
    this.compiled = {
      held: new Compiled(build(builders.sqlite, slotsByName<W>(), null).compile()),
      sqlite: bulk('sqlite'),
      postgres: bulk('postgres'),
    };
  }

  /** The compiled text of each form (for review and snapshot tests). */
  forms(): Record<string, string> {
    return formsOf(this.compiled);
  }

  async run(db: Executor, rows: readonly W[]): Promise<number> {
    if (rows.length === 0) return 0;
    const held = heldSqlite(db);
    if (held) {
      const compiled = this.compiled.held;
      const statement = held.prepare(compiled.sql);
      let changes = 0;
      for (const row of rows) {
        changes += statement.run(compiled.values(row as Record<string, unknown>)).changes;
      }
      return changes;
    }
    const dialect = dialectOf(db);
    const slots: Record<string, unknown> = {};
    if (dialect === 'sqlite') {
      slots.rows = JSON.stringify(rows.map((row) => this.names.map((name) => row[name])));
    } else {
      for (const name of this.names) slots[name] = rows.map((row) => row[name]);
    }
    return writeThrough(db, this.compiled[dialect], slots);
  }
}

/** Inserts rows into `table`, the columns named (and typed for bulk) by `columns`. */
export function preparedInsert<T extends keyof Database & string, W>(
  table: T,
  columns: BulkColumns<W>,
): PreparedRows<W> {
  const names = Object.keys(columns);
  return new PreparedRows<W>(columns, (db, row, source) => {
    const into = db.insertInto(table) as unknown as InsertQueryBuilder<
      Record<string, Record<string, unknown>>,
      string,
      InsertResult
    >;
    if (!source) {
      const values = Object.fromEntries(names.map((name) => [name, row[name as keyof W]]));
      return into.values(values);
    }
    const selected = sql.join(names.map((name) => sql.ref(`v.${name}`)));
    return into.columns(names).expression(sql`select ${selected} from ${source}`);
  });
}

/**
 * Updates `table` from rows: `build` sets and filters over one row's values; in bulk the
 * rows source `v` is added to the statement's FROM (so `build` must match its key there).
 */
export function preparedUpdate<T extends keyof Database & string, W>(
  table: T,
  columns: BulkColumns<W>,
  build: (
    query: UpdateQueryBuilder<Database, T, T, UpdateResult>,
    row: Slots<W>,
  ) => Compilable<UpdateResult>,
): PreparedRows<W> {
  return new PreparedRows<W>(columns, (db, row, source) => {
    const query = db.updateTable(table) as unknown as UpdateQueryBuilder<
      Database,
      T,
      T,
      UpdateResult
    >;
    return build(
      source
        ? (query.from(source as never) as unknown as UpdateQueryBuilder<
            Database,
            T,
            T,
            UpdateResult
          >)
        : query,
      row,
    );
  });
}

/** True for any prepared query, keyed read or rows write (the snapshot test lists them). */
export function isPrepared(
  value: unknown,
): value is
  | PreparedQuery<unknown, unknown>
  | PreparedByKey<unknown, unknown, unknown>
  | PreparedRows<unknown> {
  return (
    value instanceof PreparedQuery ||
    value instanceof PreparedByKey ||
    value instanceof PreparedRows
  );
}
