// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// A household import writes in many short transactions (so the counter is never held up behind
// it): each household carries the import that wrote it, and the import's row says whether it
// is still writing, committed or undone (issue 17).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('household_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('writing', 'committed', 'undoing', 'undone')`),
    )
    .addColumn('created_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('household_imports_status')
    .on('household_imports')
    .column('status')
    .execute();
  await db.schema.alterTable('households').addColumn('import_id', 'text').execute();
  await db.schema.createIndex('households_import').on('households').column('import_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('households_import').execute();
  await db.schema.alterTable('households').dropColumn('import_id').execute();
  await db.schema.dropTable('household_imports').execute();
}
