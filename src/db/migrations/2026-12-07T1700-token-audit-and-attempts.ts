// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// audit_events.token_id: the token an action was made with (null for sessions and the system).
// login_failures.attempt_id: sign-in attempts are counted before the password is checked, and
// a successful one deletes its own rows by this id (rows from before have none).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('token_id', 'text').execute();
  await db.schema.alterTable('login_failures').addColumn('attempt_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failures').dropColumn('attempt_id').execute();
  await db.schema.alterTable('audit_events').dropColumn('token_id').execute();
}
