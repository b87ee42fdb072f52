// Frozen in time: imports nothing from the app, runs the same on SQLite and PostgreSQL.
// Meetings and seminars (issue 13 §4): venues whose capacity a distancing rule sets,
// registrations confirmed up to it and waitlisted past it, check-in, minutes and action items.
// A meeting counts its confirmed seats; the CHECK keeps the count within the capacity, and
// registrations take a seat by a conditional update of that count (never by reading it).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('venues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('area_pcode', 'text', (c) => c.notNull().references('areas.pcode'))
    .addColumn('floor_area_m2', 'double precision', (c) =>
      c.notNull().check(sql`floor_area_m2 > 0 and floor_area_m2 <= 1000000`),
    )
    .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('meeting', 'seminar')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('venue_id', 'text', (c) => c.notNull().references('venues.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('m2_per_person', 'double precision', (c) =>
      c.notNull().check(sql`m2_per_person > 0 and m2_per_person <= 1000`),
    )
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registered_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agenda', 'text')
    .addColumn('minutes', 'text')
    .addColumn('decisions_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'meetings_confirmed_within_capacity',
      sql`confirmed_count >= 0 and confirmed_count <= capacity`,
    )
    .execute();
  await db.schema
    .createIndex('meetings_starts')
    .on('meetings')
    .columns(['starts_at', 'id'])
    .execute();

  await db.schema
    .createTable('meeting_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    /** The order of registration within the meeting: the waiting list's order. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('user_id', 'text')
    .addColumn('volunteer_id', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('confirmed', 'waitlisted', 'cancelled')`),
    )
    .addColumn('checkin_code', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'text')
    .addColumn('promoted_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_registrations_seq')
    .on('meeting_registrations')
    .columns(['meeting_id', 'seq'])
    .unique()
    .execute();
  await db.schema
    .createIndex('meeting_registrations_status')
    .on('meeting_registrations')
    .columns(['meeting_id', 'status', 'seq'])
    .execute();

  await db.schema
    .createTable('meeting_action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('owner_name', 'text')
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'done', 'dropped')`),
    )
    .addColumn('reminded_before_at', 'text')
    .addColumn('reminded_after_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_action_items_due')
    .on('meeting_action_items')
    .columns(['status', 'due_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('meeting_action_items').execute();
  await db.schema.dropTable('meeting_registrations').execute();
  await db.schema.dropTable('meetings').execute();
  await db.schema.dropTable('venues').execute();
}
