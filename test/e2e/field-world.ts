/**
 * A dispatched run for the field app's scenarios (and its benchmark): four new households in a
 * demo community (three on the run, one for an ad-hoc delivery), a programme and open cycle giving each 2 bread and 1 kg of sugar per person,
 * stock at the demo's first service point, the e2e volunteer user linked to a volunteer who
 * holds a permit and leads a team, and that team's run for today, dispatched. Built through
 * the services, as an office would through the API.
 */
import { systemActor } from '../../src/domain/actor.js';
import { createCycle, openCycle } from '../../src/modules/cycles/cycles.service.js';
import { createProgramme } from '../../src/modules/programmes/programmes.service.js';
import { planRun } from '../../src/modules/runs/runs.planning.js';
import { dispatchRun } from '../../src/modules/runs/runs.service.js';
import { receiveStock } from '../../src/modules/stock/stock.service.js';
import { createTeam } from '../../src/modules/teams/teams.service.js';
import { addPermit, createVolunteer } from '../../src/modules/volunteers/volunteers.service.js';
import { defaultTimeZone, localDay } from '../../src/shared/time-zone.js';
import { ensureCommodities, registerHouseholds, type E2eServer } from './server.js';

export interface FieldRunWorld {
  runId: string;
  cycleId: string;
  /** A household of the run's community with entitlement, not on the run (for ad-hoc delivery). */
  offRun: { id: string; card_number: string };
  volunteerId: string;
  /** The run's stops in order, with the card number and items of each. */
  stops: {
    id: string;
    household_id: string;
    card_number: string;
    items: { commodity: string; quantity: number }[];
  }[];
}

export async function dispatchFieldRun(server: E2eServer): Promise<FieldRunWorld> {
  const clock = () => new Date();
  const day = localDay(new Date(), defaultTimeZone);
  const after = (days: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  await ensureCommodities(server);
  const area = server.seed.communityPcodes[0] ?? '';
  const households = await registerHouseholds(server, [
    { given: 'ماهر', father: 'سليم', family: 'الأحمد', size: 2, area },
    { given: 'ريم', father: 'عادل', family: 'الشامي', size: 3, area },
    { given: 'جميل', father: 'نبيل', family: 'الحلبي', size: 1, area },
    { given: 'نادية', father: 'كمال', family: 'اليوسف', size: 2, area },
  ]);
  const onRun = households.slice(0, 3);
  const offRun = households[3] as { id: string; card_number: string };
  const programme = await createProgramme(
    server.storage,
    systemActor,
    {
      code: 'field-ration',
      name_ar: 'حصة ميدانية',
      name_en: 'Field ration',
      rules: {
        items: [
          { commodity: 'bread', tiers: [{ quantity: 2 }] },
          { commodity: 'sugar', per_person: 1000 },
        ],
      },
    },
    clock,
  );
  const cycle = await createCycle(
    server.storage,
    systemActor,
    { programme_id: programme.id, starts_on: after(-1), ends_on: after(30), area_pcodes: [area] },
    clock,
  );
  await openCycle(server.storage, systemActor, cycle.id, clock);
  const servicePointId = server.seed.servicePointIds[0] ?? '';
  for (const [commodity, quantity] of [
    ['bread', 100],
    ['sugar', 100_000],
  ] as const) {
    await receiveStock(
      server.storage,
      systemActor,
      servicePointId,
      { id: crypto.randomUUID(), commodity, quantity },
      clock,
    );
  }
  const user = await server.storage.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', server.logins.volunteer.username)
    .executeTakeFirstOrThrow();
  const volunteer = await createVolunteer(
    server.storage,
    systemActor,
    {
      given_name: 'سلمى',
      family_name: 'الميداني',
      phone: '0933555111',
      org_unit_id: server.seed.branchId,
      area_pcode: area,
      user_id: user.id,
    },
    clock,
  );
  await addPermit(
    server.storage,
    systemActor,
    volunteer.id,
    { number: 'P-E2E-1', valid_from: after(-1), valid_to: after(30), area_pcodes: ['SY06'] },
    clock,
  );
  const team = await createTeam(
    server.storage,
    systemActor,
    {
      name: 'فريق الميدان',
      org_unit_id: server.seed.branchId,
      leader_id: volunteer.id,
      member_ids: [],
      area_pcodes: [area],
      required_trainings: [],
    },
    clock,
  );
  const run = await planRun(
    server.storage,
    systemActor,
    {
      cycle_id: cycle.id,
      team_id: team.id,
      date: day,
      source_service_point_id: servicePointId,
      household_ids: onRun.map((household) => household.id),
    },
    clock,
  );
  await dispatchRun(server.storage, systemActor, run.id, clock);
  const cards = new Map(onRun.map((household) => [household.id, household.card_number]));
  return {
    runId: run.id,
    cycleId: cycle.id,
    offRun,
    volunteerId: volunteer.id,
    stops: run.stops.map((stop) => ({
      id: stop.id,
      household_id: stop.household_id,
      card_number: cards.get(stop.household_id) ?? '',
      items: stop.items,
    })),
  };
}
