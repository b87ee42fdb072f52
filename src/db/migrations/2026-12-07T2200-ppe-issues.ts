// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Protective equipment handed to a volunteer, as a plain record (it becomes ledger transfers
// once the warehouse issue lands).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ppe_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('issued_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ppe_issues_volunteer')
    .on('ppe_issues')
    .columns(['volunteer_id', 'issued_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ppe_issues').execute();
}
