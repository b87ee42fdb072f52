// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Attachments of circulars (PDF, images), stored with the circular: the bytes as base64 text,
// which both dialects hold alike, with their media type, size and SHA-256.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('circular_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('circular_id', 'text', (c) => c.notNull().references('circulars.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('circular_attachments_circular')
    .on('circular_attachments')
    .columns(['circular_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('circular_attachments').execute();
}
