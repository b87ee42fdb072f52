// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// A committed household import joins its households to the open cycles in short transactions
// after its commit (one long one held the counter up); joined_at says that this is done, so a
// process that dies midway leaves the rest to the next sweep (issue 17).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('household_imports').addColumn('joined_at', 'text').execute();
  // Imports committed before: joined in their commit.
  await sql`update household_imports set joined_at = finished_at where status = 'committed'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('household_imports').dropColumn('joined_at').execute();
}
