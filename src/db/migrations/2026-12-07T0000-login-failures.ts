// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Failed sign-ins, so that the login throttle counts them across every process serving one
// database. The key is the SHA-256 of "u:<username>" or "a:<address>", never the plain
// value; rows older than the throttle's window are purged.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_failures_key')
    .on('login_failures')
    .columns(['key_hash', 'failed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
}
