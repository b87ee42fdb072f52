/**
 * The demo's volunteers and runs, made through the same services the API uses: a training
 * catalogue, about 60 volunteers (Arabic names from the AKhateeb lists in data/names/, MIT) in
 * 8 teams, one per unit of the branch; trainings (some expiring within 30 days) and movement
 * permits, except for two members of the last team, whose run the dispatch gate holds back;
 * runs of today planned, dispatched, in progress and closed, and a few exceptions in the queue.
 * The demo `volunteer` and `team-leader` users are members of the team whose run is under way,
 * so the field app has stops to show.
 */
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import { addDays, localDay } from '../../domain/runs/calendar.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { planRun } from '../runs/runs.planning.js';
import { closeRun, dispatchRun } from '../runs/runs.service.js';
import { syncOps } from '../sync/sync.service.js';
import { createTeam } from '../teams/teams.service.js';
import { createTraining } from '../trainings/trainings.service.js';
import { loadFieldConfig } from '../volunteers/volunteers.config.js';
import { addPermit, addTrainingRecord, createVolunteer } from '../volunteers/volunteers.service.js';
import { readNames, seededRandom } from './demo.households.js';
import { demoSections, type DemoSeed } from './demo.seed.js';

const trainings = [
  {
    code: 'ipc_ppe',
    name_ar: 'الوقاية من العدوى واستخدام معدات الوقاية',
    name_en: 'Infection prevention and PPE use',
    valid_days: 180,
  },
  { code: 'first_aid', name_ar: 'الإسعاف الأولي', name_en: 'First aid', valid_days: 365 },
  {
    code: 'distribution',
    name_ar: 'بروتوكول التوزيع',
    name_en: 'Distribution protocol',
    valid_days: 90,
  },
];

const membersPerTeam = [8, 8, 7, 7, 8, 7, 7, 8];

export interface DemoCrew {
  volunteers: number;
  teams: number;
  runs: Record<'planned' | 'dispatched' | 'in_progress' | 'closed', number>;
  exceptions: number;
}

/** Seeds the crew and its runs; `users` maps the demo usernames to their user ids. */
export async function seedDemoCrew(
  storage: Storage,
  seed: DemoSeed,
  users: { volunteer?: string; teamLeader?: string },
  clock: Clock,
): Promise<DemoCrew> {
  const actor = systemActor;
  const random = seededRandom(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const male = readNames('male-first--names-in-arabic.txt');
  const female = readNames('female-first-names-in-arabic.txt');
  const family = readNames('last-names-in-arabic.txt');
  const today = localDay(clock(), (await loadFieldConfig(storage.db)).timeZone);

  for (const training of trainings) await createTraining(storage, actor, training, clock);
  const units = demoSections.flatMap((section) => section.units);
  const teamIds: string[] = [];
  let serial = 0;
  for (const [teamIndex, unit] of units.entries()) {
    const orgUnitId = seed.unitIds[teamIndex] as string;
    const areaPcode = unit.subdistricts[0] as string;
    const memberIds: string[] = [];
    for (let index = 0; index < (membersPerTeam[teamIndex] ?? 7); index++) {
      serial += 1;
      const femaleVolunteer = random() < 0.4;
      // The first team is the field app's: its leader and one member are the demo users.
      const userId =
        teamIndex === 0 && index === 0
          ? users.teamLeader
          : teamIndex === 0 && index === 1
            ? users.volunteer
            : undefined;
      const volunteer = await createVolunteer(
        storage,
        actor,
        {
          given_name: femaleVolunteer ? pick(female) : pick(male),
          family_name: pick(family),
          phone: `0944${String(100_000 + serial * 37).padStart(6, '0')}`,
          sex: femaleVolunteer ? 'female' : 'male',
          birth_year: 1975 + Math.floor(random() * 30),
          org_unit_id: orgUnitId,
          area_pcode: areaPcode,
          skills: [pick(['driver', 'first_aid', 'logistics', 'data_entry', 'psychosocial'])],
          availability: [{ day: serial % 7, from: '08:00', to: '14:00' }],
          ...(userId ? { user_id: userId } : {}),
        },
        clock,
      );
      memberIds.push(volunteer.id);
      // Every fourth volunteer's infection-prevention briefing runs out within the month.
      const daysAgo = serial % 4 === 0 ? 160 + (serial % 15) : 20 + (serial % 40);
      await addTrainingRecord(
        storage,
        actor,
        volunteer.id,
        {
          training_code: 'ipc_ppe',
          completed_on: addDays(today, -daysAgo),
          trainer: 'مديرية الصحة',
        },
        clock,
      );
      if (index % 3 === 0) {
        await addTrainingRecord(
          storage,
          actor,
          volunteer.id,
          { training_code: 'first_aid', completed_on: addDays(today, -100) },
          clock,
        );
      }
      // The last team's two newest members still wait for their movement permits.
      if (!(teamIndex === units.length - 1 && index >= (membersPerTeam[teamIndex] ?? 7) - 2)) {
        await addPermit(
          storage,
          actor,
          volunteer.id,
          {
            number: `LAT-${String(serial).padStart(4, '0')}`,
            valid_from: addDays(today, -10),
            valid_to: addDays(today, 20),
            area_pcodes: unit.subdistricts,
            issuer_partner_id: seed.partnerIds[0] ?? null,
          },
          clock,
        );
      }
    }
    const team = await createTeam(
      storage,
      actor,
      {
        name: `فريق ${unit.nameAr.replace('وحدة ', '')}`,
        org_unit_id: orgUnitId,
        leader_id: memberIds[0] as string,
        member_ids: memberIds.slice(1),
        area_pcodes: unit.subdistricts,
        required_trainings: ['ipc_ppe'],
        max_stops: 12,
      },
      clock,
    );
    teamIds.push(team.id);
  }

  const cycle = await storage.db
    .selectFrom('cycles')
    .select('id')
    .where('status', '=', 'open')
    .orderBy('created_at')
    .executeTakeFirst();
  const sourceId = seed.servicePointIds[0];
  const runs = { planned: 0, dispatched: 0, in_progress: 0, closed: 0 };
  let exceptions = 0;
  if (!cycle || !sourceId) return { volunteers: serial, teams: teamIds.length, runs, exceptions };
  const plan = async (teamIndex: number) =>
    planRun(
      storage,
      actor,
      {
        cycle_id: cycle.id,
        team_id: teamIds[teamIndex] as string,
        date: today,
        source_service_point_id: sourceId,
        area_pcodes: [units[teamIndex]?.subdistricts[0] as string],
        max_stops: 8,
      },
      clock,
    );
  const at = clock().toISOString();
  const deliver = (runId: string, stop: { id: string; items: unknown }, id: string) => ({
    id,
    kind: 'delivery',
    run_id: runId,
    stop_id: stop.id,
    items: stop.items,
    at,
  });

  // Under way: five stops delivered, one not at home, one reported twice (an exception).
  const underWay = await plan(0);
  await dispatchRun(storage, actor, underWay.id, clock);
  const stops = underWay.stops;
  const ops: unknown[] = stops
    .slice(0, 5)
    .map((stop, index) => deliver(underWay.id, stop, `demo-${underWay.id}-d${index}`));
  if (stops[5]) {
    ops.push({
      id: `demo-${underWay.id}-f5`,
      kind: 'visit-failed',
      run_id: underWay.id,
      stop_id: stops[5].id,
      reason: 'not_home',
      at,
    });
  }
  if (stops[0]) ops.push(deliver(underWay.id, stops[0], `demo-${underWay.id}-again`));
  // Dispatched (reserved, not yet started); its first household is handed goods by the team
  // under way as well, on a card scanned at the door: the office decides.
  const dispatched = await plan(2);
  await dispatchRun(storage, actor, dispatched.id, clock);
  const heldStop = dispatched.stops[0];
  if (heldStop) {
    const household = await storage.db
      .selectFrom('households')
      .select('card_number')
      .where('id', '=', heldStop.household_id)
      .executeTakeFirst();
    if (household?.card_number) {
      ops.push({
        id: `demo-${underWay.id}-adhoc`,
        kind: 'delivery',
        run_id: underWay.id,
        card: household.card_number,
        items: heldStop.items,
        at,
      });
    }
  }
  const sent = await syncOps(storage, { actor }, ops, clock);
  exceptions += sent.results.filter((result) => result.status === 'exception').length;
  runs.in_progress += 1;
  runs.dispatched += 1;

  // Closed: all but two stops delivered, one refused; the rest voided and returned at close.
  const done = await plan(1);
  await dispatchRun(storage, actor, done.id, clock);
  const doneOps: unknown[] = done.stops
    .slice(0, -2)
    .map((stop, index) => deliver(done.id, stop, `demo-${done.id}-d${index}`));
  const refused = done.stops.at(-2);
  if (refused) {
    doneOps.push({
      id: `demo-${done.id}-f`,
      kind: 'visit-failed',
      run_id: done.id,
      stop_id: refused.id,
      reason: 'refused',
      at,
    });
  }
  await syncOps(storage, { actor }, doneOps, clock);
  await closeRun(storage, actor, done.id, clock);
  runs.closed += 1;

  // Planned: one ready to go, and the last team's, which the gate holds back for permits.
  for (const teamIndex of [3, units.length - 1]) {
    const planned = await plan(teamIndex);
    runs.planned += 1;
    if (teamIndex === units.length - 1) {
      await dispatchRun(storage, actor, planned.id, clock).catch((error: unknown) => {
        if (!(error instanceof AppError) || error.code !== 'dispatch-blocked') throw error;
      });
    }
  }
  return { volunteers: serial, teams: teamIds.length, runs, exceptions };
}
