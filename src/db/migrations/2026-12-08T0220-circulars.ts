// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Circulars (issue 13 §2): a circular cascades down the org tree when published; each unit in
// its audience has a row (relayed or not), each member one (acknowledged or not), so that reach
// is counted from rows, never estimated.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('circulars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('from_org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('audience_json', 'text')
    .addColumn('ack_required', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('public_body', 'text')
    .addColumn('public_area_pcodes_json', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
    .addColumn('published_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('circular_units')
    .addColumn('circular_id', 'text', (c) => c.notNull().references('circulars.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull())
    .addColumn('parent_org_unit_id', 'text')
    /** 0 for the issuing unit (or the top of a chosen unit's subtree), 1 below it, ... */
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('relayed_at', 'text')
    .addColumn('relayed_by', 'text')
    .addPrimaryKeyConstraint('circular_units_pk', ['circular_id', 'org_unit_id'])
    .execute();

  await db.schema
    .createTable('circular_recipients')
    .addColumn('circular_id', 'text', (c) => c.notNull().references('circulars.id'))
    .addColumn('member_kind', 'text', (c) =>
      c.notNull().check(sql`member_kind in ('user', 'volunteer')`),
    )
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull())
    /** SHA-256 of the personal link's secret (volunteers acknowledge without a password). */
    .addColumn('link_hash', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('circular_recipients_pk', ['circular_id', 'member_kind', 'member_id'])
    .execute();
  await db.schema
    .createIndex('circular_recipients_link')
    .on('circular_recipients')
    .column('link_hash')
    .unique()
    .execute();
  await db.schema
    .createIndex('circular_recipients_unit')
    .on('circular_recipients')
    .columns(['circular_id', 'org_unit_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('circular_recipients').execute();
  await db.schema.dropTable('circular_units').execute();
  await db.schema.dropTable('circulars').execute();
}
