/** All SQL on venues, meetings, registrations and action items. */
import type { NewRow, Row } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { Executor } from '../../db/transaction.js';

export type VenueRecord = Row<'venues'>;
export type MeetingRecord = Row<'meetings'>;
export type RegistrationRecord = Row<'meeting_registrations'>;
export type ActionItemRecord = Row<'meeting_action_items'>;

export async function insertVenue(trx: Executor, row: VenueRecord): Promise<void> {
  await trx.insertInto('venues').values(row).execute();
}

export async function findVenue(db: Executor, id: string): Promise<VenueRecord | undefined> {
  return db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findVenues(db: Executor): Promise<VenueRecord[]> {
  return db.selectFrom('venues').selectAll().orderBy('name_ar').orderBy('id').execute();
}

export async function insertMeeting(trx: Executor, row: NewRow<'meetings'>): Promise<void> {
  await trx.insertInto('meetings').values(row).execute();
}

export async function findMeeting(db: Executor, id: string): Promise<MeetingRecord | undefined> {
  return db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Meetings starting in [from, to), by start then id, after the cursor's (starts_at, id). */
export async function findMeetings(
  db: Executor,
  filter: { from?: string; to?: string; org_unit_id?: string },
  after: { starts_at: string; id: string } | null,
  limit: number,
): Promise<MeetingRecord[]> {
  let query = db
    .selectFrom('meetings')
    .selectAll()
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit + 1);
  if (filter.from !== undefined) query = query.where('starts_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('starts_at', '<', filter.to);
  if (filter.org_unit_id !== undefined) query = query.where('org_unit_id', '=', filter.org_unit_id);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('starts_at', '>', after.starts_at),
        eb.and([eb('starts_at', '=', after.starts_at), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.execute();
}

export async function updateMeeting(
  trx: Executor,
  id: string,
  patch: Partial<Omit<MeetingRecord, 'id'>>,
): Promise<void> {
  await trx.updateTable('meetings').set(patch).where('id', '=', id).execute();
}

/**
 * Takes a confirmed seat if one is free: a conditional update of the count, which locks the
 * meeting's row (PostgreSQL re-checks the condition after waiting for another taker), so
 * racing registrations never confirm more than the capacity.
 */
export async function takeSeat(trx: Executor, meetingId: string): Promise<boolean> {
  const result = await trx
    .updateTable('meetings')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', 1) }))
    .where('id', '=', meetingId)
    .whereRef('confirmed_count', '<', 'capacity')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a confirmed seat back (locks the meeting's row until the transaction ends). */
export async function releaseSeat(trx: Executor, meetingId: string): Promise<void> {
  await trx
    .updateTable('meetings')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '-', 1) }))
    .where('id', '=', meetingId)
    .execute();
}

/** The next registration's place in the meeting's order (locks the meeting's row). */
export async function nextSeq(trx: Executor, meetingId: string): Promise<number> {
  const row = await trx
    .updateTable('meetings')
    .set((eb) => ({ registered_count: eb('registered_count', '+', 1) }))
    .where('id', '=', meetingId)
    .returning('registered_count')
    .executeTakeFirstOrThrow();
  return Number(row.registered_count);
}

export async function insertRegistration(trx: Executor, row: RegistrationRecord): Promise<void> {
  await trx.insertInto('meeting_registrations').values(row).execute();
}

export async function findRegistration(
  db: Executor,
  meetingId: string,
  id: string,
): Promise<RegistrationRecord | undefined> {
  const query = db
    .selectFrom('meeting_registrations')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('id', '=', id);
  return (dialectOf(db) === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function findRegistrationByCode(
  db: Executor,
  meetingId: string,
  code: string,
): Promise<RegistrationRecord | undefined> {
  return db
    .selectFrom('meeting_registrations')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('checkin_code', '=', code)
    .executeTakeFirst();
}

/** The first on the waiting list (lowest seq). */
export async function findFirstWaitlisted(
  trx: Executor,
  meetingId: string,
): Promise<RegistrationRecord | undefined> {
  return trx
    .selectFrom('meeting_registrations')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('status', '=', 'waitlisted')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

export async function updateRegistration(
  trx: Executor,
  id: string,
  patch: Partial<Omit<RegistrationRecord, 'id'>>,
): Promise<void> {
  await trx.updateTable('meeting_registrations').set(patch).where('id', '=', id).execute();
}

export async function findRegistrations(
  db: Executor,
  meetingId: string,
  filter: { status?: RegistrationRecord['status'] },
  afterSeq: number | null,
  limit: number,
): Promise<RegistrationRecord[]> {
  let query = db
    .selectFrom('meeting_registrations')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('seq')
    .limit(limit + 1);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (afterSeq !== null) query = query.where('seq', '>', afterSeq);
  return query.execute();
}

export async function countRegistrations(
  db: Executor,
  meetingId: string,
): Promise<{ confirmed: number; waitlisted: number; cancelled: number; checked_in: number }> {
  const rows = await db
    .selectFrom('meeting_registrations')
    .select([
      'status',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.count<number>('checked_in_at').as('checked_in'),
    ])
    .where('meeting_id', '=', meetingId)
    .groupBy('status')
    .execute();
  const counts = { confirmed: 0, waitlisted: 0, cancelled: 0, checked_in: 0 };
  for (const row of rows) {
    counts[row.status] = Number(row.count);
    counts.checked_in += Number(row.checked_in);
  }
  return counts;
}

export async function insertActionItem(trx: Executor, row: ActionItemRecord): Promise<void> {
  await trx.insertInto('meeting_action_items').values(row).execute();
}

export async function findActionItem(
  db: Executor,
  id: string,
): Promise<ActionItemRecord | undefined> {
  return db.selectFrom('meeting_action_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateActionItem(
  trx: Executor,
  id: string,
  patch: Partial<Omit<ActionItemRecord, 'id'>>,
): Promise<void> {
  await trx.updateTable('meeting_action_items').set(patch).where('id', '=', id).execute();
}

/** Action items with their meeting's unit and title, open ones by due date. */
export async function findActionItems(
  db: Executor,
  filter: {
    org_unit_id?: string;
    meeting_id?: string;
    status?: ActionItemRecord['status'];
    due_before?: string;
  },
): Promise<(ActionItemRecord & { org_unit_id: string; meeting_title: string })[]> {
  let query = db
    .selectFrom('meeting_action_items as item')
    .innerJoin('meetings', 'meetings.id', 'item.meeting_id')
    .selectAll('item')
    .select(['meetings.org_unit_id', 'meetings.title as meeting_title'])
    .orderBy('item.due_on')
    .orderBy('item.id')
    .limit(1000);
  if (filter.org_unit_id !== undefined)
    query = query.where('meetings.org_unit_id', '=', filter.org_unit_id);
  if (filter.meeting_id !== undefined)
    query = query.where('item.meeting_id', '=', filter.meeting_id);
  if (filter.status !== undefined) query = query.where('item.status', '=', filter.status);
  if (filter.due_before !== undefined) query = query.where('item.due_on', '<', filter.due_before);
  return query.execute();
}
