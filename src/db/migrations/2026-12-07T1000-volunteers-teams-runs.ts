// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Volunteers with their trainings and movement permits, teams, delivery runs and their stops,
// field devices, the sync log of field ops and the exceptions the office resolves.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trainings')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('valid_days', 'integer', (c) => c.notNull().check(sql`valid_days > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('volunteers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('name_latin', 'text')
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text', (c) => c.unique())
    .addColumn('sex', 'text')
    .addColumn('birth_year', 'integer')
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('skills_json', 'text', (c) => c.notNull())
    .addColumn('availability_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_on', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.unique().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('volunteers_status_known', sql`status in ('active', 'paused', 'left')`)
    .execute();
  await db.schema
    .createIndex('volunteers_area')
    .on('volunteers')
    .columns(['area_pcode', 'id'])
    .execute();

  await db.schema
    .createTable('volunteer_trainings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('training_code', 'text', (c) => c.notNull().references('trainings.code'))
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('trainer', 'text')
    .addColumn('certificate_ref', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('volunteer_trainings_volunteer')
    .on('volunteer_trainings')
    .columns(['volunteer_id', 'training_code', 'expires_on'])
    .execute();
  await db.schema
    .createIndex('volunteer_trainings_expiry')
    .on('volunteer_trainings')
    .column('expires_on')
    .execute();

  await db.schema
    .createTable('permits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issuer_partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('hours', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('permits_period_ordered', sql`valid_from <= valid_to`)
    .execute();
  await db.schema.createIndex('permits_volunteer').on('permits').column('volunteer_id').execute();
  await db.schema
    .createTable('permit_areas')
    .addColumn('permit_id', 'text', (c) => c.notNull().references('permits.id'))
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addPrimaryKeyConstraint('permit_areas_pk', ['permit_id', 'area_pcode'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('leader_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('max_stops', 'integer', (c) => c.notNull().check(sql`max_stops > 0`))
    // {"bread": 60, ...}: the most of each commodity a run of this team carries.
    .addColumn('capacity_json', 'text', (c) => c.notNull())
    .addColumn('required_trainings_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'volunteer_id'])
    .execute();
  await db.schema
    .createIndex('team_members_volunteer')
    .on('team_members')
    .column('volunteer_id')
    .execute();
  await db.schema
    .createTable('team_areas')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addPrimaryKeyConstraint('team_areas_pk', ['team_id', 'area_pcode'])
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycles.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('source_service_point_id', 'text', (c) =>
      c.notNull().references('service_points.id'),
    )
    .addColumn('area_pcodes_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reservation_expires_at', 'text')
    .addColumn('summary_json', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dispatched_at', 'text')
    .addColumn('closed_at', 'text')
    .addCheckConstraint(
      'runs_status_known',
      sql`status in ('planned', 'dispatched', 'in_progress', 'closed')`,
    )
    .execute();
  await db.schema.createIndex('runs_status').on('runs').columns(['status', 'date']).execute();
  await db.schema.createIndex('runs_team').on('runs').columns(['team_id', 'date']).execute();

  // Without a foreign key to households: a stop names a household the way a transfer does.
  await db.schema
    .createTable('run_stops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('failed_reason', 'text')
    .addColumn('delivered_json', 'text')
    .addColumn('op_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'run_stops_state_known',
      sql`state in ('planned', 'reserved', 'delivered', 'partial', 'failed', 'voided')`,
    )
    .execute();
  await db.schema
    .createIndex('run_stops_run')
    .on('run_stops')
    .columns(['run_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('run_stops_household')
    .on('run_stops')
    .columns(['household_id', 'cycle_id'])
    .execute();

  // A phone enrolled by the office: its bearer token (only the hash) acts for a volunteer.
  await db.schema
    .createTable('field_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().unique().references('tokens.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ops_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wiped_at', 'text')
    .addColumn('last_sync_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // Every field op with a usable id, and the first answer given to it.
  await db.schema
    .createTable('sync_ops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('stop_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('message', 'text')
    // JSON [{commodity, quantity}]: the goods this op moved out of the team's stock.
    .addColumn('goods_json', 'text')
    .addColumn('at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_ops_run').on('sync_ops').columns(['run_id']).execute();

  await db.schema
    .createTable('field_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('op_id', 'text', (c) => c.notNull().unique())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('stop_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    // 'team': the goods were moved from the team's stock into the suspense account at sync;
    // 'none': the team had no such stock on the books, so approval takes them from overdraw.
    .addColumn('goods_held', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution_reason', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'field_exceptions_status_known',
      sql`status in ('open', 'approved', 'rejected')`,
    )
    .execute();
  await db.schema
    .createIndex('field_exceptions_status')
    .on('field_exceptions')
    .columns(['status', 'created_at'])
    .execute();

  // Minutes each member worked on a closed run.
  await db.schema
    .createTable('volunteer_hours')
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('volunteers.id'))
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('volunteer_hours_pk', ['volunteer_id', 'run_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'volunteer_hours',
    'field_exceptions',
    'sync_ops',
    'field_devices',
    'run_stops',
    'runs',
    'team_areas',
    'team_members',
    'teams',
    'permit_areas',
    'permits',
    'volunteer_trainings',
    'volunteers',
    'trainings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
