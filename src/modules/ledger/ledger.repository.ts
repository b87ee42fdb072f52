/**
 * All of the ledger's SQL. Bulk statements pass a whole column set as ONE parameter
 * (SQLite: a JSON array read with json_each; PostgreSQL: arrays read with unnest), so a
 * batch of 8,000 transfers is a handful of statements with short text that prepare fast,
 * whatever the batch size, and no statement nears a parameter limit.
 *
 * Inside writeTransaction on SQLite, the functions createTransfers runs take a hot path
 * instead: one prepared single-row statement per row (heldSqlite), which SQLite runs in a few
 * microseconds, with the same conditions and the same affected-row checks as the bulk ones.
 * It also keeps the accounts it has read between batches (KeptRows: dropped as soon as anything
 * else may have changed the database), and looks up no transfer id that sorts after every
 * stored one.
 */
import { SqliteAdapter, sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/connect.js';
import type { Row } from '../../db/database.js';
import {
  getEach,
  heldSqlite,
  runEach,
  type Executor,
  type HeldSqliteStatements,
  type SqliteStatements,
} from '../../db/transaction.js';
import type { AccountIdentity } from '../../domain/ledger/accounts.js';
import type {
  AccountBalances,
  AccountState,
  PendingState,
  TransferRecord,
} from '../../domain/ledger/ledger.js';

/** The dialect behind an executor (a transaction knows its adapter). */
export function dialectOf(db: Executor): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

type ColumnType = 'text' | 'bigint' | 'integer';
type Column = readonly [name: string, type: ColumnType];

/** `column in (ids)` with the ids as one parameter. */
function idIn(dialect: Dialect, column: string, ids: readonly string[]): RawBuilder<unknown> {
  return dialect === 'sqlite'
    ? sql`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql`${sql.ref(column)} = any(cast(${ids} as text[]))`;
}

/** A FROM item `v(columns...)` holding `rows`, passed as one parameter per dialect convention. */
function rowsSource(
  dialect: Dialect,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
): RawBuilder<unknown> {
  if (dialect === 'sqlite') {
    const select = columns.map(([name], index) => `value->>${index} as ${name}`).join(', ');
    return sql`(select ${sql.raw(select)} from json_each(${JSON.stringify(rows)})) as v`;
  }
  const arrays = columns.map(([, type], index) => {
    const values = rows.map((row) => row[index]);
    return sql`cast(${values} as ${sql.raw(type)}[])`;
  });
  const names = columns.map(([name]) => name).join(', ');
  return sql`unnest(${sql.join(arrays)}) as v(${sql.raw(names)})`;
}

/** Inserts `rows` (arrays in `columns` order) with one statement (SQLite hot path: one per row). */
async function insertRows(
  db: Executor,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const text = `insert into ${table} (${columns.map(([name]) => name).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    assertAffected(runEach(sqlite, text, rows), rows.length, `insert into ${table}`);
    return;
  }
  const names = sql.raw(columns.map(([name]) => name).join(', '));
  const source = rowsSource(dialectOf(db), columns, rows);
  const result =
    await sql`insert into ${sql.table(table)} (${names}) select ${names} from ${source}`.execute(
      db,
    );
  assertAffected(result.numAffectedRows, rows.length, `insert into ${table}`);
}

/**
 * The ids that may be stored in `table` (keyed by a text `id`): every id but those sorting
 * after the largest stored one, which cannot be there. Time-ordered ids (UUIDv7, as clients
 * should make them) all sort after it, so a batch of new ones needs no lookup at all.
 * SQLite compares text as UTF-8 bytes, which is JavaScript's order for strings without
 * surrogate pairs; ids with one are always looked up.
 */
function idsPossiblyStored(
  sqlite: SqliteStatements,
  table: 'transfers' | 'transfer_failures',
  ids: readonly string[],
): readonly string[] {
  const { largest } = sqlite.prepare(`select max(id) as largest from ${table}`).get() as {
    largest: string | null;
  };
  if (largest === null) return [];
  return ids.filter((id) => id <= largest || surrogate.test(id));
}

const surrogate = /[\ud800-\udfff]/;

/** A write that touched another number of rows than planned is a broken invariant: stop. */
function assertAffected(actual: bigint | number | undefined, expected: number, what: string): void {
  if (actual !== undefined && Number(actual) !== expected) {
    throw new Error(
      `ledger invariant broken: ${what} affected ${actual} rows, expected ${expected}`,
    );
  }
}

const transferColumns: readonly Column[] = [
  ['id', 'text'],
  ['debit_account_id', 'text'],
  ['credit_account_id', 'text'],
  ['amount', 'bigint'],
  ['commodity', 'text'],
  ['code', 'text'],
  ['flags', 'integer'],
  ['pending_id', 'text'],
  ['timeout_seconds', 'integer'],
  ['actor_id', 'text'],
  ['references_json', 'text'],
  ['created_at', 'text'],
];

const transferColumnList = transferColumns.map(([name]) => `t.${name}`).join(', ');
const transferSelection = sql.raw(transferColumnList);

const accountStateColumnList =
  'id, commodity, flags, debits_posted, credits_posted, debits_pending, credits_pending';
const accountStateSelection = sql.raw(accountStateColumnList);

/** Loads the transfers with these ids. */
export async function loadTransfers(
  db: Executor,
  ids: readonly string[],
): Promise<TransferRecord[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const candidates = idsPossiblyStored(sqlite, 'transfers', ids);
    return getEach(
      sqlite,
      `select ${transferColumnList} from transfers t where t.id = ?`,
      candidates,
    );
  }
  const { rows } =
    await sql<TransferRecord>`select ${transferSelection} from transfers t where ${idIn(dialectOf(db), 't.id', ids)}`.execute(
      db,
    );
  return rows;
}

/** Loads the recorded failures among these ids. */
export async function loadFailures(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; code: string }[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const candidates = idsPossiblyStored(sqlite, 'transfer_failures', ids);
    return getEach(sqlite, 'select id, code from transfer_failures where id = ?', candidates);
  }
  const { rows } = await sql<{
    id: string;
    code: string;
  }>`select id, code from transfer_failures where ${idIn(dialectOf(db), 'id', ids)}`.execute(db);
  return rows;
}

/** Loads the states of these pending transfers. */
export async function loadPendings(db: Executor, ids: readonly string[]): Promise<PendingState[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    return getEach(
      sqlite,
      'select id, status, expires_at from pending_transfers where id = ?',
      ids,
    );
  }
  const { rows } =
    await sql<PendingState>`select id, status, expires_at from pending_transfers where ${idIn(dialectOf(db), 'id', ids)}`.execute(
      db,
    );
  return rows;
}

/** Pending transfers still reserving at `nowIso` although their expiry has passed. */
export async function loadExpiredPendings(db: Executor, nowIso: string): Promise<TransferRecord[]> {
  const sqlite = heldSqlite(db);
  if (sqlite) {
    return sqlite
      .prepare(
        `select ${transferColumnList} from pending_transfers p join transfers t on t.id = p.id
        where p.status = 'pending' and p.expires_at <= ?`,
      )
      .all(nowIso) as TransferRecord[];
  }
  const { rows } =
    await sql<TransferRecord>`select ${transferSelection} from pending_transfers p join transfers t on t.id = p.id
    where p.status = 'pending' and p.expires_at <= ${nowIso}`.execute(db);
  return rows;
}

/**
 * Loads these accounts' balances for a write. PostgreSQL locks the rows (FOR UPDATE, in id
 * order so that concurrent batches never deadlock); SQLite already holds the write lock
 * (BEGIN IMMEDIATE).
 */
export async function lockAccounts(db: Executor, ids: readonly string[]): Promise<AccountState[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) return lockAccountsEach(sqlite, ids);
  const dialect = dialectOf(db);
  const query =
    dialect === 'postgres'
      ? sql<AccountState>`select ${accountStateSelection} from accounts where ${idIn(dialect, 'id', ids)} order by id for update`
      : sql<AccountState>`select ${accountStateSelection} from accounts where ${idIn(dialect, 'id', ids)}`;
  const { rows } = await query.execute(db);
  return rows;
}

/**
 * lockAccounts' SQLite hot path: each account from the rows kept on the connection (see
 * KeptRows), else read (as an array: better-sqlite3 builds row objects far more slowly) and
 * kept. applyBalanceDeltas brings the kept rows up to date and seals them.
 */
function lockAccountsEach(sqlite: HeldSqliteStatements, ids: readonly string[]): AccountState[] {
  const kept = sqlite.kept<AccountState>(keptAccounts).open();
  const statement = sqlite.prepare(`select ${accountStateColumnList} from accounts where id = ?`);
  statement.raw(true);
  const accounts: AccountState[] = [];
  for (const id of ids) {
    let account = kept.get(id);
    if (!account) {
      const row = statement.get(id) as AccountStateRow | undefined;
      if (!row) continue;
      account = {
        id: row[0],
        commodity: row[1],
        flags: row[2],
        debits_posted: row[3],
        credits_posted: row[4],
        debits_pending: row[5],
        credits_pending: row[6],
      };
      kept.set(id, account);
    }
    accounts.push(account);
  }
  return accounts;
}

const keptAccounts = 'ledger.accounts';
type AccountStateRow = [string, string, number, number, number, number, number];

/** Inserts new transfers. */
export async function insertTransfers(
  db: Executor,
  transfers: readonly TransferRecord[],
): Promise<void> {
  await insertRows(
    db,
    'transfers',
    transferColumns,
    transfers.map((t) => [
      t.id,
      t.debit_account_id,
      t.credit_account_id,
      t.amount,
      t.commodity,
      t.code,
      t.flags,
      t.pending_id,
      t.timeout_seconds,
      t.actor_id,
      t.references_json,
      t.created_at,
    ]),
  );
}

/** Inserts the states of new pending transfers. */
export async function insertPendings(
  db: Executor,
  pendings: readonly PendingState[],
): Promise<void> {
  await insertRows(
    db,
    'pending_transfers',
    [
      ['id', 'text'],
      ['status', 'text'],
      ['expires_at', 'text'],
    ],
    pendings.map((p) => [p.id, p.status, p.expires_at]),
  );
}

/** Moves pending transfers out of 'pending'; every one must still have been pending. */
export async function updatePendingStatuses(
  db: Executor,
  changes: readonly PendingState[],
): Promise<void> {
  if (changes.length === 0) return;
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const updated = runEach(
      sqlite,
      "update pending_transfers set status = ? where id = ? and status = 'pending'",
      changes.map((p) => [p.status, p.id]),
    );
    assertAffected(updated, changes.length, 'update pending_transfers');
    return;
  }
  const source = rowsSource(
    dialectOf(db),
    [
      ['id', 'text'],
      ['status', 'text'],
    ],
    changes.map((p) => [p.id, p.status]),
  );
  const result = await sql`update pending_transfers set status = v.status from ${source}
    where pending_transfers.id = v.id and pending_transfers.status = 'pending'`.execute(db);
  assertAffected(result.numAffectedRows, changes.length, 'update pending_transfers');
}

/** Records ids that failed for a state-dependent reason. */
export async function insertFailures(
  db: Executor,
  failures: readonly { id: string; code: string }[],
  createdAt: string,
): Promise<void> {
  await insertRows(
    db,
    'transfer_failures',
    [
      ['id', 'text'],
      ['code', 'text'],
      ['created_at', 'text'],
    ],
    failures.map((f) => [f.id, f.code, createdAt]),
  );
}

/**
 * Adds the deltas to the balances in one conditional update that re-checks every account
 * flag on the new values; the CHECK constraints back it. Fewer rows updated than planned
 * means the plan ran on a stale snapshot: a broken invariant, so it throws (rolling back).
 */
export async function applyBalanceDeltas(
  db: Executor,
  deltas: ReadonlyMap<string, AccountBalances>,
): Promise<void> {
  if (deltas.size === 0) return;
  const sqlite = heldSqlite(db);
  if (sqlite) {
    applyBalanceDeltasEach(sqlite, deltas);
    return;
  }
  const rows: unknown[][] = [];
  for (const [id, d] of deltas) {
    rows.push([id, d.debits_posted, d.credits_posted, d.debits_pending, d.credits_pending]);
  }
  const source = rowsSource(
    dialectOf(db),
    [
      ['id', 'text'],
      ['dp', 'bigint'],
      ['cp', 'bigint'],
      ['dq', 'bigint'],
      ['cq', 'bigint'],
    ],
    rows,
  );
  const result = await sql`update accounts set
      debits_posted = accounts.debits_posted + v.dp,
      credits_posted = accounts.credits_posted + v.cp,
      debits_pending = accounts.debits_pending + v.dq,
      credits_pending = accounts.credits_pending + v.cq
    from ${source}
    where accounts.id = v.id
      and ((accounts.flags & 1) = 0
        or accounts.debits_posted + v.dp + accounts.debits_pending + v.dq <= accounts.credits_posted + v.cp)
      and ((accounts.flags & 2) = 0
        or accounts.credits_posted + v.cp + accounts.credits_pending + v.cq <= accounts.debits_posted + v.dp)
      and ((accounts.flags & 4) = 0 or (v.dp <= 0 and v.cp <= 0 and v.dq <= 0 and v.cq <= 0))`.execute(
    db,
  );
  assertAffected(result.numAffectedRows, deltas.size, 'update accounts');
}

/**
 * applyBalanceDeltas' SQLite hot path: the same conditions per account, on the new values
 * (posted + pending debits + their deltas against the credits plus theirs, and so on), with
 * the sums of deltas and "does any balance grow" worked out here so each value binds once.
 */
function applyBalanceDeltasEach(
  sqlite: HeldSqliteStatements,
  deltas: ReadonlyMap<string, AccountBalances>,
): void {
  const statement = sqlite.prepare(`update accounts set
      debits_posted = debits_posted + ?, credits_posted = credits_posted + ?,
      debits_pending = debits_pending + ?, credits_pending = credits_pending + ?
    where id = ?
      and ((flags & 1) = 0 or debits_posted + debits_pending + ? <= credits_posted + ?)
      and ((flags & 2) = 0 or credits_posted + credits_pending + ? <= debits_posted + ?)
      and ((flags & 4) = 0 or ? = 0)`);
  let updated = 0;
  for (const [id, d] of deltas) {
    const grows =
      d.debits_posted > 0 || d.credits_posted > 0 || d.debits_pending > 0 || d.credits_pending > 0;
    updated += statement.run(
      d.debits_posted,
      d.credits_posted,
      d.debits_pending,
      d.credits_pending,
      id,
      d.debits_posted + d.debits_pending,
      d.credits_posted,
      d.credits_posted + d.credits_pending,
      d.debits_posted,
      grows ? 1 : 0,
    ).changes;
  }
  assertAffected(updated, deltas.size, 'update accounts');
  const kept = sqlite.kept<AccountState>(keptAccounts);
  const accounts = kept.whileOpen();
  if (accounts) {
    for (const [id, d] of deltas) {
      const account = accounts.get(id);
      if (!account) continue;
      account.debits_posted += d.debits_posted;
      account.credits_posted += d.credits_posted;
      account.debits_pending += d.debits_pending;
      account.credits_pending += d.credits_pending;
    }
  }
  kept.seal();
}

/** The identities of the accounts with these ids. */
export async function loadAccountIdentities(
  db: Executor,
  ids: readonly string[],
): Promise<AccountIdentity[]> {
  if (ids.length === 0) return [];
  const { rows } =
    await sql<AccountIdentity>`select id, commodity, owner_kind, owner_id, flags from accounts where ${idIn(dialectOf(db), 'id', ids)}`.execute(
      db,
    );
  return rows;
}

/** Which of these commodity codes exist. */
export async function loadCommodityCodes(
  db: Executor,
  codes: readonly string[],
): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<{
    code: string;
  }>`select code from commodities where ${idIn(dialectOf(db), 'code', codes)}`.execute(db);
  return rows.map((row) => row.code);
}

/** Inserts new accounts with zero balances. */
export async function insertAccounts(
  db: Executor,
  accounts: readonly AccountIdentity[],
  createdAt: string,
): Promise<void> {
  await insertRows(
    db,
    'accounts',
    [
      ['id', 'text'],
      ['commodity', 'text'],
      ['owner_kind', 'text'],
      ['owner_id', 'text'],
      ['flags', 'integer'],
      ['created_at', 'text'],
    ],
    accounts.map((a) => [a.id, a.commodity, a.owner_kind, a.owner_id, a.flags, createdAt]),
  );
}

/** The accounts with these ids (missing ids are left out), in id order. */
export async function selectAccounts(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'accounts'>[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<
    Row<'accounts'>
  >`select * from accounts where ${idIn(dialectOf(db), 'id', ids)} order by id`.execute(db);
  return rows;
}

/** The transfers with these ids (missing ids are left out), in id order. */
export async function selectTransfers(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'transfers'>[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<
    Row<'transfers'>
  >`select * from transfers where ${idIn(dialectOf(db), 'id', ids)} order by id`.execute(db);
  return rows;
}

/** An owner's account for a commodity, if it has one (the first created when several). */
export async function selectAccountByOwner(
  db: Executor,
  ownerKind: string,
  ownerId: string,
  commodity: string,
): Promise<Row<'accounts'> | undefined> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .where('commodity', '=', commodity)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** Sets the closed flag; returns the flags before, or undefined when there is no such account. */
export async function setAccountClosed(db: Executor, id: string): Promise<number | undefined> {
  const before = await db
    .selectFrom('accounts')
    .select('flags')
    .where('id', '=', id)
    .$call((query) => (dialectOf(db) === 'postgres' ? query.forUpdate() : query))
    .executeTakeFirst();
  if (!before) return undefined;
  await db
    .updateTable('accounts')
    .set({ flags: sql<number>`flags | 4` })
    .where('id', '=', id)
    .execute();
  return before.flags;
}

/** One account whose stored balances differ from the ones its transfers add up to. */
export interface BalanceMismatch extends AccountBalances {
  id: string;
  expected_debits_posted: number;
  expected_credits_posted: number;
  expected_debits_pending: number;
  expected_credits_pending: number;
}

/**
 * Recomputes every account's balances from the transfers (posted: single-phase and post
 * amounts; pending: pending transfers whose state is still 'pending') and returns the
 * accounts that differ, in id order.
 */
export async function selectBalanceMismatches(
  db: Executor,
  limit: number,
): Promise<BalanceMismatch[]> {
  const { rows } = await sql<BalanceMismatch>`
    with moves as (
      select t.debit_account_id as account_id,
        case when (t.flags & 10) = 0 then t.amount else 0 end as dp,
        0 as cp,
        case when (t.flags & 2) <> 0 and p.status = 'pending' then t.amount else 0 end as dq,
        0 as cq
      from transfers t left join pending_transfers p on p.id = t.id
      union all
      select t.credit_account_id,
        0,
        case when (t.flags & 10) = 0 then t.amount else 0 end,
        0,
        case when (t.flags & 2) <> 0 and p.status = 'pending' then t.amount else 0 end
      from transfers t left join pending_transfers p on p.id = t.id
    ),
    sums as (
      select account_id, sum(dp) as dp, sum(cp) as cp, sum(dq) as dq, sum(cq) as cq
      from moves group by account_id
    ),
    compared as (
      select a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
        cast(coalesce(s.dp, 0) as bigint) as expected_debits_posted,
        cast(coalesce(s.cp, 0) as bigint) as expected_credits_posted,
        cast(coalesce(s.dq, 0) as bigint) as expected_debits_pending,
        cast(coalesce(s.cq, 0) as bigint) as expected_credits_pending
      from accounts a left join sums s on s.account_id = a.id
    )
    select * from compared
    where debits_posted <> expected_debits_posted or credits_posted <> expected_credits_posted
      or debits_pending <> expected_debits_pending or credits_pending <> expected_credits_pending
    order by id
    limit ${limit}`.execute(db);
  return rows;
}

/** Accounts whose balances break their own flags (the CHECK constraints forbid it). */
export async function selectOverdrawnAccounts(
  db: Executor,
  limit: number,
): Promise<Row<'accounts'>[]> {
  const { rows } = await sql<Row<'accounts'>>`select * from accounts
    where ((flags & 1) <> 0 and debits_posted + debits_pending > credits_posted)
       or ((flags & 2) <> 0 and credits_posted + credits_pending > debits_posted)
    order by id limit ${limit}`.execute(db);
  return rows;
}

export interface CommodityTotals {
  commodity: string;
  accounts: number;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
}

/** Per commodity, the sums of every balance across its accounts. */
export async function selectCommodityTotals(db: Executor): Promise<CommodityTotals[]> {
  const { rows } = await sql<CommodityTotals>`select commodity,
      cast(count(*) as bigint) as accounts,
      cast(sum(debits_posted) as bigint) as debits_posted,
      cast(sum(credits_posted) as bigint) as credits_posted,
      cast(sum(debits_pending) as bigint) as debits_pending,
      cast(sum(credits_pending) as bigint) as credits_pending
    from accounts group by commodity order by commodity`.execute(db);
  return rows;
}

/** A transfer that disagrees with its accounts or its pending transfer. */
export interface TransferMismatch {
  id: string;
  field: string;
  expected: string | number | null;
  actual: string | number | null;
}

/**
 * Transfers whose commodity differs from an account's, pending transfers without their
 * state (or states without a pending transfer), and states that disagree with the posts
 * and voids that name them.
 */
export async function selectTransferMismatches(
  db: Executor,
  limit: number,
): Promise<TransferMismatch[]> {
  const { rows } = await sql<TransferMismatch>`
    select * from (
      select t.id, 'commodity' as field, d.commodity as expected, t.commodity as actual
      from transfers t join accounts d on d.id = t.debit_account_id join accounts c on c.id = t.credit_account_id
      where t.commodity <> d.commodity or t.commodity <> c.commodity
      union all
      select t.id, 'pending_state', 'pending_transfers row', 'none'
      from transfers t left join pending_transfers p on p.id = t.id
      where (t.flags & 2) <> 0 and p.id is null
      union all
      select p.id, 'pending_state', 'a pending transfer', 'none'
      from pending_transfers p left join transfers t on t.id = p.id
      where t.id is null or (t.flags & 2) = 0
      union all
      select p.id, 'status',
        case when r.posts > 0 then 'posted' when r.voids > 0 then 'voided' else 'pending or expired' end,
        p.status
      from pending_transfers p
      left join (
        select pending_id, sum(case when (flags & 4) <> 0 then 1 else 0 end) as posts,
          sum(case when (flags & 8) <> 0 then 1 else 0 end) as voids
        from transfers where pending_id is not null group by pending_id
      ) r on r.pending_id = p.id
      where (coalesce(r.posts, 0) + coalesce(r.voids, 0) > 1)
        or (p.status = 'posted' and coalesce(r.posts, 0) <> 1)
        or (p.status = 'voided' and coalesce(r.voids, 0) <> 1)
        or (p.status in ('pending', 'expired') and coalesce(r.posts, 0) + coalesce(r.voids, 0) <> 0)
      union all
      select x.id, 'amount', cast(r.amount as text), cast(x.amount as text)
      from transfers x join transfers r on r.id = x.pending_id
      where (x.flags & 12) <> 0 and (x.amount > r.amount or ((x.flags & 8) <> 0 and x.amount <> r.amount))
    ) as mismatches
    order by id, field
    limit ${limit}`.execute(db);
  return rows;
}

/** How many transfers the ledger holds. */
export async function countTransfers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('transfers')
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'bigint').as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
