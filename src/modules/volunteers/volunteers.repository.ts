/** All SQL on volunteers, their training records, permits and hours; reads narrowed to scope. */
import type { Row } from '../../db/database.js';
import { whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type VolunteerRecord = Row<'volunteers'>;
export type VolunteerTrainingRecord = Row<'volunteer_trainings'>;
export type PermitRecord = Row<'permits'>;
export type PpeIssueRecord = Row<'ppe_issues'>;

export async function insertVolunteer(db: Executor, row: VolunteerRecord): Promise<void> {
  await db.insertInto('volunteers').values(row).execute();
}

export async function findVolunteer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<VolunteerRecord | undefined> {
  const query = db.selectFrom('volunteers').selectAll().where('id', '=', id);
  return whereAreaInScope(query, scope, 'volunteers.area_pcode').executeTakeFirst();
}

/** Unscoped: the volunteers with these ids (the caller has checked the team's scope). */
export async function findVolunteersByIds(
  db: Executor,
  ids: readonly string[],
): Promise<VolunteerRecord[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('volunteers')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function findVolunteerByUser(
  db: Executor,
  userId: string,
): Promise<VolunteerRecord | undefined> {
  return db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function listVolunteers(
  db: Executor,
  scope: Scope,
  filter: { status?: string | undefined },
): Promise<VolunteerRecord[]> {
  let query = db.selectFrom('volunteers').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status as 'active');
  return whereAreaInScope(query, scope, 'volunteers.area_pcode')
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('id')
    .execute();
}

export async function insertTrainingRecord(
  db: Executor,
  row: VolunteerTrainingRecord,
): Promise<void> {
  await db.insertInto('volunteer_trainings').values(row).execute();
}

export async function findTrainingRecords(
  db: Executor,
  volunteerIds: readonly string[],
): Promise<VolunteerTrainingRecord[]> {
  if (volunteerIds.length === 0) return [];
  return db
    .selectFrom('volunteer_trainings')
    .selectAll()
    .where('volunteer_id', 'in', [...volunteerIds])
    .orderBy('completed_on', 'desc')
    .orderBy('id')
    .execute();
}

/** Training records expiring between the two days (inclusive) of volunteers in scope. */
export async function findExpiringTrainings(
  db: Executor,
  scope: Scope,
  from: string,
  to: string,
): Promise<(VolunteerTrainingRecord & { given_name: string; family_name: string })[]> {
  const query = db
    .selectFrom('volunteer_trainings')
    .innerJoin('volunteers', 'volunteers.id', 'volunteer_trainings.volunteer_id')
    .selectAll('volunteer_trainings')
    .select(['volunteers.given_name', 'volunteers.family_name'])
    .where('volunteer_trainings.expires_on', '>=', from)
    .where('volunteer_trainings.expires_on', '<=', to)
    .where('volunteers.status', '=', 'active');
  return whereAreaInScope(query, scope, 'volunteers.area_pcode')
    .orderBy('volunteer_trainings.expires_on')
    .orderBy('volunteer_trainings.id')
    .execute();
}

export async function insertPermit(
  db: Executor,
  row: PermitRecord,
  areaPcodes: readonly string[],
): Promise<void> {
  await db.insertInto('permits').values(row).execute();
  await db
    .insertInto('permit_areas')
    .values(areaPcodes.map((area_pcode) => ({ permit_id: row.id, area_pcode })))
    .execute();
}

/** Permits of these volunteers, each with its areas' p-codes and paths. */
export async function findPermits(
  db: Executor,
  volunteerIds: readonly string[],
): Promise<(PermitRecord & { areas: { pcode: string; path: string }[] })[]> {
  if (volunteerIds.length === 0) return [];
  const permits = await db
    .selectFrom('permits')
    .selectAll()
    .where('volunteer_id', 'in', [...volunteerIds])
    .orderBy('valid_from', 'desc')
    .orderBy('id')
    .execute();
  if (permits.length === 0) return [];
  const areas = await db
    .selectFrom('permit_areas')
    .innerJoin('areas', 'areas.pcode', 'permit_areas.area_pcode')
    .select(['permit_areas.permit_id', 'areas.pcode', 'areas.path'])
    .where(
      'permit_areas.permit_id',
      'in',
      permits.map((permit) => permit.id),
    )
    .orderBy('areas.pcode')
    .execute();
  return permits.map((permit) => ({
    ...permit,
    areas: areas
      .filter((area) => area.permit_id === permit.id)
      .map((area) => ({ pcode: area.pcode, path: area.path })),
  }));
}

export async function insertHours(
  db: Executor,
  rows: readonly Row<'volunteer_hours'>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('volunteer_hours')
    .values([...rows])
    .onConflict((conflict) => conflict.columns(['volunteer_id', 'run_id']).doNothing())
    .execute();
}

export async function findHours(
  db: Executor,
  volunteerId: string,
): Promise<{ run_id: string; date: string; minutes: number }[]> {
  return db
    .selectFrom('volunteer_hours')
    .innerJoin('runs', 'runs.id', 'volunteer_hours.run_id')
    .select(['volunteer_hours.run_id', 'runs.date', 'volunteer_hours.minutes'])
    .where('volunteer_hours.volunteer_id', '=', volunteerId)
    .orderBy('runs.date', 'desc')
    .execute();
}

export async function updateVolunteerStatus(
  db: Executor,
  id: string,
  changes: Pick<VolunteerRecord, 'status' | 'status_on' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('volunteers').set(changes).where('id', '=', id).execute();
}

export async function insertPpeIssue(db: Executor, row: PpeIssueRecord): Promise<void> {
  await db.insertInto('ppe_issues').values(row).execute();
}

export async function findPpeIssues(db: Executor, volunteerId: string): Promise<PpeIssueRecord[]> {
  return db
    .selectFrom('ppe_issues')
    .selectAll()
    .where('volunteer_id', '=', volunteerId)
    .orderBy('issued_on', 'desc')
    .orderBy('id')
    .execute();
}

export async function findPpeIssue(db: Executor, id: string): Promise<PpeIssueRecord | undefined> {
  return db.selectFrom('ppe_issues').selectAll().where('id', '=', id).executeTakeFirst();
}
