// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Programmes (rules as JSON), cycles with their areas and credited households, redemptions.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('programmes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('rules_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cycles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Counts how many crediting batches ran, so each batch can name the rows it added.
    .addColumn('credit_batches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('households_credited', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addCheckConstraint(
      'cycles_status_known',
      sql`status in ('draft', 'opening', 'open', 'closing', 'closed')`,
    )
    .addCheckConstraint('cycles_period_ordered', sql`starts_on <= ends_on`)
    .execute();
  await db.schema
    .createIndex('cycles_status')
    .on('cycles')
    .columns(['status', 'ends_on'])
    .execute();

  await db.schema
    .createTable('cycle_areas')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycles.id'))
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addPrimaryKeyConstraint('cycle_areas_pk', ['cycle_id', 'area_pcode'])
    .execute();

  // One row per household credited in a cycle, with the size its entitlement was computed
  // from. Written in bulk (a million rows per cycle), so without foreign keys: every row is
  // copied from `households` inside the transaction that also creates its accounts.
  await db.schema
    .createTable('cycle_households')
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('household_size', 'integer', (c) => c.notNull())
    .addColumn('batch', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('cycle_households_pk', ['cycle_id', 'household_id'])
    .execute();
  await db.schema
    .createIndex('cycle_households_batch')
    .on('cycle_households')
    .columns(['cycle_id', 'batch'])
    .execute();
  await db.schema
    .createIndex('cycle_households_household')
    .on('cycle_households')
    .column('household_id')
    .execute();

  // The first answer to each client-chosen redemption id, so a retry gets it again.
  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('service_point_id', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('redemptions_household')
    .on('redemptions')
    .columns(['household_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('redemptions_service_point')
    .on('redemptions')
    .columns(['service_point_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['redemptions', 'cycle_households', 'cycle_areas', 'cycles', 'programmes']) {
    await db.schema.dropTable(table).execute();
  }
}
