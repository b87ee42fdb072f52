/** The SQL of sessions: only the SHA-256 of a session id is ever stored. */
import type { NewRow, Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export async function insertSession(trx: Executor, row: NewRow<'sessions'>): Promise<void> {
  await trx.insertInto('sessions').values(row).execute();
}

/** The live session with this id hash and its user (who may have been disabled since). */
export async function findLiveSession(
  db: Executor,
  idHash: string,
  nowIso: string,
): Promise<Row<'users'> | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', nowIso)
    .executeTakeFirst();
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

export async function deleteExpiredSessions(
  trx: Executor,
  userId: string,
  nowIso: string,
): Promise<void> {
  await trx
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '<=', nowIso)
    .execute();
}
