/**
 * The ledger's SQL for writing transfers and accounts (the verify queries are in
 * ledger.verify.repository.ts). Each query is a prepared query (src/db/prepared.ts), written
 * once: inside writeTransaction on SQLite it runs one cached single-row statement per key or
 * row, which SQLite runs in a few microseconds; elsewhere one statement per batch, whatever
 * its size, with each column set passed as one parameter (PostgreSQL arrays, SQLite JSON), so
 * no statement nears a parameter limit. The writes check the rows they changed.
 *
 * On SQLite in a held transaction the ledger also keeps the accounts it has read between
 * batches (KeptRows: dropped as soon as anything else may have changed the database), and
 * looks up no transfer id that sorts after every stored one.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Row } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import {
  preparedByKey,
  preparedInsert,
  preparedQuery,
  preparedUpdate,
  type BulkColumns,
  type Slots,
} from '../../db/prepared.js';
import { heldSqlite, type Executor, type HeldSqliteStatements } from '../../db/transaction.js';
import type { AccountIdentity } from '../../domain/ledger/accounts.js';
import {
  AccountFlags,
  type AccountBalances,
  type AccountState,
  type PendingState,
  type TransferRecord,
} from '../../domain/ledger/ledger.js';

/** A write that touched another number of rows than planned is a broken invariant: stop. */
function assertAffected(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new Error(
      `ledger invariant broken: ${what} affected ${actual} rows, expected ${expected}`,
    );
  }
}

/** `(column & bit) = 0`, the bit named by its constant, never a bare number in the SQL's source. */
export function flagUnset(column: string, bit: number): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(column)} & ${sql.lit(bit)}) = 0`;
}

/** What is added to an account's balances, on the account's side of each limit. */
export interface BalanceAdditions {
  /** To debits_posted + debits_pending. */
  debits: Expression<number>;
  /** To credits_posted. */
  creditsPosted: Expression<number>;
  /** To credits_posted + credits_pending. */
  credits: Expression<number>;
  /** To debits_posted. */
  debitsPosted: Expression<number>;
}

/**
 * The balance limits an account's flags set, true when they hold on `accounts`' balances
 * plus `add`: with debitsMustNotExceedCredits, debits (posted and pending) at most the posted
 * credits; with creditsMustNotExceedDebits, the same the other way round. The guarded
 * balance update and the verify command's overdrawn accounts both use it (the CHECK
 * constraints of the migrations say the same).
 */
export function withinBalanceLimits(add?: BalanceAdditions): Expression<SqlBool> {
  const plus = (value: Expression<unknown>, addition: Expression<number> | undefined) =>
    addition ? sql`${value} + ${addition}` : value;
  const column = (name: string) => sql.ref(`accounts.${name}`);
  const flag = (bit: number) => flagUnset('accounts.flags', bit);
  const debitsWithin = sql`${plus(sql`${column('debits_posted')} + ${column('debits_pending')}`, add?.debits)} <= ${plus(column('credits_posted'), add?.creditsPosted)}`;
  const creditsWithin = sql`${plus(sql`${column('credits_posted')} + ${column('credits_pending')}`, add?.credits)} <= ${plus(column('debits_posted'), add?.debitsPosted)}`;
  return sql<SqlBool>`(${flag(AccountFlags.debitsMustNotExceedCredits)} or ${debitsWithin}) and (${flag(AccountFlags.creditsMustNotExceedDebits)} or ${creditsWithin})`;
}

/**
 * The ids that may be stored in `table` (keyed by a text `id`): every id but those sorting
 * after the largest stored one, which cannot be there. Time-ordered ids (UUIDv7, as clients
 * should make them) all sort after it, so a batch of new ones needs no lookup at all.
 * SQLite compares text as UTF-8 bytes, which is JavaScript's order for strings without
 * surrogate pairs; ids with one are always looked up. (SQLite in a held transaction only,
 * where a lookup is a statement per id.)
 */
async function idsPossiblyStored(
  db: Executor,
  table: 'transfers' | 'transfer_failures',
  ids: readonly string[],
): Promise<readonly string[]> {
  if (!heldSqlite(db)) return ids;
  const row = await largestIds[table].first(db, {});
  const largest = row?.largest ?? null;
  if (largest === null) return [];
  return ids.filter((id) => id <= largest || surrogate.test(id));
}

const surrogate = /[\ud800-\udfff]/;

const largestIds = {
  transfers: preparedQuery((db) =>
    db.selectFrom('transfers').select((eb) => eb.fn.max('id').as('largest')),
  ),
  transfer_failures: preparedQuery((db) =>
    db.selectFrom('transfer_failures').select((eb) => eb.fn.max('id').as('largest')),
  ),
};

const transferColumns: BulkColumns<TransferRecord> = {
  id: 'text',
  debit_account_id: 'text',
  credit_account_id: 'text',
  amount: 'bigint',
  commodity: 'text',
  code: 'text',
  flags: 'integer',
  pending_id: 'text',
  timeout_seconds: 'integer',
  actor_id: 'text',
  references_json: 'text',
  created_at: 'text',
};

const transferFields = Object.keys(transferColumns) as (keyof TransferRecord)[];

const accountStateFields = [
  'id',
  'commodity',
  'flags',
  'debits_posted',
  'credits_posted',
  'debits_pending',
  'credits_pending',
] as const satisfies readonly (keyof AccountState)[];

export const transfersById = preparedByKey<string, TransferRecord>(
  (db, key) =>
    db
      .selectFrom('transfers as t')
      .select(transferFields.map((field) => `t.${field}` as const))
      .where(key('t.id')),
  { oneRowPerKey: true },
);

export const failuresById = preparedByKey<string, { id: string; code: string }>(
  (db, key) => db.selectFrom('transfer_failures').select(['id', 'code']).where(key('id')),
  { oneRowPerKey: true },
);

export const pendingsById = preparedByKey<string, PendingState>(
  (db, key) =>
    db.selectFrom('pending_transfers').select(['id', 'status', 'expires_at']).where(key('id')),
  { oneRowPerKey: true },
);

export const expiredPendings = preparedQuery((db, p: Slots<{ nowIso: string }>) =>
  db
    .selectFrom('pending_transfers as p')
    .innerJoin('transfers as t', 't.id', 'p.id')
    .select(transferFields.map((field) => `t.${field}` as const))
    .where('p.status', '=', sql.lit('pending'))
    .where('p.expires_at', '<=', p.nowIso),
);

/** PostgreSQL locks the rows in id order, so that concurrent batches never deadlock. */
export const accountStatesById = preparedByKey<string, AccountState>(
  (db, key) =>
    db
      .selectFrom('accounts')
      .select(accountStateFields)
      .where(key('id'))
      .$if(dialectOf(db) === 'postgres', (query) => query.orderBy('id').forUpdate()),
  { oneRowPerKey: true },
);

/** Loads the transfers with these ids. */
export async function loadTransfers(
  db: Executor,
  ids: readonly string[],
): Promise<TransferRecord[]> {
  if (ids.length === 0) return [];
  return transfersById.rows(db, await idsPossiblyStored(db, 'transfers', ids));
}

/** Loads the recorded failures among these ids. */
export async function loadFailures(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; code: string }[]> {
  if (ids.length === 0) return [];
  return failuresById.rows(db, await idsPossiblyStored(db, 'transfer_failures', ids));
}

/** Loads the states of these pending transfers. */
export async function loadPendings(db: Executor, ids: readonly string[]): Promise<PendingState[]> {
  return pendingsById.rows(db, ids);
}

/** Pending transfers still reserving at `nowIso` although their expiry has passed. */
export async function loadExpiredPendings(db: Executor, nowIso: string): Promise<TransferRecord[]> {
  return expiredPendings.all(db, { nowIso });
}

/**
 * Loads these accounts' balances for a write. PostgreSQL locks the rows (FOR UPDATE, in id
 * order so that concurrent batches never deadlock); SQLite already holds the write lock
 * (BEGIN IMMEDIATE).
 */
export async function lockAccounts(db: Executor, ids: readonly string[]): Promise<AccountState[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) return lockAccountsKept(sqlite, ids);
  return accountStatesById.rows(db, ids);
}

/**
 * lockAccounts on SQLite in a held transaction: each account from the rows kept on the
 * connection (see KeptRows), else read (as an array: better-sqlite3 builds row objects far
 * more slowly) and kept. applyBalanceDeltas brings the kept rows up to date and seals them.
 */
function lockAccountsKept(sqlite: HeldSqliteStatements, ids: readonly string[]): AccountState[] {
  const kept = sqlite.kept<AccountState>(keptAccounts).open();
  const { statement, values } = accountStatesById.heldStatement(sqlite);
  const accounts: AccountState[] = [];
  statement.raw(true);
  try {
    for (const id of ids) {
      let account = kept.get(id);
      if (!account) {
        const row = statement.get(values(id)) as AccountStateRow | undefined;
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
  } finally {
    statement.raw(false);
  }
  return accounts;
}

const keptAccounts = 'ledger.accounts';
/** A row of accountStatesById as an array, in accountStateFields order. */
type AccountStateRow = [string, string, number, number, number, number, number];

export const insertTransferRows = preparedInsert('transfers', transferColumns);

export const insertPendingRows = preparedInsert<'pending_transfers', PendingState>(
  'pending_transfers',
  { id: 'text', status: 'text', expires_at: 'text' },
);

export const insertFailureRows = preparedInsert<'transfer_failures', Row<'transfer_failures'>>(
  'transfer_failures',
  { id: 'text', code: 'text', created_at: 'text' },
);

export const insertAccountRows = preparedInsert<
  'accounts',
  AccountIdentity & { created_at: string }
>('accounts', {
  id: 'text',
  commodity: 'text',
  owner_kind: 'text',
  owner_id: 'text',
  flags: 'integer',
  created_at: 'text',
});

/** A pending transfer leaves 'pending' only once: the row must still be pending. */
export const updatePendingStatusRows = preparedUpdate<
  'pending_transfers',
  Pick<PendingState, 'id' | 'status'>
>('pending_transfers', { id: 'text', status: 'text' }, (query, row) =>
  query
    .set({ status: row.status })
    .where('pending_transfers.id', '=', row.id)
    .where('pending_transfers.status', '=', sql.lit('pending')),
);

/** One account's balance deltas, with the sums the guard compares bound once each. */
interface BalanceDeltaRow {
  id: string;
  dp: number;
  cp: number;
  dq: number;
  cq: number;
  /** dp + dq, and cp + cq. */
  debits: number;
  credits: number;
  /** 1 when any balance grows (a closed account refuses that), else 0. */
  grows: number;
}

/**
 * Adds the deltas to one account's balances unless the new balances break its flags: the
 * balance limits (withinBalanceLimits) or, for a closed account, any growth.
 */
export const applyBalanceDeltaRows = preparedUpdate<'accounts', BalanceDeltaRow>(
  'accounts',
  {
    id: 'text',
    dp: 'bigint',
    cp: 'bigint',
    dq: 'bigint',
    cq: 'bigint',
    debits: 'bigint',
    credits: 'bigint',
    grows: 'integer',
  },
  (query, row) =>
    query
      .set((eb) => ({
        debits_posted: eb('accounts.debits_posted', '+', row.dp),
        credits_posted: eb('accounts.credits_posted', '+', row.cp),
        debits_pending: eb('accounts.debits_pending', '+', row.dq),
        credits_pending: eb('accounts.credits_pending', '+', row.cq),
      }))
      .where('accounts.id', '=', row.id)
      .where(
        withinBalanceLimits({
          debits: row.debits,
          creditsPosted: row.cp,
          credits: row.credits,
          debitsPosted: row.dp,
        }),
      )
      .where((eb) =>
        eb.or([flagUnset('accounts.flags', AccountFlags.closed), eb(row.grows, '=', sql.lit(0))]),
      ),
);

/** Inserts new transfers. */
export async function insertTransfers(
  db: Executor,
  transfers: readonly TransferRecord[],
): Promise<void> {
  const inserted = await insertTransferRows.run(db, transfers);
  assertAffected(inserted, transfers.length, 'insert into transfers');
}

/** Inserts the states of new pending transfers. */
export async function insertPendings(
  db: Executor,
  pendings: readonly PendingState[],
): Promise<void> {
  const inserted = await insertPendingRows.run(db, pendings);
  assertAffected(inserted, pendings.length, 'insert into pending_transfers');
}

/** Moves pending transfers out of 'pending'; every one must still have been pending. */
export async function updatePendingStatuses(
  db: Executor,
  changes: readonly PendingState[],
): Promise<void> {
  const updated = await updatePendingStatusRows.run(db, changes);
  assertAffected(updated, changes.length, 'update pending_transfers');
}

/** Records ids that failed for a state-dependent reason. */
export async function insertFailures(
  db: Executor,
  failures: readonly { id: string; code: string }[],
  createdAt: string,
): Promise<void> {
  const inserted = await insertFailureRows.run(
    db,
    failures.map((failure) => ({ id: failure.id, code: failure.code, created_at: createdAt })),
  );
  assertAffected(inserted, failures.length, 'insert into transfer_failures');
}

/**
 * Adds the deltas to the balances with a guarded update that re-checks every account flag on
 * the new values; the CHECK constraints back it. Fewer rows updated than planned means the
 * plan ran on a stale snapshot: a broken invariant, so it throws (rolling back). On SQLite in
 * a held transaction it brings the kept accounts up to date and seals them.
 */
export async function applyBalanceDeltas(
  db: Executor,
  deltas: ReadonlyMap<string, AccountBalances>,
): Promise<void> {
  if (deltas.size === 0) return;
  const rows: BalanceDeltaRow[] = [];
  for (const [id, d] of deltas) {
    const grows =
      d.debits_posted > 0 || d.credits_posted > 0 || d.debits_pending > 0 || d.credits_pending > 0;
    rows.push({
      id,
      dp: d.debits_posted,
      cp: d.credits_posted,
      dq: d.debits_pending,
      cq: d.credits_pending,
      debits: d.debits_posted + d.debits_pending,
      credits: d.credits_posted + d.credits_pending,
      grows: grows ? 1 : 0,
    });
  }
  const updated = await applyBalanceDeltaRows.run(db, rows);
  assertAffected(updated, deltas.size, 'update accounts');
  const sqlite = heldSqlite(db);
  if (!sqlite) return;
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

export const accountIdentitiesById = preparedByKey<string, AccountIdentity>(
  (db, key) =>
    db
      .selectFrom('accounts')
      .select(['id', 'commodity', 'owner_kind', 'owner_id', 'flags'])
      .where(key('id')),
  { oneRowPerKey: true },
);

export const commodityCodesByCode = preparedByKey<string, { code: string }>(
  (db, key) => db.selectFrom('commodities').select('code').where(key('code')),
  { oneRowPerKey: true },
);

export const accountsById = preparedByKey<string, Row<'accounts'>>(
  (db, key) => db.selectFrom('accounts').selectAll().where(key('id')).orderBy('id'),
  { oneRowPerKey: true },
);

/** Accounts by id for a write; PostgreSQL locks them in id order until the transaction ends. */
export const accountsForWriteById = preparedByKey<string, Row<'accounts'>>(
  (db, key) =>
    db
      .selectFrom('accounts')
      .selectAll()
      .where(key('id'))
      .orderBy('id')
      .$if(dialectOf(db) === 'postgres', (query) => query.forUpdate()),
  { oneRowPerKey: true },
);

/** The accounts of owners of one kind (keyed by owner id). */
export const accountsByOwner = preparedByKey<string, Row<'accounts'>, { ownerKind: string }>(
  (db, key, p) =>
    db
      .selectFrom('accounts')
      .selectAll()
      .where('owner_kind', '=', p.ownerKind)
      .where(key('owner_id')),
);

/** The same, for a write: PostgreSQL locks them until the transaction ends. */
export const accountsByOwnerForWrite = preparedByKey<
  string,
  Row<'accounts'>,
  { ownerKind: string }
>((db, key, p) =>
  db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', '=', p.ownerKind)
    .where(key('owner_id'))
    .orderBy('id')
    .$if(dialectOf(db) === 'postgres', (query) => query.forUpdate()),
);

export const transferRowsById = preparedByKey<string, Row<'transfers'>>(
  (db, key) => db.selectFrom('transfers').selectAll().where(key('id')).orderBy('id'),
  { oneRowPerKey: true },
);

/** The identities of the accounts with these ids. */
export async function loadAccountIdentities(
  db: Executor,
  ids: readonly string[],
): Promise<AccountIdentity[]> {
  return accountIdentitiesById.rows(db, ids);
}

/** Which of these commodity codes exist. */
export async function loadCommodityCodes(
  db: Executor,
  codes: readonly string[],
): Promise<string[]> {
  return (await commodityCodesByCode.rows(db, codes)).map((row) => row.code);
}

/** Inserts new accounts with zero balances. */
export async function insertAccounts(
  db: Executor,
  accounts: readonly AccountIdentity[],
  createdAt: string,
): Promise<void> {
  const inserted = await insertAccountRows.run(
    db,
    accounts.map((account) => ({ ...account, created_at: createdAt })),
  );
  assertAffected(inserted, accounts.length, 'insert into accounts');
}

/** Ids once each, sorted: on SQLite in a held transaction the rows come in key order. */
function sortedUnique(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

/** The accounts with these ids (missing ids are left out), in id order. */
export async function selectAccounts(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'accounts'>[]> {
  return accountsById.rows(db, sortedUnique(ids));
}

/** The same, for a write (locked on PostgreSQL, in id order, until the transaction ends). */
export async function selectAccountsForWrite(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'accounts'>[]> {
  return accountsForWriteById.rows(db, sortedUnique(ids));
}

/** The accounts of these owners of one kind, in id order; `forWrite` locks them on PostgreSQL. */
export async function selectAccountsByOwner(
  db: Executor,
  ownerKind: string,
  ownerIds: readonly string[],
  forWrite: boolean,
): Promise<Row<'accounts'>[]> {
  const query = forWrite ? accountsByOwnerForWrite : accountsByOwner;
  const rows = await query.rows(db, [...new Set(ownerIds)], { ownerKind });
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The transfers with these ids (missing ids are left out), in id order. */
export async function selectTransfers(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'transfers'>[]> {
  return transferRowsById.rows(db, sortedUnique(ids));
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
    .$if(dialectOf(db) === 'postgres', (query) => query.forUpdate())
    .executeTakeFirst();
  if (!before) return undefined;
  await db
    .updateTable('accounts')
    .set({ flags: sql<number>`${sql.ref('flags')} | ${sql.lit(AccountFlags.closed)}` })
    .where('id', '=', id)
    .execute();
  return before.flags;
}

/** Every account of these owner kinds (optionally of one commodity), by owner then id. */
export async function selectAccountsByOwnerKinds(
  db: Executor,
  ownerKinds: readonly string[],
  commodity: string | undefined,
): Promise<Row<'accounts'>[]> {
  if (ownerKinds.length === 0) return [];
  let query = db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_kind', 'in', [...ownerKinds]);
  if (commodity !== undefined) query = query.where('commodity', '=', commodity);
  return query.orderBy('owner_kind').orderBy('owner_id').orderBy('id').execute();
}

/** The sum of transfer amounts per code and flags, for the given codes (and commodity). */
export async function sumTransfersByCode(
  db: Executor,
  codes: readonly string[],
  commodity: string | undefined,
): Promise<{ code: string; flags: number; commodity: string; amount: number }[]> {
  if (codes.length === 0) return [];
  let query = db
    .selectFrom('transfers')
    .select(['code', 'flags', 'commodity', (eb) => eb.fn.sum<number>('amount').as('amount')])
    .where('code', 'in', [...codes]);
  if (commodity !== undefined) query = query.where('commodity', '=', commodity);
  const rows = await query.groupBy(['code', 'flags', 'commodity']).execute();
  return rows.map((row) => ({ ...row, flags: Number(row.flags), amount: Number(row.amount) }));
}
