/** Write transactions that take the write lock first, so a read-then-write cannot go stale. */
import { sql, type Kysely } from 'kysely';
import type { Storage } from './connect.js';
import type { Database } from './database.js';

/** A database handle inside (or outside) a transaction; services take it explicitly. */
export type Executor = Kysely<Database>;

/**
 * Runs `work` in one transaction and commits, or rolls back and rethrows.
 * SQLite starts with BEGIN IMMEDIATE (the write lock up front, waiting out busy_timeout)
 * so that two processes never deadlock upgrading a read to a write.
 */
export async function writeTransaction<T>(
  storage: Pick<Storage, 'db' | 'dialect'>,
  work: (trx: Executor) => Promise<T>,
): Promise<T> {
  if (storage.dialect === 'postgres') return storage.db.transaction().execute(work);
  return storage.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
