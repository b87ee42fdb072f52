import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, createTestUser, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { cardPayloads } from '../cards/cards.service.js';
import { seedTestAreas } from '../cycles/cycles.fixtures.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { buildFieldWorld, type FieldWorld } from './runs.fixtures.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');
const day = '2026-12-05';

describeEachDialect('runs, field sync, exceptions and devices over HTTP', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let clerk: SignedIn;
  let leader: SignedIn;
  let world: FieldWorld;
  let leaderPassword = '';
  const post = (who: { headers: object }, url: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      headers: who.headers as Record<string, string>,
      ...(payload ? { payload } : {}),
    });
  const get = (who: { headers: object }, url: string) =>
    app.inject({ method: 'GET', url, headers: who.headers as Record<string, string> });
  const ledgerClean = async () => {
    const report = await verifyLedger(storage().db);
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
  };
  const entitlement = async (householdId: string, commodity: string) => {
    const response = await get(coordinator, `/api/v1/households/${householdId}/entitlements`);
    return response
      .json()
      .items.find((item: { commodity: string }) => item.commodity === commodity);
  };
  const stock = async () =>
    Object.fromEntries(
      (await get(coordinator, `/api/v1/service-points/${world.servicePointId}/stock`))
        .json()
        .items.map((item: { commodity: string; on_hand: number }) => [
          item.commodity,
          item.on_hand,
        ]),
    );

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    await seedTestAreas(storage().db);
    const leaderUser = await createTestUser(storage(), { role: 'team_leader', scope: ['SY06'] });
    leaderPassword = leaderUser.password;
    world = await buildFieldWorld(storage(), clock, {
      households: 7,
      members: 3,
      userIds: [leaderUser.user.id],
      maxStops: 4,
    });
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    clerk = await loginAs(app, storage(), 'outlet_clerk', ['SY06']);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: leaderUser.user.username, password: leaderPassword },
    });
    const session = login.cookies.find((cookie) => cookie.name === 'awn_session');
    const cookie = `awn_session=${session?.value ?? ''}`;
    leader = {
      user: leaderUser.user,
      password: leaderPassword,
      cookie,
      headers: { cookie, origin: 'http://localhost:80' },
    };
  });
  afterAll(async () => {
    await app.close();
  });

  const plan = (extra: object = {}) =>
    post(coordinator, '/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: world.teamId,
      date: day,
      source_service_point_id: world.servicePointId,
      area_pcodes: ['SY0600'],
      ...extra,
    });

  let run1: {
    id: string;
    stops: {
      id: string;
      household_id: string;
      sequence: number;
      items: { commodity: string; quantity: number }[];
    }[];
  };
  let run2Id = '';
  it('plans runs: eligible households up to capacity, ordered, never one household on two open runs', async () => {
    const bad = await post(coordinator, '/api/v1/runs', {
      cycle_id: 'nope',
      team_id: 'nope',
      date: '2026-12-04',
      source_service_point_id: 'nope',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/date',
      '/cycle_id',
      '/team_id',
      '/source_service_point_id',
      '/area_pcodes',
    ]);
    const first = await plan();
    expect(first.statusCode).toBe(201);
    run1 = first.json();
    expect(first.json()).toMatchObject({ status: 'planned', date: day });
    expect(run1.stops.map((stop) => stop.sequence)).toEqual([1, 2, 3, 4]);
    expect(run1.stops[0]?.items).toEqual([
      { commodity: 'bread', quantity: 2 },
      { commodity: 'sugar', quantity: 2000 },
    ]);
    const onFirst = new Set(run1.stops.map((stop) => stop.household_id));
    const remaining = world.households.filter((id) => !onFirst.has(id));
    expect(remaining).toHaveLength(3);
    // One household of the first run is asked for again: it is left out.
    const second = await plan({
      area_pcodes: undefined,
      household_ids: [...remaining.slice(0, 2), run1.stops[0]!.household_id],
      max_stops: 10,
    });
    expect(second.statusCode).toBe(201);
    run2Id = second.json().id;
    const taken: string[] = second
      .json()
      .stops.map((stop: { household_id: string }) => stop.household_id);
    expect(taken.sort()).toEqual(remaining.slice(0, 2).sort());
    const none = await plan({ area_pcodes: undefined, household_ids: [...onFirst] });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('nothing-to-plan');
    expect(await entitlement(run1.stops[0]!.household_id, 'bread')).toMatchObject({
      entitled: 2,
      reserved: 0,
      remaining: 2,
    });
    const list = await get(coordinator, '/api/v1/runs?status=planned');
    expect(list.json().items).toHaveLength(2);
    const manifest = await get(coordinator, `/api/v1/runs/${run1.id}/manifest`);
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toContain('text/html');
    expect(manifest.body).toContain('بيان جولة التوزيع');
    expect(manifest.body).toContain('شارع');
  });

  it('refuses dispatch with 409 dispatch-blocked listing what each volunteer misses', async () => {
    const volunteer = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'جديد',
      family_name: 'بلا تصريح',
      phone: '0955000111',
      org_unit_id: world.orgUnitId,
      area_pcode: 'SY060000',
    });
    const team = await post(coordinator, '/api/v1/teams', {
      name: 'فريق محجوب',
      org_unit_id: world.orgUnitId,
      leader_id: volunteer.json().id,
      member_ids: [world.volunteers[1]],
      area_pcodes: ['SY0600'],
    });
    expect(team.statusCode).toBe(201);
    const household = await insertExtraHousehold();
    const planned = await post(coordinator, '/api/v1/runs', {
      cycle_id: world.cycleId,
      team_id: team.json().id,
      date: day,
      source_service_point_id: world.servicePointId,
      household_ids: [household],
    });
    expect(planned.statusCode).toBe(201);
    const blocked = await post(coordinator, `/api/v1/runs/${planned.json().id}/dispatch`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json()).toMatchObject({ code: 'dispatch-blocked' });
    expect(blocked.json().missing).toEqual([
      { volunteer_id: volunteer.json().id, kind: 'training', training_code: 'ipc_ppe' },
      { volunteer_id: volunteer.json().id, kind: 'permit', area_pcode: 'SY060000' },
    ]);
    // Paused, the volunteer is refused as such, whatever their papers.
    const paused = await post(coordinator, `/api/v1/volunteers/${volunteer.json().id}/status`, {
      status: 'paused',
    });
    expect(paused.statusCode).toBe(200);
    const stillBlocked = await post(coordinator, `/api/v1/runs/${planned.json().id}/dispatch`);
    expect(stillBlocked.statusCode).toBe(409);
    expect(stillBlocked.json().missing).toEqual([
      { volunteer_id: volunteer.json().id, kind: 'status', status: 'paused' },
    ]);
    expect(
      (await post(coordinator, `/api/v1/runs/${planned.json().id}/close`)).json(),
    ).toMatchObject({ status: 'closed', delivered: 0, voided: 0 });
  });

  async function insertExtraHousehold(): Promise<string> {
    const { insertTestHouseholds } = await import('../cycles/cycles.fixtures.js');
    const [id] = await insertTestHouseholds(storage().db, [
      { household_size: 1, area_pcode: 'SY060000' },
    ]);
    await post(coordinator, `/api/v1/cycles/${world.cycleId}/households`, {});
    return id as string;
  }

  let stockBefore: Record<string, number> = {};
  it('dispatches: reserves each stop, loads the team from the source, blocks an outlet redemption', async () => {
    stockBefore = await stock();
    const dispatched = await post(coordinator, `/api/v1/runs/${run1.id}/dispatch`);
    expect(dispatched.statusCode).toBe(200);
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', dropped: [] });
    expect(
      dispatched.json().stops.every((stop: { state: string }) => stop.state === 'reserved'),
    ).toBe(true);
    expect(dispatched.json().reservation_expires_at).toBe('2026-12-06T03:00:00.000Z');
    expect(await entitlement(run1.stops[0]!.household_id, 'bread')).toMatchObject({
      entitled: 2,
      reserved: 2,
      remaining: 0,
    });
    expect(await stock()).toEqual({
      bread: stockBefore.bread! - 8,
      sugar: stockBefore.sugar! - 8000,
    });
    const cards = await cardPayloads(storage().db, [run1.stops[0]!.household_id]);
    const redeemed = await post(clerk, '/api/v1/redemptions', {
      id: randomUUID(),
      card: cards.get(run1.stops[0]!.household_id)!.payload,
      service_point_id: world.servicePointId,
      items: [{ commodity: 'bread', quantity: 1 }],
    });
    expect(redeemed.statusCode).toBe(409);
    expect(redeemed.json().code).toBe('insufficient-entitlement');
    // Run 2's first household redeems at the outlet before run 2 leaves: its stop is dropped.
    const run2 = (await get(coordinator, `/api/v1/runs/${run2Id}`)).json();
    const outletHousehold = run2.stops[0].household_id;
    const outletCards = await cardPayloads(storage().db, [outletHousehold]);
    expect(
      (
        await post(clerk, '/api/v1/redemptions', {
          id: randomUUID(),
          card: outletCards.get(outletHousehold)!.payload,
          service_point_id: world.servicePointId,
          items: [{ commodity: 'bread', quantity: 2 }],
        })
      ).statusCode,
    ).toBe(201);
    const second = await post(coordinator, `/api/v1/runs/${run2Id}/dispatch`);
    expect(second.statusCode).toBe(200);
    expect(second.json().dropped).toEqual([run2.stops[0].id]);
    expect(second.json().stops.map((stop: { state: string }) => stop.state)).toEqual([
      'voided',
      'reserved',
    ]);
    expect((await post(coordinator, `/api/v1/runs/${run2Id}/dispatch`)).statusCode).toBe(200);
    await ledgerClean();
  });

  let freeCard = '';
  it('syncs field ops: applied, duplicate, exception and rejected answers, in order', async () => {
    const [s1, s2, s3] = run1.stops;
    const run2 = (await get(coordinator, `/api/v1/runs/${run2Id}`)).json();
    const heldHousehold = run2.stops[1].household_id;
    const onRuns = new Set([
      ...run1.stops.map((stop) => stop.household_id),
      ...run2.stops.map((stop: { household_id: string }) => stop.household_id),
    ]);
    const freeHousehold = world.households.find((id) => !onRuns.has(id)) as string;
    const cards = await cardPayloads(storage().db, [heldHousehold, freeHousehold]);
    freeCard = cards.get(freeHousehold)!.card_number;
    const at = '2026-12-05T10:00:00.000Z';
    const ops = [
      {
        id: '0190a000-0001',
        kind: 'delivery',
        run_id: run1.id,
        stop_id: s1!.id,
        items: s1!.items,
        at,
      },
      {
        id: '0190a000-0002',
        kind: 'delivery',
        run_id: run1.id,
        stop_id: s2!.id,
        items: [{ commodity: 'bread', quantity: 1 }],
        at,
      },
      {
        id: '0190a000-0003',
        kind: 'visit-failed',
        run_id: run1.id,
        stop_id: s3!.id,
        reason: 'not_home',
        at,
      },
      {
        id: '0190a000-0003',
        kind: 'visit-failed',
        run_id: run1.id,
        stop_id: s3!.id,
        reason: 'not_home',
        at,
      },
      {
        id: '0190a000-0003',
        kind: 'visit-failed',
        run_id: run1.id,
        stop_id: s3!.id,
        reason: 'refused',
        at,
      },
      {
        id: '0190a000-0004',
        kind: 'delivery',
        run_id: run1.id,
        stop_id: s1!.id,
        items: [{ commodity: 'bread', quantity: 1 }],
        at,
      },
      {
        id: '0190a000-0005',
        kind: 'delivery',
        run_id: run1.id,
        card: freeCard,
        items: [{ commodity: 'bread', quantity: 1 }],
        at,
      },
      {
        id: '0190a000-0006',
        kind: 'delivery',
        run_id: run1.id,
        card: cards.get(heldHousehold)!.payload,
        items: [{ commodity: 'sugar', quantity: 500 }],
        at,
      },
      {
        id: '0190a000-0007',
        kind: 'delivery',
        run_id: run1.id,
        card: '1234',
        items: [{ commodity: 'bread', quantity: 1 }],
        at,
      },
      { id: '0190a000-0008', kind: 'teleport', run_id: run1.id, at },
      {
        id: '0190a000-0009',
        kind: 'delivery',
        run_id: 'no-such-run',
        stop_id: s1!.id,
        items: s1!.items,
        at,
      },
      {
        id: '0190a000-0010',
        kind: 'delivery',
        run_id: run1.id,
        stop_id: run2.stops[1].id,
        items: [{ commodity: 'bread', quantity: 1 }],
        at,
      },
    ];
    const response = await post(leader, '/api/v1/sync', { ops });
    expect(response.statusCode).toBe(200);
    expect(
      response
        .json()
        .results.map((result: { id: string; status: string; code?: string }) => [
          result.id,
          result.status,
          result.code ?? null,
        ]),
    ).toEqual([
      ['0190a000-0001', 'applied', null],
      ['0190a000-0002', 'applied', null],
      ['0190a000-0003', 'applied', null],
      ['0190a000-0003', 'duplicate', null],
      ['0190a000-0003', 'rejected', 'id-conflict'],
      ['0190a000-0004', 'exception', 'already-delivered'],
      ['0190a000-0005', 'applied', null],
      ['0190a000-0006', 'exception', 'entitlement-held'],
      ['0190a000-0007', 'rejected', 'card-invalid'],
      ['0190a000-0008', 'rejected', 'invalid-op'],
      ['0190a000-0009', 'rejected', 'run-not-found'],
      ['0190a000-0010', 'rejected', 'stop-not-found'],
    ]);
    // The same batch again changes nothing.
    const replay = await post(leader, '/api/v1/sync', { ops });
    expect(replay.json().results.map((result: { status: string }) => result.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'rejected',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'rejected',
      'duplicate',
      'duplicate',
    ]);
    expect(replay.json().results[5]).toMatchObject({
      status: 'duplicate',
      code: 'already-delivered',
    });
    const view = (await get(leader, `/api/v1/runs/${run1.id}`)).json();
    expect(view.status).toBe('in_progress');
    expect(view.stops.map((stop: { state: string }) => stop.state)).toEqual([
      'delivered',
      'partial',
      'failed',
      'reserved',
    ]);
    expect(view.stops[2].failed_reason).toBe('not_home');
    expect(view.progress).toMatchObject({ stops: 4, delivered: 1, partial: 1, failed: 1, open: 1 });
    // Partial: the bread not handed over and all the sugar went back to the household.
    expect(await entitlement(s2!.household_id, 'bread')).toMatchObject({
      reserved: 0,
      remaining: 1,
    });
    expect(await entitlement(s2!.household_id, 'sugar')).toMatchObject({
      reserved: 0,
      remaining: 2000,
    });
    expect(await entitlement(s3!.household_id, 'bread')).toMatchObject({
      reserved: 2,
      remaining: 0,
    });
    expect(await entitlement(freeHousehold, 'bread')).toMatchObject({ reserved: 0, remaining: 1 });
    // A volunteer of no team of the run may not report on it.
    const outsider = await loginAs(app, storage(), 'volunteer', ['SY06']);
    const refused = await post(outsider, '/api/v1/sync', {
      ops: [{ ...ops[0], id: '0190a000-0099' }],
    });
    expect(refused.json().results).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'not-a-member' }),
    ]);
    await ledgerClean();
  });

  it('keeps exceptions in a queue: approve books against overdraw, reject records why', async () => {
    const queue = await get(coordinator, '/api/v1/field-exceptions?status=open');
    expect(queue.statusCode).toBe(200);
    const items: { id: string; code: string }[] = queue.json().items;
    expect(items.map((item) => item.code).sort()).toEqual([
      'already-delivered',
      'entitlement-held',
    ]);
    const approve = items.find((item) => item.code === 'already-delivered')!;
    const reject = items.find((item) => item.code === 'entitlement-held')!;
    const approved = await post(coordinator, `/api/v1/field-exceptions/${approve.id}/approve`);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect(
      (
        await post(coordinator, `/api/v1/field-exceptions/${approve.id}/reject`, { reason: 'x' })
      ).json().code,
    ).toBe('exception-resolved');
    const rejected = await post(coordinator, `/api/v1/field-exceptions/${reject.id}/reject`, {
      reason: 'the household was served by the other team',
    });
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      resolution_reason: 'the household was served by the other team',
    });
    expect((await post(leader, `/api/v1/field-exceptions/${reject.id}/approve`)).statusCode).toBe(
      403,
    );
    const overdraw = await storage()
      .db.selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'overdraw:bread')
      .executeTakeFirstOrThrow();
    expect(overdraw.debits_posted).toBe(1);
    await ledgerClean();
  });

  it('closes: voids what was not delivered, returns the goods not handed over, records hours', async () => {
    const closed = await post(coordinator, `/api/v1/runs/${run1.id}/close`);
    expect(closed.statusCode).toBe(200);
    // Loaded 8 bread, 8000 sugar; handed over: stop 1 (2, 2000), stop 2 (1 bread), ad hoc 1 bread,
    // already-delivered exception 1 bread (held), the entitlement-held exception 500 sugar (held).
    expect(closed.json()).toEqual({
      id: run1.id,
      status: 'closed',
      delivered: 1,
      partial: 1,
      failed: 1,
      failed_by_reason: { not_home: 1 },
      voided: 2,
      returned: [
        { commodity: 'bread', quantity: 3 },
        { commodity: 'sugar', quantity: 5500 },
      ],
      minutes: 0,
    });
    expect(await stock()).toEqual({
      // Run 2 loaded 2 bread and 2000 sugar, and the outlet handed over 2 bread.
      bread: stockBefore.bread! - 8 + 3 - 2 - 2,
      sugar: stockBefore.sugar! - 8000 + 5500 - 2000,
    });
    expect(await entitlement(run1.stops[2]!.household_id, 'bread')).toMatchObject({
      reserved: 0,
      remaining: 2,
    });
    expect((await post(coordinator, `/api/v1/runs/${run1.id}/close`)).json()).toEqual(
      closed.json(),
    );
    const late = await post(leader, '/api/v1/sync', {
      ops: [
        {
          id: '0190a000-0100',
          kind: 'delivery',
          run_id: run1.id,
          stop_id: run1.stops[3]!.id,
          items: [{ commodity: 'bread', quantity: 2 }],
          at: '2026-12-05T11:00:00.000Z',
        },
      ],
    });
    expect(late.json().results).toEqual([
      expect.objectContaining({ status: 'exception', code: 'run-closed' }),
    ]);
    const detail = await get(coordinator, `/api/v1/volunteers/${world.volunteers[0]}`);
    expect(detail.json().runs).toEqual([{ run_id: run1.id, date: day, minutes: 0 }]);
    await ledgerClean();
  });

  it('enrols a device with a QR, counts its ops, notices a wiped phone, and revokes it', async () => {
    const enrolled = await post(coordinator, '/api/v1/field-devices', {
      volunteer_id: world.volunteers[0],
      name: 'هاتف ١',
    });
    expect(enrolled.statusCode).toBe(201);
    const device = enrolled.json();
    expect(device.qr_svg).toContain('<svg');
    expect(device.enrolment_url).toContain('/field/#enrol=awn_');
    expect(
      (
        await post(coordinator, '/api/v1/field-devices', {
          volunteer_id: world.volunteers[1],
          name: 'x',
        })
      ).json().code,
    ).toBe('volunteer-has-no-user');
    const bearer = { headers: { authorization: `Bearer ${device.token}` } };
    const runs = await get(bearer, '/api/v1/field/runs');
    expect(runs.statusCode).toBe(200);
    expect(runs.json().runs.map((run: { id: string }) => run.id)).toEqual([run2Id]);
    expect(runs.json().closed_run_ids).toContain(run1.id);
    expect(runs.json().commodities).toEqual([
      expect.objectContaining({ code: 'bread', name_ar: 'خبز', base_unit: 'bundle' }),
      expect.objectContaining({ code: 'sugar', name_ar: 'سكر', base_unit: 'g' }),
    ]);
    expect(runs.json().runs[0].stops[1]).toMatchObject({
      head_name: 'محمد أحمد الحسن',
      items: [
        { commodity: 'bread', quantity: 2 },
        { commodity: 'sugar', quantity: 2000 },
      ],
    });
    const stop = runs.json().runs[0].stops[1];
    const ops = [
      {
        id: '0190b000-0001',
        kind: 'visit-failed',
        run_id: run2Id,
        stop_id: stop.id,
        reason: 'moved',
        at: '2026-12-05T12:00:00.000Z',
      },
      {
        id: '0190b000-0002',
        kind: 'delivery',
        run_id: run2Id,
        stop_id: stop.id,
        items: [{ commodity: 'sugar', quantity: 2000 }],
        at: '2026-12-05T12:30:00.000Z',
      },
    ];
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { ...bearer.headers, 'awn-device-ops': '2' },
      payload: { ops },
    });
    expect(sent.json().results.map((result: { status: string }) => result.status)).toEqual([
      'applied',
      'applied',
    ]);
    expect(sent.headers['awn-device-wiped']).toBeUndefined();
    const wiped = await app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { ...bearer.headers, 'awn-device-ops': '1' },
      payload: { ops: [{ ...ops[0], id: '0190b000-0003' }] },
    });
    expect(wiped.headers['awn-device-wiped']).toBe('1');
    // A second delivery of the delivered stop is an exception: the phone keeps listing it
    // while the download names it open, and forgets it once the office resolved it.
    const twice = await app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { ...bearer.headers, 'awn-device-ops': '4' },
      payload: { ops: [{ ...ops[1], id: '0190b000-0004' }] },
    });
    expect(twice.json().results[0]).toMatchObject({
      status: 'exception',
      code: 'already-delivered',
    });
    expect((await get(bearer, '/api/v1/field/runs')).json().open_exception_op_ids).toContain(
      '0190b000-0004',
    );
    const queued = (
      await get(coordinator, `/api/v1/field-exceptions?run_id=${run2Id}&status=open`)
    ).json().items;
    expect(queued.map((item: { op_id: string }) => item.op_id)).toEqual(['0190b000-0004']);
    expect(
      (
        await post(coordinator, `/api/v1/field-exceptions/${queued[0].id}/reject`, {
          reason: 'مكرر',
        })
      ).statusCode,
    ).toBe(200);
    expect((await get(bearer, '/api/v1/field/runs')).json().open_exception_op_ids).not.toContain(
      '0190b000-0004',
    );
    const devices = (await get(coordinator, '/api/v1/field-devices')).json().items;
    expect(devices[0]).toMatchObject({
      id: device.id,
      ops_received: 4,
      wiped_at: expect.any(String),
    });
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/field-devices/${device.id}`,
          headers: coordinator.headers,
        })
      ).statusCode,
    ).toBe(204);
    expect((await post(bearer, '/api/v1/sync', { ops: [] })).statusCode).toBe(401);
    expect((await post(coordinator, `/api/v1/runs/${run2Id}/close`)).json()).toMatchObject({
      delivered: 0,
      partial: 1,
      voided: 0,
    });
    await ledgerClean();
  });
});
