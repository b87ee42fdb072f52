import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { fieldSettingKeys } from '../volunteers/volunteers.config.js';
import { buildFieldWorld, type FieldWorld } from './runs.fixtures.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');
const day = '2026-12-05';

interface StopAnswer {
  id: string;
  household_id: string;
  sequence: number;
  items: { commodity: string; quantity: number }[];
  latitude: number | null;
  longitude: number | null;
}
interface RunAnswer {
  id: string;
  team_id: string;
  status: string;
  date: string;
  length_metres: number | null;
  depot: { latitude: number; longitude: number } | null;
  stops: StopAnswer[];
}

describeEachDialect('run planning with the routing solver over HTTP', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let world: FieldWorld;
  const teams: { id: string; max_stops: number; bread?: number }[] = [];
  const post = (url: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      headers: coordinator.headers as Record<string, string>,
      ...(payload ? { payload } : {}),
    });
  const put = (url: string, payload: object) =>
    app.inject({
      method: 'PUT',
      url,
      headers: coordinator.headers as Record<string, string>,
      payload,
    });
  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: coordinator.headers as Record<string, string> });
  const planDay = (extra: object = {}) =>
    post('/api/v1/runs/plan-day', {
      cycle_id: world.cycleId,
      date: day,
      source_service_point_id: world.servicePointId,
      team_ids: teams.map((team) => team.id),
      area_pcodes: ['SY0600'],
      ...extra,
    });
  const closeAll = async (runs: readonly RunAnswer[]) => {
    for (const run of runs)
      expect((await post(`/api/v1/runs/${run.id}/close`)).statusCode).toBe(200);
  };

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    world = await buildFieldWorld(storage(), clock, { households: 30, members: 3, maxStops: 6 });
    // A fixed number of solver iterations and time to spare: the same seed gives the same runs.
    await storage()
      .db.insertInto('settings')
      .values([
        { key: fieldSettingKeys.routeIterations, value: '60' },
        { key: fieldSettingKeys.orderTimeLimitMs, value: '60000' },
        { key: fieldSettingKeys.planDayTimeLimitMs, value: '60000' },
      ])
      .execute();
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    teams.push({ id: world.teamId, max_stops: 6, bread: 60 });
    for (const [name, maxStops, bread] of [
      ['فريق أ', 8, 100],
      ['فريق ب', 8, 10],
    ] as const) {
      const team = await post('/api/v1/teams', {
        name,
        org_unit_id: world.orgUnitId,
        leader_id: world.volunteers[0],
        member_ids: world.volunteers.slice(1),
        area_pcodes: ['SY0600'],
        max_stops: maxStops,
        capacity: { bread },
      });
      expect(team.statusCode).toBe(201);
      teams.push({ id: team.json().id, max_stops: maxStops, bread });
    }
  });
  afterAll(async () => {
    await app.close();
  });

  let day1: RunAnswer[] = [];
  it('plans a day: one run per team within its capacity, each household at most once, the rest reported', async () => {
    const bad = await post('/api/v1/runs/plan-day', {
      cycle_id: 'nope',
      date: '2026-12-04',
      source_service_point_id: world.servicePointId,
      team_ids: [world.teamId, 'nope'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/date',
      '/cycle_id',
      '/team_ids/1',
    ]);
    expect((await planDay({ team_ids: [] })).statusCode).toBe(400);

    // A run planned first keeps its households out of the day's plan.
    const single = await post('/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: world.teamId,
      date: day,
      source_service_point_id: world.servicePointId,
      household_ids: world.households.slice(0, 2),
    });
    expect(single.statusCode).toBe(201);
    const singleRun = single.json() as RunAnswer;
    expect(singleRun.length_metres).toBeGreaterThan(0);
    expect(singleRun.stops.every((stop) => stop.latitude !== null)).toBe(true);

    const answer = await planDay();
    expect(answer.statusCode).toBe(201);
    const body = answer.json() as {
      runs: RunAnswer[];
      households: number;
      planned: number;
      unplanned: number;
      unplanned_household_ids: string[];
    };
    day1 = body.runs;
    expect(body.households).toBe(28);
    // 6 + 8 stops, and 10 bundles of bread (5 households) for the third team: 19 of 28.
    expect(body.planned).toBe(19);
    expect(body.unplanned).toBe(9);
    expect(body.unplanned_household_ids).toHaveLength(9);
    const seen = new Set<string>(singleRun.stops.map((stop) => stop.household_id));
    for (const run of body.runs) {
      const team = teams.find((candidate) => candidate.id === run.team_id)!;
      expect(run).toMatchObject({ status: 'planned', date: day });
      expect(run.stops.length).toBeLessThanOrEqual(team.max_stops);
      const bread = run.stops.reduce(
        (sum, stop) => sum + stop.items.find((item) => item.commodity === 'bread')!.quantity,
        0,
      );
      expect(bread).toBeLessThanOrEqual(team.bread!);
      expect(run.stops.map((stop) => stop.sequence)).toEqual(run.stops.map((_, i) => i + 1));
      expect(run.length_metres).toBeGreaterThan(0);
      for (const stop of run.stops) {
        expect(seen.has(stop.household_id)).toBe(false);
        seen.add(stop.household_id);
      }
    }
    for (const id of body.unplanned_household_ids) expect(seen.has(id)).toBe(false);
    expect(seen.size + body.unplanned).toBe(30);

    // Lengths are shown on the board and on the run.
    const list = (await get('/api/v1/runs?status=planned')).json().items as RunAnswer[];
    expect(list.find((run) => run.id === day1[0]!.id)?.length_metres).toBe(day1[0]!.length_metres);
    const detail = (await get(`/api/v1/runs/${day1[0]!.id}`)).json() as RunAnswer;
    expect(detail.length_metres).toBe(day1[0]!.length_metres);
    expect(detail.depot).not.toBeNull();
    await closeAll([singleRun]);
  });

  it('gives the same runs for the same seed and data', async () => {
    const shape = (runs: readonly RunAnswer[]) =>
      runs.map((run) => ({
        team: run.team_id,
        length: run.length_metres,
        households: run.stops.map((stop) => stop.household_id),
      }));
    const first = shape(day1);
    await closeAll(day1);
    const again = await planDay({ seed: 1 });
    expect(again.statusCode).toBe(201);
    // The two households of the closed single run are free again, so plan without them.
    await closeAll(again.json().runs);
    const single = await post('/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: world.teamId,
      date: day,
      source_service_point_id: world.servicePointId,
      household_ids: world.households.slice(0, 2),
    });
    expect(single.statusCode).toBe(201);
    const third = await planDay({ seed: 1 });
    expect(shape(third.json().runs)).toEqual(first);
    day1 = third.json().runs;
  });

  it('moves a stop between planned runs of one day within the target team’s capacity, re-ordering both', async () => {
    // Every run of the day is full: the world's team by stops, the third team by bread.
    const byStops = day1.find((run) => run.team_id === world.teamId)!;
    const byBread = day1.find((run) => run.team_id === teams[2]!.id)!;
    const source = day1.find((run) => run.team_id === teams[1]!.id)!;
    const stop = source.stops[0]!;
    const move = (runId: string, stopId: string, to: string) =>
      post(`/api/v1/runs/${runId}/stops/${stopId}/move`, { to_run_id: to });
    const tooMany = await move(source.id, stop.id, byStops.id);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'team-capacity-exceeded', max_stops: 6 });
    const tooHeavy = await move(source.id, stop.id, byBread.id);
    expect(tooHeavy.statusCode).toBe(409);
    expect(tooHeavy.json()).toMatchObject({ code: 'team-capacity-exceeded', commodity: 'bread' });
    expect((await move(source.id, stop.id, source.id)).statusCode).toBe(400);
    expect((await move(source.id, 'nope', byStops.id)).statusCode).toBe(404);
    expect((await move(source.id, stop.id, 'nope')).statusCode).toBe(400);

    // A roomy run of the same day takes it; both runs come back re-ordered.
    const extra = await post('/api/v1/teams', {
      name: 'فريق ج',
      org_unit_id: world.orgUnitId,
      leader_id: world.volunteers[0],
      member_ids: world.volunteers.slice(1),
      area_pcodes: ['SY0600'],
      max_stops: 5,
    });
    const roomy = await post('/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: extra.json().id,
      date: day,
      source_service_point_id: world.servicePointId,
      area_pcodes: ['SY0600'],
      max_stops: 1,
    });
    expect(roomy.statusCode).toBe(201);
    const moved = await move(source.id, stop.id, roomy.json().id);
    expect(moved.statusCode).toBe(200);
    const { from, to } = moved.json() as { from: RunAnswer; to: RunAnswer };
    expect(from.stops.map((s) => s.id).sort()).toEqual(
      source.stops
        .slice(1)
        .map((s) => s.id)
        .sort(),
    );
    expect(to.stops.map((s) => s.id)).toContain(stop.id);
    expect(to.stops).toHaveLength(2);
    expect(to.stops.map((s) => s.sequence)).toEqual([1, 2]);
    expect(from.stops.map((s) => s.sequence)).toEqual(from.stops.map((_, i) => i + 1));
    expect(to.length_metres).toBeGreaterThan(0);
    expect(from.length_metres).toBeLessThanOrEqual(source.length_metres!);
    expect((await get(`/api/v1/runs/${to.id}`)).json().length_metres).toBe(to.length_metres);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select(['action'])
      .where('entity_id', '=', stop.id)
      .execute();
    expect(audit.map((row) => row.action)).toContain('run.move-stop');

    // Another day: refused.
    const tomorrow = await post('/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: extra.json().id,
      date: '2026-12-06',
      source_service_point_id: world.servicePointId,
      area_pcodes: ['SY0600'],
      max_stops: 1,
    });
    expect(tomorrow.statusCode).toBe(201);
    const acrossDays = await move(tomorrow.json().id, tomorrow.json().stops[0].id, to.id);
    expect(acrossDays.statusCode).toBe(409);
    expect(acrossDays.json().code).toBe('runs-not-same-day');

    // Dispatched: refused either way.
    expect((await post(`/api/v1/runs/${to.id}/dispatch`)).statusCode).toBe(200);
    const dispatched = await move(to.id, stop.id, from.id);
    expect(dispatched.statusCode).toBe(409);
    expect(dispatched.json().code).toBe('run-not-planned');
    const into = await move(from.id, from.stops[0]!.id, to.id);
    expect(into.statusCode).toBe(409);
    expect(into.json().code).toBe('run-not-planned');

    // Keeping a chosen order: a planned run only, every stop once.
    const order = (id: string, stop_ids: string[]) => put(`/api/v1/runs/${id}/order`, { stop_ids });
    const ids = from.stops.map((s) => s.id);
    const fromGet = (await get(`/api/v1/runs/${from.id}`)).json();
    expect(fromGet.detour_factor).toBe(1.3);
    const notPlanned = await order(to.id, to.stops.map((s) => s.id).reverse());
    expect(notPlanned.statusCode).toBe(409);
    expect(notPlanned.json().code).toBe('run-not-planned');
    for (const [bad, path] of [
      [ids.slice(1), '/stop_ids'],
      [[...ids.slice(1), ids[1]!], `/stop_ids/${ids.length - 1}`],
      [[...ids.slice(1), to.stops[0]!.id], `/stop_ids/${ids.length - 1}`],
    ] as const) {
      const refused = await order(from.id, [...bad]);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    expect((await order('nope', ids)).statusCode).toBe(404);
    expect(
      (await get(`/api/v1/runs/${from.id}`)).json().stops.map((s: StopAnswer) => s.id),
    ).toEqual(ids);
    const reversed = [...ids].reverse();
    const rotated = [...ids.slice(1), ids[0]!];
    const kept = await order(from.id, rotated);
    expect(kept.statusCode).toBe(200);
    expect(kept.json().stops.map((s: StopAnswer) => s.id)).toEqual(rotated);
    expect(kept.json().stops.map((s: StopAnswer) => s.sequence)).toEqual(ids.map((_, i) => i + 1));
    // The closed route reversed has the same length (distances are symmetric).
    const back = (await order(from.id, reversed)).json() as RunAnswer;
    expect(back.stops.map((s) => s.id)).toEqual(reversed);
    expect(back.length_metres).toBe(from.length_metres);
    expect(kept.json().length_metres).toBeGreaterThan(0);
    const fetched = (await get(`/api/v1/runs/${from.id}`)).json() as RunAnswer;
    expect(fetched.stops.map((s) => s.id)).toEqual(reversed);
    expect(fetched.length_metres).toBe(from.length_metres);
    const audited = await storage()
      .db.selectFrom('audit_events')
      .select(['action'])
      .where('entity_id', '=', from.id)
      .execute();
    expect(audited.filter((row) => row.action === 'run.order')).toHaveLength(2);
  });
});
