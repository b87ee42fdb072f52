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
  if (memberIds.length > 0) {
    await db
      .insertInto('team_members')
      .values(memberIds.map((volunteer_id) => ({ team_id: row.id, volunteer_id })))
      .execute();
  }
  await db
    .insertInto('team_areas')
    .values(areaPcodes.map((area_pcode) => ({ team_id: row.id, area_pcode })))
    .execute();
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
