import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import { seedTestAreas } from '../cycles/cycles.fixtures.js';
import { insertTestOrgUnit } from '../runs/runs.fixtures.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');

describeEachDialect('trainings, volunteers and teams over HTTP', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let leader: SignedIn;
  let orgUnitId = '';
  const post = (who: SignedIn, url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers: who.headers, payload });
  const get = (who: SignedIn, url: string) =>
    app.inject({ method: 'GET', url, headers: who.headers });

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    await seedTestAreas(storage().db);
    orgUnitId = await insertTestOrgUnit(storage());
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    leader = await loginAs(app, storage(), 'team_leader', ['SY0600']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps a training catalogue: 201, 409 for a taken code, 400 naming the field', async () => {
    const created = await post(coordinator, '/api/v1/trainings', {
      code: 'ipc_ppe',
      name_ar: 'الوقاية من العدوى',
      name_en: 'IPC and PPE',
      valid_days: '١٨٠',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'ipc_ppe', valid_days: 180 });
    expect(
      (
        await post(coordinator, '/api/v1/trainings', {
          code: 'first_aid',
          name_ar: 'إسعاف',
          name_en: 'First aid',
          valid_days: 30,
        })
      ).statusCode,
    ).toBe(201);
    const again = await post(coordinator, '/api/v1/trainings', {
      code: 'ipc_ppe',
      name_ar: 'x',
      name_en: 'x',
      valid_days: 1,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('training-exists');
    const bad = await post(coordinator, '/api/v1/trainings', {
      code: 'x',
      name_ar: 'x',
      name_en: 'x',
      valid_days: 'soon',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/valid_days');
    expect(
      (
        await post(leader, '/api/v1/trainings', {
          code: 'y',
          name_ar: 'y',
          name_en: 'y',
          valid_days: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await get(leader, '/api/v1/trainings')).json().items.map((t: { code: string }) => t.code),
    ).toEqual(['first_aid', 'ipc_ppe']);
  });

  let volunteerId = '';
  let otherId = '';
  it('registers volunteers, records trainings and permits, and shows what each misses', async () => {
    const created = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'سامر',
      family_name: 'الخطيب',
      phone: '٠٩٣٣ ١٢٣ ٤٥٦',
      org_unit_id: orgUnitId,
      area_pcode: 'SY060000',
      skills: ['driver'],
      availability: [{ day: 0, from: '08:00', to: '14:00' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      phone: '+963933123456',
      status: 'active',
      missing_trainings: ['ipc_ppe'],
      has_valid_permit: false,
      skills: ['driver'],
    });
    volunteerId = created.json().id;
    const bad = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'x',
      family_name: 'y',
      phone: '12',
      org_unit_id: 'nope',
      area_pcode: 'SY060000',
      skills: ['juggling'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/phone',
      '/org_unit_id',
      '/skills/0',
    ]);
    const linked = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'ليلى',
      family_name: 'حسن',
      phone: '0944111222',
      org_unit_id: orgUnitId,
      area_pcode: 'SY060001',
      user_id: leader.user.id,
    });
    expect(linked.statusCode).toBe(201);
    otherId = linked.json().id;
    const twice = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'x',
      family_name: 'y',
      phone: '0944111223',
      org_unit_id: orgUnitId,
      area_pcode: 'SY060001',
      user_id: leader.user.id,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('user-not-linkable');

    const training = await post(coordinator, `/api/v1/volunteers/${volunteerId}/trainings`, {
      training_code: 'ipc_ppe',
      completed_on: '٢٠٢٦-٠٦-١٠',
    });
    expect(training.statusCode).toBe(201);
    expect(training.json()).toMatchObject({ completed_on: '2026-06-10', expires_on: '2026-12-06' });
    expect(
      (
        await post(coordinator, `/api/v1/volunteers/${volunteerId}/trainings`, {
          training_code: 'nope',
          completed_on: '2026-02-30',
        })
      )
        .json()
        .errors.map((issue: { path: string }) => issue.path),
    ).toEqual(['/training_code', '/completed_on']);
    const permit = await post(coordinator, `/api/v1/volunteers/${volunteerId}/permits`, {
      number: 'LAT-1',
      valid_from: '2026-12-01',
      valid_to: '2026-12-31',
      area_pcodes: ['SY0600'],
    });
    expect(permit.statusCode).toBe(201);
    expect(permit.json()).toMatchObject({ area_pcodes: ['SY0600'] });
    const reversed = await post(coordinator, `/api/v1/volunteers/${volunteerId}/permits`, {
      number: 'LAT-2',
      valid_from: '2026-12-31',
      valid_to: '2026-12-01',
      area_pcodes: ['NOPE'],
    });
    expect(reversed.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/valid_to',
      '/area_pcodes/0',
    ]);

    const list = await get(coordinator, '/api/v1/volunteers');
    const byId = new Map(list.json().items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get(volunteerId)).toMatchObject({ missing_trainings: [], has_valid_permit: true });
    expect(byId.get(otherId)).toMatchObject({
      missing_trainings: ['ipc_ppe'],
      has_valid_permit: false,
    });
    const withoutPermit = await get(coordinator, '/api/v1/volunteers?without_permit=true');
    expect(withoutPermit.json().items.map((item: { id: string }) => item.id)).toEqual([otherId]);
    // A team leader sees no phones.
    const seen = await get(leader, '/api/v1/volunteers');
    expect(seen.body).not.toContain('+963');
    const expiring = await get(coordinator, '/api/v1/volunteers/expiring-trainings');
    expect(expiring.json().items).toEqual([
      expect.objectContaining({
        volunteer_id: volunteerId,
        training_code: 'ipc_ppe',
        expires_on: '2026-12-06',
      }),
    ]);
    const detail = await get(coordinator, `/api/v1/volunteers/${volunteerId}`);
    expect(detail.json()).toMatchObject({
      trainings: [{ training_code: 'ipc_ppe' }],
      permits: [{ number: 'LAT-1' }],
      runs: [],
      total_minutes: 0,
    });
    const elsewhere = await loginAs(app, storage(), 'team_leader', ['SY0601']);
    expect((await get(elsewhere, `/api/v1/volunteers/${volunteerId}`)).statusCode).toBe(404);
    expect(
      (await get(coordinator, '/api/v1/volunteers/skills')).json().items.length,
    ).toBeGreaterThan(3);
  });

  it('creates teams with members, areas, capacity and required trainings (default from configuration)', async () => {
    const created = await post(coordinator, '/api/v1/teams', {
      name: 'فريق ١',
      org_unit_id: orgUnitId,
      leader_id: volunteerId,
      member_ids: [otherId],
      area_pcodes: ['SY0600'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      leader_id: volunteerId,
      member_ids: [volunteerId, otherId].sort(),
      area_pcodes: ['SY0600'],
      required_trainings: ['ipc_ppe'],
      max_stops: 30,
      capacity: {},
    });
    const bad = await post(coordinator, '/api/v1/teams', {
      name: 'x',
      org_unit_id: orgUnitId,
      leader_id: 'nobody',
      member_ids: ['ghost'],
      area_pcodes: ['SY0600'],
      required_trainings: ['juggling'],
      capacity: { caviar: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/leader_id',
      '/member_ids/0',
      '/required_trainings/0',
      '/capacity/caviar',
    ]);
    expect((await get(leader, '/api/v1/teams')).json().items).toHaveLength(1);
    expect((await get(leader, `/api/v1/teams/${created.json().id}`)).statusCode).toBe(200);
    expect((await post(leader, '/api/v1/teams', {})).statusCode).toBe(403);
  });

  it('edits a team: members, leader, areas and capacity replaced; audited; 404 out of scope', async () => {
    const team = (await get(coordinator, '/api/v1/teams')).json().items[0];
    const put = (who: SignedIn, payload: object) =>
      app.inject({ method: 'PUT', url: `/api/v1/teams/${team.id}`, headers: who.headers, payload });
    const edited = await put(coordinator, {
      name: 'فريق الصليبة',
      org_unit_id: orgUnitId,
      leader_id: otherId,
      member_ids: [],
      area_pcodes: ['SY060001'],
      max_stops: 12,
      required_trainings: ['first_aid'],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      id: team.id,
      name: 'فريق الصليبة',
      leader_id: otherId,
      member_ids: [otherId],
      area_pcodes: ['SY060001'],
      max_stops: 12,
      required_trainings: ['first_aid'],
    });
    const bad = await put(coordinator, {
      name: 'x',
      org_unit_id: orgUnitId,
      leader_id: 'ghost',
      member_ids: [],
      area_pcodes: ['SY060001'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/leader_id');
    expect((await get(coordinator, `/api/v1/teams/${team.id}`)).json().name).toBe('فريق الصليبة');
    expect((await put(leader, { name: 'x' })).statusCode).toBe(403);
    const elsewhere = await loginAs(app, storage(), 'coordinator', ['SY0601']);
    const outside = await put(elsewhere, {
      name: 'x',
      org_unit_id: orgUnitId,
      leader_id: otherId,
      member_ids: [],
      area_pcodes: ['SY060001'],
    });
    expect(outside.statusCode).toBe(404);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', team.id)
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['team.create', 'team.update']);
  });

  it('changes a volunteer status with its day (audited) and records PPE in the history', async () => {
    const status = (payload: object, who: SignedIn = coordinator) =>
      post(who, `/api/v1/volunteers/${volunteerId}/status`, payload);
    const paused = await status({ status: 'paused', on: '٢٠٢٦-١٢-٠٤' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', status_on: '2026-12-04' });
    const future = await status({ status: 'left', on: '2026-12-09' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('/on');
    expect((await status({ status: 'retired' })).statusCode).toBe(400);
    expect((await status({ status: 'left' }, leader)).statusCode).toBe(403);
    expect((await status({ status: 'active' })).json()).toMatchObject({
      status: 'active',
      status_on: '2026-12-05',
    });
    const paused2 = await get(coordinator, '/api/v1/volunteers?status=active');
    expect(paused2.json().items.map((item: { id: string }) => item.id)).toContain(volunteerId);

    const ppe = await post(coordinator, `/api/v1/volunteers/${volunteerId}/ppe`, {
      item: 'mask',
      quantity: '٢٠',
      issued_on: '2026-12-05',
      note: 'كمامات معقمة',
    });
    expect(ppe.statusCode).toBe(201);
    expect(ppe.json()).toMatchObject({ item: 'mask', quantity: 20, issued_on: '2026-12-05' });
    const badPpe = await post(coordinator, `/api/v1/volunteers/${volunteerId}/ppe`, {
      item: 'gloves',
      quantity: '0',
      issued_on: 'yesterday',
    });
    expect(badPpe.statusCode).toBe(400);
    expect(badPpe.json().errors.map((issue: { path: string }) => issue.path)).toEqual([
      '/quantity',
      '/issued_on',
    ]);
    const detail = (await get(coordinator, `/api/v1/volunteers/${volunteerId}`)).json();
    expect(detail.ppe).toEqual([expect.objectContaining({ item: 'mask', quantity: 20 })]);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', volunteerId)
      .where('action', 'in', ['volunteer.status', 'volunteer.ppe.issue'])
      .execute();
    expect(audit.map((row) => row.action).sort()).toEqual([
      'volunteer.ppe.issue',
      'volunteer.status',
      'volunteer.status',
    ]);
  });
});
