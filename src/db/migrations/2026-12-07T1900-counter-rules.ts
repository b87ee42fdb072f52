// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// The rules a hand-over needs beyond entitlement and stock (issue 16): what a service point
// hands out (null: everything), who owns a programme (an area; null: only unscoped users may
// change it) and whether households registered while its cycle is open join it, each
// household's home service point in a programme, the service points a clerk works at, the
// proxies who may collect for a household, and who collected a hand-over.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('service_points').addColumn('commodities_json', 'text').execute();
  await db.schema
    .alterTable('programmes')
    .addColumn('owner_area_pcode', 'text', (c) => c.references('areas.pcode'))
    .execute();
  await db.schema
    .alterTable('programmes')
    .addColumn('late_registrations_join', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('household_service_points')
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('service_point_id', 'text', (c) => c.notNull().references('service_points.id'))
    .addPrimaryKeyConstraint('household_service_points_pk', ['household_id', 'programme_id'])
    .execute();
  await db.schema
    .createTable('user_service_points')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('service_point_id', 'text', (c) => c.notNull().references('service_points.id'))
    .addPrimaryKeyConstraint('user_service_points_pk', ['user_id', 'service_point_id'])
    .execute();
  await db.schema
    .createTable('household_proxies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_proxies_household')
    .on('household_proxies')
    .column('household_id')
    .execute();
  await db.schema.alterTable('redemptions').addColumn('collected_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('redemptions').dropColumn('collected_by').execute();
  await db.schema.dropTable('household_proxies').execute();
  await db.schema.dropTable('user_service_points').execute();
  await db.schema.dropTable('household_service_points').execute();
  await db.schema.alterTable('programmes').dropColumn('late_registrations_join').execute();
  await db.schema.alterTable('programmes').dropColumn('owner_area_pcode').execute();
  await db.schema.alterTable('service_points').dropColumn('commodities_json').execute();
}
