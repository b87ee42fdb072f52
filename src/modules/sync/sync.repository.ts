/** All SQL on field ops, field devices and field exceptions. */
import { SqliteAdapter, sql } from 'kysely';
import type { Row } from '../../db/database.js';
import { preparedByKey, preparedInsert } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';

export type SyncOpRecord = Row<'sync_ops'>;
export type DeviceRecord = Row<'field_devices'>;
export type ExceptionRecord = Row<'field_exceptions'>;

/** The stored ops with these ids (a batch's replays). */
export const syncOpsById = preparedByKey<string, SyncOpRecord>(
  (db, key) => db.selectFrom('sync_ops').selectAll().where(key('id')),
  { oneRowPerKey: true },
);

export const insertSyncOpRows = preparedInsert<'sync_ops', SyncOpRecord>('sync_ops', {
  id: 'text',
  content_hash: 'text',
  kind: 'text',
  run_id: 'text',
  stop_id: 'text',
  device_id: 'text',
  actor_id: 'text',
  status: 'text',
  code: 'text',
  message: 'text',
  goods_json: 'text',
  at: 'text',
  received_at: 'text',
});

export async function findSyncOps(db: Executor, ids: readonly string[]): Promise<SyncOpRecord[]> {
  return syncOpsById.rows(db, ids);
}

export async function insertSyncOps(db: Executor, rows: readonly SyncOpRecord[]): Promise<void> {
  await insertSyncOpRows.run(db, rows);
}

export async function insertExceptions(
  db: Executor,
  rows: readonly ExceptionRecord[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto('field_exceptions')
      .values(rows.slice(start, start + 200))
      .execute();
  }
}

export async function findExceptions(
  db: Executor,
  filter: { status?: string | undefined; runId?: string | undefined; runIds?: readonly string[] },
): Promise<ExceptionRecord[]> {
  let query = db.selectFrom('field_exceptions').selectAll().orderBy('created_at').orderBy('id');
  if (filter.status !== undefined) query = query.where('status', '=', filter.status as 'open');
  if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
  if (filter.runIds !== undefined) {
    if (filter.runIds.length === 0) return [];
    query = query.where('run_id', 'in', [...filter.runIds]);
  }
  return query.limit(1000).execute();
}

export async function findException(
  db: Executor,
  id: string,
): Promise<ExceptionRecord | undefined> {
  return db.selectFrom('field_exceptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateException(
  db: Executor,
  id: string,
  changes: Pick<ExceptionRecord, 'status' | 'resolution_reason' | 'resolved_by' | 'resolved_at'>,
): Promise<boolean> {
  const result = await db
    .updateTable('field_exceptions')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertDevice(db: Executor, row: DeviceRecord): Promise<void> {
  await db.insertInto('field_devices').values(row).execute();
}

export async function findDeviceByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<DeviceRecord | undefined> {
  return db
    .selectFrom('field_devices')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function findDevice(db: Executor, id: string): Promise<DeviceRecord | undefined> {
  return db.selectFrom('field_devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDevices(db: Executor): Promise<DeviceRecord[]> {
  return db
    .selectFrom('field_devices')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function updateDevice(
  db: Executor,
  id: string,
  changes: Partial<DeviceRecord>,
): Promise<void> {
  await db.updateTable('field_devices').set(changes).where('id', '=', id).execute();
}

const syncOpLockKey = 0x41776e11;

/**
 * On PostgreSQL, takes a transaction lock on each op id (in a fixed order, so batches never
 * deadlock): two batches carrying the same new id wait for each other instead of both
 * inserting it. SQLite's write transactions are serial already.
 */
export async function lockOpIds(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0 || db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`select pg_advisory_xact_lock(${sql.lit(syncOpLockKey)}, key) from (select distinct hashtext(id) as key from unnest(${[...ids]}::text[]) as ids(id) order by key) as keys`.execute(
    db,
  );
}
