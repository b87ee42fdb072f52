/** All SQL on teams, their members and areas. */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type TeamRecord = Row<'teams'>;

export interface TeamRows {
  team: TeamRecord;
  memberIds: string[];
  areas: { pcode: string; path: string }[];
}

export async function insertTeam(
  db: Executor,
  row: TeamRecord,
  memberIds: readonly string[],
  areaPcodes: readonly string[],
): Promise<void> {
  await db.insertInto('teams').values(row).execute();
  await insertChildren(db, row.id, memberIds, areaPcodes);
}

async function insertChildren(
  db: Executor,
  teamId: string,
  memberIds: readonly string[],
  areaPcodes: readonly string[],
): Promise<void> {
  if (memberIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(memberIds.map((volunteer_id) => ({ team_id: teamId, volunteer_id })))
      .execute();
  }
  await db
    .insertInto('team_areas')
    .values(areaPcodes.map((area_pcode) => ({ team_id: teamId, area_pcode })))
    .execute();
}

/** Replaces a team's row, members and areas. */
export async function replaceTeam(
  db: Executor,
  row: TeamRecord,
  memberIds: readonly string[],
  areaPcodes: readonly string[],
): Promise<void> {
  const { id, ...fields } = row;
  await db.updateTable('teams').set(fields).where('id', '=', id).execute();
  await db.deleteFrom('team_members').where('team_id', '=', id).execute();
  await db.deleteFrom('team_areas').where('team_id', '=', id).execute();
  await insertChildren(db, id, memberIds, areaPcodes);
}

/** Teams with members and areas; all when `ids` is left out. */
export async function findTeams(db: Executor, ids?: readonly string[]): Promise<TeamRows[]> {
  let query = db.selectFrom('teams').selectAll().orderBy('name').orderBy('id');
  if (ids !== undefined) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', [...ids]);
  }
  const teams = await query.execute();
  if (teams.length === 0) return [];
  const teamIds = teams.map((team) => team.id);
  const members = await db
    .selectFrom('team_members')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('volunteer_id')
    .execute();
  const areas = await db
    .selectFrom('team_areas')
    .innerJoin('areas', 'areas.pcode', 'team_areas.area_pcode')
    .select(['team_areas.team_id', 'areas.pcode', 'areas.path'])
    .where('team_areas.team_id', 'in', teamIds)
    .orderBy('areas.pcode')
    .execute();
  return teams.map((team) => ({
    team,
    memberIds: members
      .filter((member) => member.team_id === team.id)
      .map((member) => member.volunteer_id),
    areas: areas
      .filter((area) => area.team_id === team.id)
      .map((area) => ({ pcode: area.pcode, path: area.path })),
  }));
}

/** Ids of the teams the volunteer is a member of. */
export async function findTeamIdsOfVolunteer(db: Executor, volunteerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('team_id')
    .where('volunteer_id', '=', volunteerId)
    .execute();
  return rows.map((row) => row.team_id);
}
