/**
 * Teams: a leader and members (volunteers, who may be in several teams), the areas served,
 * what one run carries (maximum stops and per commodity) and the trainings every member must
 * hold to be dispatched (the configured default when not given). A team is in an actor's
 * scope when one of its areas is.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findCommodities } from '../commodities/commodities.service.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import { trainingsByCode } from '../trainings/trainings.service.js';
import { loadFieldConfig } from '../volunteers/volunteers.config.js';
import { volunteersByIds } from '../volunteers/volunteers.service.js';
import {
  findTeamIdsOfVolunteer,
  findTeams,
  insertTeam,
  replaceTeam,
  type TeamRecord,
  type TeamRows,
} from './teams.repository.js';
import type { CreateTeamInput, TeamView } from './teams.schema.js';

/** A team as run planning and the dispatch gate use it. */
export interface TeamDetail extends TeamView {
  areas: { pcode: string; path: string }[];
}

function present({ team, memberIds, areas }: TeamRows): TeamDetail {
  return {
    id: team.id,
    name: team.name,
    org_unit_id: team.org_unit_id,
    leader_id: team.leader_id,
    member_ids: memberIds,
    area_pcodes: areas.map((area) => area.pcode),
    required_trainings: JSON.parse(team.required_trainings_json) as string[],
    max_stops: team.max_stops,
    capacity: JSON.parse(team.capacity_json) as Record<string, number>,
    created_at: team.created_at,
    areas,
  };
}

function view(detail: TeamDetail): TeamView {
  return {
    id: detail.id,
    name: detail.name,
    org_unit_id: detail.org_unit_id,
    leader_id: detail.leader_id,
    member_ids: detail.member_ids,
    area_pcodes: detail.area_pcodes,
    required_trainings: detail.required_trainings,
    max_stops: detail.max_stops,
    capacity: detail.capacity,
    created_at: detail.created_at,
  };
}

function inScope(actor: Actor, rows: TeamRows): boolean {
  return rows.areas.some((area) => areaInScope(actor.scope, area.path));
}

/** The checked rows of a team from its input, or a ValidationError naming every bad field. */
async function teamRows(
  trx: Executor,
  actor: Actor,
  input: CreateTeamInput,
): Promise<{
  fields: Omit<TeamRecord, 'id' | 'created_at'>;
  memberIds: string[];
  pcodes: string[];
}> {
  const config = await loadFieldConfig(trx);
  const issues: FieldIssue[] = [];
  if (!(await getOrgUnit(trx, input.org_unit_id).catch(() => null))) {
    issues.push({ path: '/org_unit_id', message: 'is not a known org unit' });
  }
  const memberIds = [...new Set([input.leader_id, ...input.member_ids])];
  const volunteers = new Map((await volunteersByIds(trx, memberIds)).map((row) => [row.id, row]));
  const leader = volunteers.get(input.leader_id);
  if (!leader) issues.push({ path: '/leader_id', message: 'is not a known volunteer' });
  else if (leader.status !== 'active')
    issues.push({ path: '/leader_id', message: 'is not an active volunteer' });
  input.member_ids.forEach((id, index) => {
    const member = volunteers.get(id);
    if (!member) issues.push({ path: `/member_ids/${index}`, message: 'is not a known volunteer' });
    else if (member.status !== 'active') {
      issues.push({ path: `/member_ids/${index}`, message: 'is not an active volunteer' });
    }
  });
  const areas = await findAreas(trx, input.area_pcodes);
  input.area_pcodes.forEach((pcode, index) => {
    const area = areas.get(pcode);
    if (!area || !areaInScope(actor.scope, area.path)) {
      issues.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
    }
  });
  const required = input.required_trainings ?? [...config.requiredTrainings];
  const known = await trainingsByCode(trx, required);
  required.forEach((code, index) => {
    if (!known.has(code)) {
      issues.push({
        path: input.required_trainings ? `/required_trainings/${index}` : '/required_trainings',
        message: `${code} is not a known training`,
      });
    }
  });
  const capacity = input.capacity ?? {};
  const commodities = new Set(
    (await findCommodities(trx, Object.keys(capacity))).map((row) => row.code),
  );
  for (const code of Object.keys(capacity)) {
    if (!commodities.has(code))
      issues.push({ path: `/capacity/${code}`, message: 'is not a known commodity' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    fields: {
      name: input.name.trim(),
      org_unit_id: input.org_unit_id,
      leader_id: input.leader_id,
      max_stops: input.max_stops ?? 30,
      capacity_json: JSON.stringify(Object.fromEntries(Object.entries(capacity).sort())),
      required_trainings_json: JSON.stringify(required),
    },
    memberIds,
    pcodes: [...input.area_pcodes].sort(),
  };
}

/** Creates a team; the leader is always a member. */
export async function createTeam(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateTeamInput,
  clock: Clock,
): Promise<TeamView> {
  return writeTransaction(storage, async (trx) => {
    const { fields, memberIds, pcodes } = await teamRows(trx, actor, input);
    const row: TeamRecord = { id: randomUUID(), ...fields, created_at: clock().toISOString() };
    await insertTeam(trx, row, memberIds, pcodes);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'team.create',
        entity: 'team',
        entityId: row.id,
        fields: Object.keys(input),
      },
      clock,
    );
    const [created] = await findTeams(trx, [row.id]);
    return view(present(created as TeamRows));
  });
}

/**
 * Replaces a team's name, unit, leader, members, areas, capacity and required trainings (the
 * team must be in scope; 404 otherwise). Runs already planned keep their stops.
 */
export async function updateTeam(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  input: CreateTeamInput,
  clock: Clock,
): Promise<TeamView> {
  return writeTransaction(storage, async (trx) => {
    const before = await getTeamDetail(trx, actor, id);
    const { fields, memberIds, pcodes } = await teamRows(trx, actor, input);
    await replaceTeam(trx, { id, ...fields, created_at: before.created_at }, memberIds, pcodes);
    await appendAuditEvent(
      trx,
      { actor, action: 'team.update', entity: 'team', entityId: id, fields: Object.keys(input) },
      clock,
    );
    const [updated] = await findTeams(trx, [id]);
    return view(present(updated as TeamRows));
  });
}

export async function listTeams(db: Executor, actor: Actor): Promise<TeamView[]> {
  return (await findTeams(db))
    .filter((rows) => inScope(actor, rows))
    .map((rows) => view(present(rows)));
}

/** The team with its areas' paths, or NotFoundError when missing or outside the scope. */
export async function getTeamDetail(db: Executor, actor: Actor, id: string): Promise<TeamDetail> {
  const [rows] = await findTeams(db, [id]);
  if (!rows || !inScope(actor, rows)) throw new NotFoundError('team');
  return present(rows);
}

export async function getTeam(db: Executor, actor: Actor, id: string): Promise<TeamView> {
  return view(await getTeamDetail(db, actor, id));
}

/** Unscoped, for the field: the teams (with members) a volunteer belongs to. */
export async function teamsOfVolunteer(db: Executor, volunteerId: string): Promise<TeamDetail[]> {
  return (await findTeams(db, await findTeamIdsOfVolunteer(db, volunteerId))).map(present);
}
