// Frozen in time: imports nothing from the app.
// Runs keep their planned route: its length in metres and the depot it starts from, and each
// stop the point it was routed through (the household's location, else its community's
// centroid), so the office map and a later re-ordering need not re-read households.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').addColumn('length_metres', 'integer').execute();
  await db.schema.alterTable('runs').addColumn('depot_latitude', 'double precision').execute();
  await db.schema.alterTable('runs').addColumn('depot_longitude', 'double precision').execute();
  await db.schema.alterTable('run_stops').addColumn('latitude', 'double precision').execute();
  await db.schema.alterTable('run_stops').addColumn('longitude', 'double precision').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_stops').dropColumn('longitude').execute();
  await db.schema.alterTable('run_stops').dropColumn('latitude').execute();
  await db.schema.alterTable('runs').dropColumn('depot_longitude').execute();
  await db.schema.alterTable('runs').dropColumn('depot_latitude').execute();
  await db.schema.alterTable('runs').dropColumn('length_metres').execute();
}
