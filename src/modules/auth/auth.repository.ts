/** The SQL of sessions: only the SHA-256 of a session id is ever stored. */
import { PostgresAdapter, sql } from 'kysely';
import type { NewRow, Row } from '../../db/database.js';
import { readRows, type Executor } from '../../db/transaction.js';

export async function insertSession(trx: Executor, row: NewRow<'sessions'>): Promise<void> {
  await trx.insertInto('sessions').values(row).execute();
}

/** What a request's authentication needs of the user behind a session. */
export type SessionUser = Pick<Row<'users'>, 'id' | 'role' | 'disabled_at'>;

/**
 * The user of the live session with this id hash (who may have been disabled since). Every
 * signed-in request asks: plain SQL, read through readRows.
 */
export async function findLiveSession(
  db: Executor,
  idHash: string,
  nowIso: string,
): Promise<SessionUser | undefined> {
  const query = sql<SessionUser>`
    select users.id, users.role, users.disabled_at from sessions
      join users on users.id = sessions.user_id
      where sessions.id_hash = ${idHash} and sessions.expires_at > ${nowIso}`;
  const [user] = await readRows(db, query.compile(db));
  return user;
}

/** Deletes the session; returns its user's id, or null when there was none. */
export async function deleteSession(trx: Executor, idHash: string): Promise<string | null> {
  const deleted = await trx
    .deleteFrom('sessions')
    .where('id_hash', '=', idHash)
    .returning('user_id')
    .executeTakeFirst();
  return deleted?.user_id ?? null;
}

/** Ends every session of the user, except the one with `keepIdHash` when given. */
export async function deleteUserSessions(
  trx: Executor,
  userId: string,
  keepIdHash?: string,
): Promise<void> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash !== undefined) query = query.where('id_hash', '<>', keepIdHash);
  await query.execute();
}

/** Deletes expired sessions: the user's, or everyone's when `userId` is null. */
export async function deleteExpiredSessions(
  trx: Executor,
  userId: string | null,
  nowIso: string,
): Promise<number> {
  let query = trx.deleteFrom('sessions').where('expires_at', '<=', nowIso);
  if (userId !== null) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The times of the newest `limit` failures under this key since `sinceIso`, newest first. */
export async function findRecentLoginFailures(
  db: Executor,
  keyHash: string,
  sinceIso: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select('failed_at')
    .where('key_hash', '=', keyHash)
    .where('failed_at', '>', sinceIso)
    .orderBy('failed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.failed_at);
}

/** How many failures under this key since `sinceIso`, and the newest one's time. */
export async function countRecentLoginFailures(
  db: Executor,
  keyHash: string,
  sinceIso: string,
): Promise<{ count: number; latest: string | null }> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.max('failed_at').as('latest'),
    ])
    .where('key_hash', '=', keyHash)
    .where('failed_at', '>', sinceIso)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), latest: row.latest ?? null };
}

/** The upper half of the advisory lock keys of login keys on PostgreSQL ("Awn" + 4). */
const loginLockNamespace = 0x41776e04;

/**
 * Serializes, until the transaction ends, the attempts under these keys on PostgreSQL (each
 * key's lock in sorted order, so two attempts never wait on each other crosswise). SQLite
 * needs nothing: writeTransaction already holds its only write lock.
 */
export async function lockLoginKeys(trx: Executor, keyHashes: readonly string[]): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const key of [...new Set(keyHashes)].sort()) {
    const lower = Number.parseInt(key.slice(0, 8), 16) | 0;
    await sql`select pg_advisory_xact_lock(${loginLockNamespace}, ${lower})`.execute(trx);
  }
}

export async function insertLoginFailures(
  trx: Executor,
  keyHashes: readonly string[],
  failedAtIso: string,
  attemptId: string | null = null,
): Promise<void> {
  await trx
    .insertInto('login_failures')
    .values(
      keyHashes.map((key_hash) => ({ key_hash, failed_at: failedAtIso, attempt_id: attemptId })),
    )
    .execute();
}

/**
 * Deletes the failures under this key (only the attempt's, when `attemptId` is given), or
 * every failure at or before `beforeIso`.
 */
export async function deleteLoginFailures(
  trx: Executor,
  filter: { keyHash: string; attemptId?: string } | { beforeIso: string },
): Promise<number> {
  const result = await trx
    .deleteFrom('login_failures')
    .$call((query) => {
      if (!('keyHash' in filter)) return query.where('failed_at', '<=', filter.beforeIso);
      const byKey = query.where('key_hash', '=', filter.keyHash);
      return filter.attemptId === undefined
        ? byKey
        : byKey.where('attempt_id', '=', filter.attemptId);
    })
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
