/**
 * The story behind the stores, over HTTP on both databases: members donate 10,000 masks into
 * quarantine; an allocation before inspection is refused; the health directorate's inspector
 * passes and sterilises them; 9,000 go to the directorate and 1,000 to the branch's team; the
 * warehouse then holds none and the ledger verifies. Then the edges: a part pass splits
 * exactly, a fail rejects, an expired lot cannot move, a part receipt records the loss, a
 * cancelled approval releases its hold, and racing approvals never over-take a lot.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor } from '../../domain/actor.js';
import { lotAccountId } from '../../domain/stores/accounts.js';
import type { AwnApp } from '../../server/types.js';
import { seedTestAreas } from '../cycles/cycles.fixtures.js';
import { submitTransfers, verifyLedger } from '../ledger/ledger.service.js';
import { insertTestOrgUnit } from '../runs/runs.fixtures.js';

const clock = () => new Date('2026-12-08T09:00:00.000Z');

interface Lot {
  id: string;
  number: string;
  commodity: string;
  quantity: number;
  status: string;
}

describeEachDialect('warehouses, donations, inspection and allocation (the story)', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let storekeeper: SignedIn;
  let inspector: SignedIn;
  let otherInspector: SignedIn;
  let directorateId = '';
  let warehouseId = '';
  let donorId = '';
  let teamId = '';
  let orgUnitId = '';
  let volunteerIds: string[] = [];

  const send = (
    who: SignedIn,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const post = (who: SignedIn, url: string, payload: object = {}) =>
    send(who, 'POST', url, payload);
  const get = (who: SignedIn, url: string) => send(who, 'GET', url);

  async function inspectorOf(partnerId: string): Promise<SignedIn> {
    const username = `insp-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const admin = await loginAs(app, storage(), 'admin');
    const created = await post(admin, '/api/v1/users', {
      username,
      display_name: 'مفتش',
      role: 'inspector',
      password,
      scope: ['SY06'],
      partner_id: partnerId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'inspector', partner_id: partnerId });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
    });
    const cookie = `awn_session=${login.cookies.find((c) => c.name === 'awn_session')!.value}`;
    return {
      user: created.json(),
      password,
      cookie,
      headers: { cookie, origin: 'http://localhost:80' },
    };
  }

  async function commodity(code: string, requiresInspection: boolean): Promise<void> {
    const created = await post(coordinator, '/api/v1/commodities', {
      code,
      name_ar: `مادة ${code}`,
      name_en: code,
      base_unit: 'piece',
      display_unit: 'piece',
      display_scale: 1,
    });
    expect(created.statusCode).toBe(201);
    const patched = await send(coordinator, 'PATCH', `/api/v1/commodities/${code}`, {
      requires_inspection: requiresInspection,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ code, requires_inspection: requiresInspection });
  }

  async function donate(
    lines: { commodity: string; quantity: number; lot_number?: string; expires_on?: string }[],
  ): Promise<{ id: string; receipt_number: string; lots: Lot[] }> {
    const response = await post(storekeeper, '/api/v1/donations', {
      id: randomUUID(),
      warehouse_id: warehouseId,
      donor_id: donorId,
      lines,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function allocate(
    lines: { lot_id?: string; commodity: string; quantity: number }[],
    recipient: { kind: string; id: string } = { kind: 'partner', id: directorateId },
  ) {
    return post(coordinator, '/api/v1/allocations', {
      id: randomUUID(),
      warehouse_id: warehouseId,
      recipient,
      lines,
      purpose: 'حماية العاملين الصحيين',
    });
  }

  async function warehouseStock(commodityCode: string) {
    const response = await get(
      coordinator,
      `/api/v1/stock?holder_kind=warehouse&holder_id=${warehouseId}&commodity=${commodityCode}`,
    );
    expect(response.statusCode).toBe(200);
    return response.json<{
      items: { lot_id: string; state: string; status: string; quantity: number }[];
    }>().items;
  }

  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock });
    await seedTestAreas(storage().db);
    orgUnitId = await insertTestOrgUnit(storage());
    coordinator = await loginAs(app, storage(), 'coordinator', ['SY06']);
    storekeeper = await loginAs(app, storage(), 'storekeeper', ['SY06']);
    const partner = await post(coordinator, '/api/v1/partners', {
      kind: 'health_directorate',
      name_ar: 'مديرية صحة اللاذقية',
      name_en: 'Lattakia health directorate',
      area_pcode: 'SY06',
    });
    expect(partner.statusCode).toBe(201);
    directorateId = partner.json().id;
    const bakery = await post(coordinator, '/api/v1/partners', {
      kind: 'bakery',
      name_ar: 'مخبز',
      name_en: 'Bakery',
      area_pcode: 'SY06',
    });
    inspector = await inspectorOf(directorateId);
    otherInspector = await inspectorOf(bakery.json().id);
    const warehouse = await post(coordinator, '/api/v1/warehouses', {
      name_ar: 'مستودع الفرع',
      name_en: 'Branch warehouse',
      area_pcode: 'SY06',
      org_unit_id: orgUnitId,
      inspection_partner_id: directorateId,
    });
    expect(warehouse.statusCode, warehouse.body).toBe(201);
    warehouseId = warehouse.json().id;
    const location = await post(coordinator, `/api/v1/warehouses/${warehouseId}/locations`, {
      room: 'A',
      shelf: '1',
    });
    expect(location.statusCode).toBe(201);
    const donor = await post(storekeeper, '/api/v1/donors', {
      kind: 'member',
      name: 'أعضاء الفرع',
    });
    expect(donor.statusCode).toBe(201);
    donorId = donor.json().id;
    await commodity('mask', true);
    await commodity('gown', true);
    await commodity('glove', false);

    const volunteer = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'سامر',
      family_name: 'الخطيب',
      phone: '0933123456',
      org_unit_id: orgUnitId,
      area_pcode: 'SY0600',
    });
    expect(volunteer.statusCode, volunteer.body).toBe(201);
    const member = await post(coordinator, '/api/v1/volunteers', {
      given_name: 'ريم',
      family_name: 'حسن',
      phone: '0944123456',
      org_unit_id: orgUnitId,
      area_pcode: 'SY0600',
    });
    expect(member.statusCode, member.body).toBe(201);
    volunteerIds = [volunteer.json().id, member.json().id];
    const team = await post(coordinator, '/api/v1/teams', {
      name: 'فريق الصليبة',
      org_unit_id: orgUnitId,
      leader_id: volunteer.json().id,
      member_ids: [member.json().id],
      area_pcodes: ['SY0600'],
      required_trainings: [],
    });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('10,000 masks: quarantined, refused before inspection, passed, 9,000 + 1,000 out, none left, ledger clean', async () => {
    const body = {
      id: randomUUID(),
      warehouse_id: warehouseId,
      donor_id: donorId,
      lines: [{ commodity: 'mask', quantity: 10_000, expires_on: '2028-12-31' }],
    };
    const donation = await post(storekeeper, '/api/v1/donations', body);
    expect(donation.statusCode, donation.body).toBe(201);
    const received = donation.json<{ receipt_number: string; lots: Lot[] }>();
    expect(received.receipt_number).toMatch(/^2026-\d{6}$/);
    expect(received.lots).toEqual([
      expect.objectContaining({ commodity: 'mask', quantity: 10_000, status: 'quarantined' }),
    ]);
    const lot = received.lots[0]!;
    // Same id and body: the first answer; another body: a conflict.
    const again = await post(storekeeper, '/api/v1/donations', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(donation.json());
    const other = await post(storekeeper, '/api/v1/donations', {
      ...body,
      lines: [{ commodity: 'mask', quantity: 9_999 }],
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('id-conflict');

    // The ledger itself refuses to move a quarantined unit.
    const [direct] = await submitTransfers(
      storage(),
      [
        {
          id: randomUUID(),
          debit_account_id: lotAccountId(lot.id, 'warehouse', warehouseId, 'quarantined'),
          credit_account_id: lotAccountId(lot.id, 'warehouse', warehouseId, 'available'),
          amount: 1,
          code: 'sneaking_out',
        },
      ],
      { actor: systemActor, clock },
    );
    expect(direct!.result).toBe('exceeds_credits');

    // Before inspection: refused, by lot and by commodity.
    const early = await allocate([{ lot_id: lot.id, commodity: 'mask', quantity: 9_000 }]);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('lot-not-released');
    const byCommodity = await allocate([{ commodity: 'mask', quantity: 9_000 }]);
    expect(byCommodity.json().code).toBe('insufficient-stock');

    // Nobody but the lot's partner's inspector may release it.
    const inspection = {
      id: randomUUID(),
      result: 'pass',
      sample_size: 50,
      sterilisation: { method: 'UV', date: '2026-12-08', by: 'مخبر المديرية' },
      certificate_ref: 'HD-2026-117',
    };
    for (const who of [coordinator, storekeeper, otherInspector]) {
      const refused = await post(who, `/api/v1/lots/${lot.id}/inspections`, inspection);
      expect(refused.statusCode).toBe(403);
    }
    const waiting = await get(inspector, '/api/v1/lots?waiting_for_me=true');
    expect(waiting.json().items.map((item: Lot) => item.id)).toContain(lot.id);
    const notMine = await get(otherInspector, '/api/v1/lots?waiting_for_me=true');
    expect(notMine.json().items).toEqual([]);
    const passed = await post(inspector, `/api/v1/lots/${lot.id}/inspections`, inspection);
    expect(passed.statusCode, passed.body).toBe(201);
    expect(passed.json().lot).toMatchObject({
      status: 'released',
      in_warehouse: { quarantined: 0, available: 10_000 },
    });
    expect(passed.json().inspection).toMatchObject({
      sterilisation_method: 'UV',
      certificate_ref: 'HD-2026-117',
    });
    const replay = await post(inspector, `/api/v1/lots/${lot.id}/inspections`, inspection);
    expect(replay.statusCode).toBe(200);

    // 9,000 to the directorate: draft, approve (hold), dispatch (in transit), receive.
    const toDirectorate = await allocate([{ lot_id: lot.id, commodity: 'mask', quantity: 9_000 }]);
    expect(toDirectorate.statusCode, toDirectorate.body).toBe(201);
    expect(toDirectorate.json().status).toBe('draft');
    const allocationId = toDirectorate.json().id;
    expect(
      (await post(storekeeper, `/api/v1/allocations/${allocationId}/approve`)).statusCode,
    ).toBe(403);
    const approved = await post(coordinator, `/api/v1/allocations/${allocationId}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await warehouseStock('mask')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          lot_id: lot.id,
          state: 'available',
          quantity: 1_000,
          status: 'released',
        }),
        expect.objectContaining({ lot_id: lot.id, state: 'allocated', quantity: 9_000 }),
      ]),
    );
    // What is allocated is never available again.
    const tooMuch = await allocate([{ lot_id: lot.id, commodity: 'mask', quantity: 1_001 }]);
    expect(tooMuch.json().code).toBe('insufficient-stock');
    const dispatched = await post(storekeeper, `/api/v1/allocations/${allocationId}/dispatch`);
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect(await warehouseStock('mask')).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'in_transit', quantity: 9_000 })]),
    );
    const waybill = await get(storekeeper, `/api/v1/allocations/${allocationId}/waybill`);
    expect(waybill.statusCode).toBe(200);
    expect(waybill.headers['content-type']).toMatch(/text\/html/);
    expect(waybill.body).toContain('بوليصة شحن');
    const receivedAll = await post(coordinator, `/api/v1/allocations/${allocationId}/receive`, {});
    expect(receivedAll.statusCode, receivedAll.body).toBe(200);
    expect(receivedAll.json()).toMatchObject({
      status: 'received',
      lines: [{ quantity: 9_000, received_quantity: 9_000, lost_in_transit: 0 }],
    });

    // 1,000 to the branch's team, first expiry first out.
    const toTeam = await allocate([{ commodity: 'mask', quantity: 1_000 }], {
      kind: 'team',
      id: teamId,
    });
    expect(toTeam.statusCode, toTeam.body).toBe(201);
    expect(toTeam.json().lines).toEqual([
      expect.objectContaining({ lot_id: lot.id, quantity: 1_000 }),
    ]);
    for (const step of ['approve', 'dispatch', 'receive']) {
      const response = await post(coordinator, `/api/v1/allocations/${toTeam.json().id}/${step}`);
      expect(response.statusCode, `${step}: ${response.body}`).toBe(200);
    }

    // The team issues its masks to its volunteers: transfers, on each volunteer's history.
    const issueBody = {
      id: randomUUID(),
      volunteer_id: volunteerIds[0],
      commodity: 'mask',
      quantity: 600,
      issued_on: '2026-12-08',
    };
    const issued = await post(coordinator, `/api/v1/teams/${teamId}/ppe-issues`, issueBody);
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({ team_id: teamId, lot_id: lot.id, quantity: 600 });
    expect(
      (await post(coordinator, `/api/v1/teams/${teamId}/ppe-issues`, issueBody)).statusCode,
    ).toBe(200);
    const tooMuch2 = await post(coordinator, `/api/v1/teams/${teamId}/ppe-issues`, {
      ...issueBody,
      id: randomUUID(),
      volunteer_id: volunteerIds[1],
      quantity: 401,
    });
    expect(tooMuch2.json().code).toBe('insufficient-stock');
    const rest = await post(coordinator, `/api/v1/teams/${teamId}/ppe-issues`, {
      ...issueBody,
      id: randomUUID(),
      volunteer_id: volunteerIds[1],
      quantity: 400,
    });
    expect(rest.statusCode, rest.body).toBe(201);
    const history = await get(coordinator, `/api/v1/volunteers/${volunteerIds[1]}`);
    expect(history.json().ppe).toEqual([
      expect.objectContaining({ item: 'mask', quantity: 400, team_id: teamId }),
    ]);
    const volunteerStock = await get(coordinator, `/api/v1/stock?holder_kind=volunteer`);
    expect(
      volunteerStock
        .json()
        .items.map((item: { quantity: number }) => item.quantity)
        .sort(),
    ).toEqual([400, 600]);

    expect(await warehouseStock('mask')).toEqual([]);
    const partnerStock = await get(
      coordinator,
      `/api/v1/stock?holder_kind=partner&holder_id=${directorateId}`,
    );
    expect(partnerStock.json().items).toEqual([
      {
        holder_kind: 'partner',
        holder_id: directorateId,
        commodity: 'mask',
        lot_id: lot.id,
        status: 'released',
        state: 'available',
        quantity: 9_000,
      },
    ]);
    const teamStock = await get(coordinator, `/api/v1/stock?holder_kind=team&holder_id=${teamId}`);
    expect(teamStock.json().items).toEqual([]);

    const receipt = await get(storekeeper, `/api/v1/donations/${donation.json().id}/receipt`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain(received.receipt_number);
    expect(receipt.body).toContain('إيصال استلام تبرع');
    const labels = await get(storekeeper, `/api/v1/lots/labels?donation_id=${donation.json().id}`);
    expect(labels.statusCode).toBe(200);
    expect(labels.body).toContain('<svg');
    expect(labels.body).toContain(lot.number);
    const statement = await get(coordinator, `/api/v1/donors/${donorId}/statement`);
    expect(statement.statusCode, statement.body).toBe(200);
    const maskLine = statement
      .json()
      .lines.find((line: { lot_id: string }) => line.lot_id === lot.id);
    expect(maskLine).toMatchObject({
      received: 10_000,
      released: 10_000,
      rejected: 0,
      available: 0,
      lost_in_transit: 0,
    });
    expect(maskLine.delivered).toEqual(
      expect.arrayContaining([
        { recipient_kind: 'partner', recipient_id: directorateId, quantity: 9_000 },
        { recipient_kind: 'team', recipient_id: teamId, quantity: 1_000 },
      ]),
    );

    const pipeline = await get(coordinator, '/api/v1/stock/pipeline?commodity=mask');
    expect(pipeline.statusCode, pipeline.body).toBe(200);
    expect(pipeline.json().items).toEqual([
      {
        commodity: 'mask',
        donated: 10_000,
        awaiting_inspection: 0,
        passed_inspection: 10_000,
        rejected: 0,
        disposed: 0,
        released: 10_000,
        allocated: 10_000,
        dispatched: 10_000,
        received_by_recipients: 10_000,
        lost_in_transit: 0,
        issued_to_volunteers: 1_000,
        handed_to_households: 0,
      },
    ]);
    const level = await send(coordinator, 'PUT', '/api/v1/stock/reorder-levels', {
      holder_kind: 'partner',
      holder_id: directorateId,
      commodity: 'mask',
      level: 10_000,
    });
    expect(level.statusCode, level.body).toBe(200);
    const alerts = await get(coordinator, '/api/v1/stock/alerts');
    expect(alerts.json().below_reorder).toEqual([
      {
        holder_kind: 'partner',
        holder_id: directorateId,
        commodity: 'mask',
        level: 10_000,
        available: 9_000,
      },
    ]);

    const report = await verifyLedger(storage().db);
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a part pass splits the lot exactly; a fail rejects the whole lot', async () => {
    const { lots } = await donate([
      { commodity: 'gown', quantity: 500, lot_number: 'GW-1' },
      { commodity: 'gown', quantity: 80, lot_number: 'GW-2' },
    ]);
    const [partial, failed] = lots as [Lot, Lot];
    const tooMany = await post(inspector, `/api/v1/lots/${partial.id}/inspections`, {
      id: randomUUID(),
      result: 'partial',
      passed_quantity: 500,
    });
    expect(tooMany.statusCode).toBe(400);
    const split = await post(inspector, `/api/v1/lots/${partial.id}/inspections`, {
      id: randomUUID(),
      result: 'partial',
      passed_quantity: 350,
    });
    expect(split.statusCode, split.body).toBe(201);
    expect(split.json().lot).toMatchObject({
      status: 'released',
      quantity: 350,
      in_warehouse: { quarantined: 0, available: 350, rejected: 0 },
    });
    expect(split.json().rejected_lot).toMatchObject({
      status: 'rejected',
      quantity: 150,
      number: 'GW-1-R',
      parent_lot_id: partial.id,
      in_warehouse: { quarantined: 0, available: 0, rejected: 150 },
    });
    const fail = await post(inspector, `/api/v1/lots/${failed.id}/inspections`, {
      id: randomUUID(),
      result: 'fail',
      notes: 'تمزق في التغليف',
    });
    expect(fail.statusCode, fail.body).toBe(201);
    expect(fail.json().lot).toMatchObject({ status: 'rejected', in_warehouse: { rejected: 80 } });
    const again = await post(inspector, `/api/v1/lots/${failed.id}/inspections`, {
      id: randomUUID(),
      result: 'pass',
    });
    expect(again.json().code).toBe('lot-not-quarantined');
    const refused = await allocate([{ lot_id: failed.id, commodity: 'gown', quantity: 1 }]);
    expect(refused.json().code).toBe('lot-not-released');
    // Disposal of the rejected gowns is recorded later, from the rejected account.
    const disposal = {
      id: randomUUID(),
      quantity: 30,
      method: 'حرق في محرقة المشفى',
    };
    const disposed = await post(storekeeper, `/api/v1/lots/${failed.id}/disposals`, disposal);
    expect(disposed.statusCode, disposed.body).toBe(201);
    expect(disposed.json().lot.in_warehouse.rejected).toBe(50);
    expect(
      (await post(storekeeper, `/api/v1/lots/${failed.id}/disposals`, disposal)).statusCode,
    ).toBe(200);
    const tooMuch = await post(storekeeper, `/api/v1/lots/${failed.id}/disposals`, {
      id: randomUUID(),
      quantity: 51,
      method: 'x',
    });
    expect(tooMuch.json().code).toBe('nothing-to-dispose');
    const rest = await post(storekeeper, `/api/v1/lots/${failed.id}/disposals`, {
      id: randomUUID(),
      method: 'حرق',
    });
    expect(rest.json()).toMatchObject({ quantity: 50, lot: { in_warehouse: { rejected: 0 } } });
    const stock = await warehouseStock('gown');
    expect(stock.reduce((sum, item) => sum + item.quantity, 0)).toBe(500);
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });

  it('an expired lot cannot be allocated; a commodity without inspection is released at once', async () => {
    const { lots } = await donate([
      { commodity: 'glove', quantity: 100, expires_on: '2026-12-01' },
      { commodity: 'glove', quantity: 200, expires_on: '2027-06-30' },
    ]);
    const [expired, fresh] = lots as [Lot, Lot];
    expect(expired.status).toBe('released');
    const detail = await get(storekeeper, `/api/v1/lots/${expired.id}`);
    expect(detail.json().lot.status).toBe('expired');
    const refused = await allocate([{ lot_id: expired.id, commodity: 'glove', quantity: 10 }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('lot-not-released');
    // By commodity, only the lot within its expiry is offered.
    const byCommodity = await allocate([{ commodity: 'glove', quantity: 250 }]);
    expect(byCommodity.json().code).toBe('insufficient-stock');
    // A miscounted line is corrected by a reversing transfer with a reason, never edited.
    const correction = { id: randomUUID(), quantity: -20, reason: 'عُدّت علبتان مرتين' };
    const corrected = await post(storekeeper, `/api/v1/lots/${fresh.id}/corrections`, correction);
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.json().lot).toMatchObject({ quantity: 180, in_warehouse: { available: 180 } });
    expect(
      (await post(storekeeper, `/api/v1/lots/${fresh.id}/corrections`, correction)).statusCode,
    ).toBe(200);
    const back = await post(storekeeper, `/api/v1/lots/${fresh.id}/corrections`, {
      id: randomUUID(),
      quantity: 20,
      reason: 'وُجدت العلبتان',
    });
    expect(back.json().lot).toMatchObject({ quantity: 200, in_warehouse: { available: 200 } });
    const onExpired = await post(storekeeper, `/api/v1/lots/${expired.id}/corrections`, {
      id: randomUUID(),
      quantity: -1,
      reason: 'x',
    });
    expect(onExpired.json().code).toBe('lot-not-released');
    const alerts = await get(storekeeper, '/api/v1/stock/alerts?within_days=30');
    expect(alerts.json().expiring).toEqual([
      expect.objectContaining({ lot_id: expired.id, status: 'expired', quantity: 100 }),
    ]);
    const ok = await allocate([{ commodity: 'glove', quantity: 200 }]);
    expect(ok.json().lines).toEqual([expect.objectContaining({ lot_id: fresh.id, quantity: 200 })]);
  });

  it('a part receipt records the shortfall as lost in transit; a cancelled approval releases its hold', async () => {
    const { lots } = await donate([{ commodity: 'glove', quantity: 300 }]);
    const lot = lots[0]!;
    const first = await allocate([{ lot_id: lot.id, commodity: 'glove', quantity: 100 }], {
      kind: 'org_unit',
      id: orgUnitId,
    });
    const id = first.json().id;
    await post(coordinator, `/api/v1/allocations/${id}/approve`);
    expect((await post(coordinator, `/api/v1/allocations/${id}/receive`, {})).statusCode).toBe(409);
    await post(storekeeper, `/api/v1/allocations/${id}/dispatch`);
    const tooMany = await post(storekeeper, `/api/v1/allocations/${id}/receive`, {
      lines: [{ commodity: 'glove', quantity: 101 }],
    });
    expect(tooMany.statusCode).toBe(400);
    const part = await post(storekeeper, `/api/v1/allocations/${id}/receive`, {
      lines: [{ commodity: 'glove', lot_id: lot.id, quantity: 90 }],
    });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json().lines).toEqual([
      expect.objectContaining({ received_quantity: 90, lost_in_transit: 10 }),
    ]);
    const cancelAfterDispatch = await post(coordinator, `/api/v1/allocations/${id}/cancel`);
    expect(cancelAfterDispatch.statusCode).toBe(409);

    const second = await allocate([{ lot_id: lot.id, commodity: 'glove', quantity: 200 }]);
    await post(coordinator, `/api/v1/allocations/${second.json().id}/approve`);
    expect(
      (await get(storekeeper, `/api/v1/lots/${lot.id}`)).json().lot.in_warehouse,
    ).toMatchObject({
      available: 0,
      allocated: 200,
    });
    const cancelled = await post(coordinator, `/api/v1/allocations/${second.json().id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    expect(
      (await get(storekeeper, `/api/v1/lots/${lot.id}`)).json().lot.in_warehouse,
    ).toMatchObject({
      available: 200,
      allocated: 0,
    });
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });

  it('racing approvals never take more than a lot holds', async () => {
    const { lots } = await donate([{ commodity: 'glove', quantity: 1_000 }]);
    const lot = lots[0]!;
    const drafts = [];
    for (let index = 0; index < 5; index++) {
      const draft = await allocate([{ lot_id: lot.id, commodity: 'glove', quantity: 300 }]);
      expect(draft.statusCode).toBe(201);
      drafts.push(draft.json().id as string);
    }
    const answers = await Promise.all(
      drafts.map((id) => post(coordinator, `/api/v1/allocations/${id}/approve`)),
    );
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes).toEqual([200, 200, 200, 409, 409]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.json().code).toBe('insufficient-stock');
    }
    expect(
      (await get(storekeeper, `/api/v1/lots/${lot.id}`)).json().lot.in_warehouse,
    ).toMatchObject({
      available: 100,
      allocated: 900,
    });
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });

  it('a count moves nothing until a second person approves; then the books match the shelf', async () => {
    const { lots } = await donate([
      { commodity: 'glove', quantity: 120 },
      { commodity: 'glove', quantity: 50 },
    ]);
    const [short, surplus] = lots as [Lot, Lot];
    const body = {
      id: randomUUID(),
      lines: [
        { lot_id: short.id, quantity: 115 },
        { lot_id: surplus.id, quantity: 52 },
      ],
    };
    const counted = await post(storekeeper, `/api/v1/warehouses/${warehouseId}/counts`, body);
    expect(counted.statusCode, counted.body).toBe(201);
    expect(counted.json()).toMatchObject({
      status: 'submitted',
      lines: expect.arrayContaining([
        expect.objectContaining({ lot_id: short.id, books: 120, counted: 115, difference: -5 }),
        expect.objectContaining({ lot_id: surplus.id, books: 50, counted: 52, difference: 2 }),
      ]),
    });
    expect(
      (await post(storekeeper, `/api/v1/warehouses/${warehouseId}/counts`, body)).statusCode,
    ).toBe(200);
    const held = async (id: string) =>
      (await get(storekeeper, `/api/v1/lots/${id}`)).json().lot.in_warehouse.available;
    expect(await held(short.id)).toBe(120);
    const countId = counted.json().id;
    const self = await post(
      storekeeper,
      `/api/v1/warehouses/${warehouseId}/counts/${countId}/approve`,
    );
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('second-person-required');
    expect(await held(short.id)).toBe(120);
    const approved = await post(
      coordinator,
      `/api/v1/warehouses/${warehouseId}/counts/${countId}/approve`,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    const listed = await get(storekeeper, `/api/v1/warehouses/${warehouseId}/counts`);
    expect(listed.json().items[0]).toMatchObject({ id: countId, status: 'approved' });
    expect(await held(short.id)).toBe(115);
    expect(await held(surplus.id)).toBe(52);
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });

  it('a service point receives into its counter stock; another warehouse holds the lot as its own', async () => {
    const { lots } = await donate([{ commodity: 'glove', quantity: 500 }]);
    const lot = lots[0]!;
    const point = await post(coordinator, '/api/v1/service-points', {
      name_ar: 'مستوصف الصليبة',
      name_en: 'Sleibeh clinic',
      area_pcode: 'SY060000',
    });
    expect(point.statusCode, point.body).toBe(201);
    const other = await post(coordinator, '/api/v1/warehouses', {
      name_ar: 'مستودع جبلة',
      name_en: 'Jableh warehouse',
      area_pcode: 'SY0600',
    });
    const moves = [
      { recipient: { kind: 'service_point', id: point.json().id }, quantity: 120 },
      { recipient: { kind: 'warehouse', id: other.json().id }, quantity: 80 },
    ];
    for (const move of moves) {
      const draft = await allocate(
        [{ lot_id: lot.id, commodity: 'glove', quantity: move.quantity }],
        move.recipient,
      );
      expect(draft.statusCode, draft.body).toBe(201);
      for (const step of ['approve', 'dispatch', 'receive']) {
        const response = await post(coordinator, `/api/v1/allocations/${draft.json().id}/${step}`);
        expect(response.statusCode, `${step}: ${response.body}`).toBe(200);
      }
    }
    const counter = await get(coordinator, `/api/v1/service-points/${point.json().id}/stock`);
    expect(counter.json().items).toEqual([
      expect.objectContaining({ commodity: 'glove', on_hand: 120, available: 120 }),
    ]);
    const held = await get(
      coordinator,
      `/api/v1/stock?holder_kind=warehouse&holder_id=${other.json().id}`,
    );
    expect(held.json().items).toEqual([
      expect.objectContaining({ lot_id: lot.id, state: 'available', quantity: 80 }),
    ]);
    const self = await allocate([{ lot_id: lot.id, commodity: 'glove', quantity: 1 }], {
      kind: 'warehouse',
      id: warehouseId,
    });
    expect(self.statusCode).toBe(400);
    expect((await verifyLedger(storage().db)).ok).toBe(true);
  });
});
