// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// The messaging outbox (issue 13): every message is a row written in the same transaction as
// its cause, sent later by the worker of `awn serve`; templates, opt-outs and webhook
// endpoints beside it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('sms', 'email', 'webhook', 'inbox')`),
    )
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('ar', 'en')`))
    .addColumn('template_code', 'text')
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('resend_of', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'sent', 'delivered', 'failed')`),
    )
    .addColumn('unconfirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claim_id', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('messages_due')
    .on('messages')
    .columns(['status', 'channel', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('messages_source')
    .on('messages')
    .columns(['source_kind', 'source_id', 'id'])
    .execute();
  await db.schema
    .createIndex('messages_sent')
    .on('messages')
    .columns(['status', 'unconfirmed', 'sent_at'])
    .execute();
  await db.schema.createIndex('messages_user').on('messages').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('message_templates')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('sms', 'email', 'webhook', 'inbox')`),
    )
    .addColumn('subject_ar', 'text')
    .addColumn('subject_en', 'text')
    .addColumn('body_ar', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('message_opt_outs')
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('sms', 'email', 'webhook', 'inbox')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_opt_outs_pk', ['household_id', 'channel'])
    .execute();

  await db.schema
    .createTable('message_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_webhooks').execute();
  await db.schema.dropTable('message_opt_outs').execute();
  await db.schema.dropTable('message_templates').execute();
  await db.schema.dropTable('messages').execute();
}
