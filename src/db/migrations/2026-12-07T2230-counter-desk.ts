// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// The counter's desk (issue 16): a proxy's optional national id, the reason a coordinator
// gave for overriding a household's home service point, and each service point's day close
// (per commodity: received, handed out, on hand by the books, counted, and the difference,
// which the ledger also records as an adjustment).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('household_proxies').addColumn('national_id', 'text').execute();
  await db.schema.alterTable('redemptions').addColumn('override_reason', 'text').execute();
  await db.schema
    .createTable('day_closes')
    .addColumn('service_point_id', 'text', (c) => c.notNull().references('service_points.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('commodity', 'text', (c) => c.notNull().references('commodities.code'))
    .addColumn('received', 'bigint', (c) => c.notNull())
    .addColumn('handed_out', 'bigint', (c) => c.notNull())
    .addColumn('on_hand_books', 'bigint', (c) => c.notNull())
    .addColumn('counted', 'bigint', (c) => c.notNull())
    .addColumn('difference', 'bigint', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('day_closes_pk', ['service_point_id', 'day', 'commodity'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('day_closes').execute();
  await db.schema.alterTable('redemptions').dropColumn('override_reason').execute();
  await db.schema.alterTable('household_proxies').dropColumn('national_id').execute();
}
