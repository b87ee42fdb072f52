// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// A registrar shown a likely duplicate before saving may save anyway, giving a reason: it is
// kept on the candidate, which stays open for review.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('duplicate_candidates')
    .addColumn('saved_anyway_reason', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('duplicate_candidates').dropColumn('saved_anyway_reason').execute();
}
