/**
 * Test-only world for the volunteer, team, run and sync suites (and the sync benchmark): the
 * test areas, an org unit, bread and sugar, a programme with an open cycle, households with
 * coordinates, a stocked service point, a training catalogue, volunteers with trainings and
 * permits, and a team. Built through the services where they exist. Nothing in the app
 * imports this file.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { createCommodity } from '../commodities/commodities.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
} from '../cycles/cycles.fixtures.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { createTeam } from '../teams/teams.service.js';
import { createTraining } from '../trainings/trainings.service.js';
import { addPermit, addTrainingRecord, createVolunteer } from '../volunteers/volunteers.service.js';

export interface FieldWorld {
  orgUnitId: string;
  cycleId: string;
  servicePointId: string;
  households: string[];
  volunteers: string[];
  teamId: string;
}

/** Inserts an org unit covering SY06 and returns its id. */
export async function insertTestOrgUnit(storage: Storage): Promise<string> {
  const id = randomUUID();
  await storage.db
    .insertInto('org_units')
    .values({
      id,
      parent_id: null,
      kind: 'branch',
      name_ar: 'فرع',
      name_en: 'Branch',
      path: `/${id}/`,
      created_at: '2026-11-29T00:00:00.000Z',
    })
    .execute();
  await storage.db
    .insertInto('org_unit_areas')
    .values({ org_unit_id: id, area_pcode: 'SY06' })
    .execute();
  return id;
}

/**
 * Builds the world: `households` households in SY060000 (2 bread, 2000 g sugar each), the
 * source service point with stock for all of them, `members` volunteers holding ipc_ppe and
 * a permit for SY06 around `day`, and one team of them with capacity for every household.
 */
export async function buildFieldWorld(
  storage: Storage,
  clock: Clock,
  options: {
    households?: number;
    members?: number;
    day?: string;
    userIds?: readonly string[];
    maxStops?: number;
  } = {},
): Promise<FieldWorld> {
  const actor = systemActor;
  const count = options.households ?? 6;
  const day = options.day ?? clock().toISOString().slice(0, 10);
  await seedTestAreas(storage.db);
  const orgUnitId = await insertTestOrgUnit(storage);
  for (const code of ['bread', 'sugar']) {
    await createCommodity(
      storage,
      actor,
      {
        code,
        name_ar: code === 'bread' ? 'خبز' : 'سكر',
        name_en: code,
        base_unit: code === 'bread' ? 'bundle' : 'g',
        display_unit: code === 'bread' ? 'bundle' : 'kg',
        display_scale: code === 'bread' ? 1 : 1000,
      },
      clock,
    );
  }
  const households = await insertTestHouseholds(
    storage.db,
    Array.from({ length: count }, () => ({ household_size: 2, area_pcode: 'SY060000' })),
  );
  for (const [index, id] of households.entries()) {
    await storage.db
      .updateTable('households')
      .set({
        latitude: 35.5 + ((index * 7919) % 97) / 1000,
        longitude: 35.78 + ((index * 104729) % 89) / 1000,
        address: `شارع ${index + 1}`,
      })
      .where('id', '=', id)
      .execute();
  }
  const programme = await createProgramme(
    storage,
    actor,
    {
      code: `ration${randomUUID().slice(0, 6)}`,
      name_ar: 'حصة',
      name_en: 'Ration',
      rules: {
        items: [
          { commodity: 'bread', per_person: 1 },
          { commodity: 'sugar', per_person: 1000 },
        ],
      },
    },
    clock,
  );
  const cycle = await createCycle(
    storage,
    actor,
    {
      programme_id: programme.id,
      starts_on: '2026-12-01',
      ends_on: '2026-12-31',
      area_pcodes: ['SY06'],
    },
    clock,
  );
  await openCycle(storage, actor, cycle.id, clock);
  const servicePointId = await insertTestServicePoint(storage.db, 'SY060000');
  await receiveStock(
    storage,
    actor,
    servicePointId,
    { id: randomUUID(), commodity: 'bread', quantity: count * 2 + 100 },
    clock,
  );
  await receiveStock(
    storage,
    actor,
    servicePointId,
    { id: randomUUID(), commodity: 'sugar', quantity: count * 2000 + 100000 },
    clock,
  );
  await createTraining(
    storage,
    actor,
    {
      code: 'ipc_ppe',
      name_ar: 'الوقاية من العدوى',
      name_en: 'Infection prevention and PPE',
      valid_days: 180,
    },
    clock,
  );
  const volunteers: string[] = [];
  for (let index = 0; index < (options.members ?? 3); index++) {
    const volunteer = await createVolunteer(
      storage,
      actor,
      {
        given_name: `متطوع${index}`,
        family_name: 'العلي',
        phone: `0933${String(100000 + index)}`,
        org_unit_id: orgUnitId,
        area_pcode: 'SY060000',
        ...(options.userIds?.[index] ? { user_id: options.userIds[index] } : {}),
      },
      clock,
    );
    await addTrainingRecord(
      storage,
      actor,
      volunteer.id,
      { training_code: 'ipc_ppe', completed_on: '2026-11-01' },
      clock,
    );
    await addPermit(
      storage,
      actor,
      volunteer.id,
      {
        number: `P-${index}`,
        valid_from: '2026-11-01',
        valid_to: '2027-01-31',
        area_pcodes: ['SY06'],
      },
      clock,
    );
    volunteers.push(volunteer.id);
  }
  void day;
  const team = await createTeam(
    storage,
    actor,
    {
      name: 'فريق الصليبة',
      org_unit_id: orgUnitId,
      leader_id: volunteers[0] as string,
      member_ids: volunteers.slice(1),
      area_pcodes: ['SY0600'],
      max_stops: options.maxStops ?? Math.max(count, 1),
      capacity: { bread: count * 2, sugar: count * 2000 },
    },
    clock,
  );
  return { orgUnitId, cycleId: cycle.id, servicePointId, households, volunteers, teamId: team.id };
}
