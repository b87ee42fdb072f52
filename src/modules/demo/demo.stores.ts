/**
 * The demo's stores, made through the same services the API uses: the branch's warehouse in
 * Lattakia city with its rooms, protective equipment that needs inspection (masks, gowns) and
 * gloves that do not; member, organisation and anonymous donations with receipts; lots in
 * every status (waiting for the health directorate's inspector, passed with sterilisation,
 * part passed and split, failed, expired); allocations in every state; and gloves issued from
 * the first team's stock to its volunteers. The demo inspector works for the health directorate.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { addDays, localDay } from '../../domain/runs/calendar.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone } from '../../shared/time-zone.js';
import {
  approveAllocation,
  cancelAllocation,
  createAllocation,
  dispatchAllocation,
  receiveAllocation,
} from '../allocations/allocations.service.js';
import { createCommodity, updateCommodity } from '../commodities/commodities.service.js';
import { createDonation, createDonor } from '../donations/donations.service.js';
import { recordInspection } from '../lots/lots.inspections.js';
import { issuePpeFromTeam } from '../lots/lots.ppe.js';
import { updateUser } from '../users/users.service.js';
import { addLocation, createWarehouse } from '../warehouses/warehouses.service.js';
import type { DemoSeed } from './demo.seed.js';

export interface DemoStores {
  warehouseId: string;
  donations: number;
  lots: Record<'quarantined' | 'released' | 'rejected' | 'expired', number>;
  allocations: number;
}

const equipment = [
  { code: 'mask', name_ar: 'كمامة طبية', name_en: 'Medical mask', inspect: true },
  { code: 'gown', name_ar: 'رداء عازل', name_en: 'Isolation gown', inspect: true },
  { code: 'glove', name_ar: 'قفازات طبية (زوج)', name_en: 'Medical gloves (pair)', inspect: false },
];

/**
 * Seeds the stores; `users` are the demo inspector's and storekeeper's user ids, `team` the
 * first team (its id and two of its volunteers) that receives and issues gloves.
 */
export async function seedDemoStores(
  storage: Storage,
  seed: DemoSeed,
  users: { inspector?: string; storekeeper?: string; coordinator?: string },
  team: { id: string; volunteerIds: string[] } | null,
  clock: Clock,
): Promise<DemoStores> {
  const actor = (role: Actor['role'], userId: string | undefined): Actor =>
    userId ? { kind: 'user', userId, role, scope: { kind: 'all' }, requestId: null } : systemActor;
  const storekeeper = actor('storekeeper', users.storekeeper);
  const coordinator = actor('coordinator', users.coordinator);
  const today = localDay(clock(), configuredTimeZone());

  for (const item of equipment) {
    await createCommodity(
      storage,
      systemActor,
      {
        code: item.code,
        name_ar: item.name_ar,
        name_en: item.name_en,
        base_unit: 'piece',
        display_unit: 'piece',
        display_scale: 1,
      },
      clock,
    );
    if (item.inspect) {
      await updateCommodity(storage, systemActor, item.code, { requires_inspection: true }, clock);
    }
  }
  if (users.inspector) {
    await updateUser(
      storage,
      systemActor,
      users.inspector,
      { partnerId: seed.healthDirectorateId },
      clock,
    );
  }
  const warehouse = await createWarehouse(
    storage,
    systemActor,
    {
      name_ar: 'مستودع فرع اللاذقية',
      name_en: 'Lattakia branch warehouse',
      area_pcode: 'SY060000',
      org_unit_id: seed.branchId,
      inspection_partner_id: seed.healthDirectorateId,
    },
    clock,
  );
  await addLocation(
    storage,
    systemActor,
    warehouse.id,
    { room: 'المستودع الرئيسي', shelf: 'A1' },
    clock,
  );
  await addLocation(storage, systemActor, warehouse.id, { room: 'غرفة الحجر', shelf: 'Q1' }, clock);

  const donor = async (kind: 'member' | 'organisation' | 'anonymous', name?: string) =>
    (await createDonor(storage, storekeeper, { kind, ...(name ? { name } : {}) }, clock)).id;
  const members = [await donor('member', 'أعضاء الفرع'), await donor('member', 'نقابة الصيادلة')];
  const organisation = await donor('organisation', 'جمعية البر الخيرية');
  const anonymous = await donor('anonymous');

  const donate = async (
    donorId: string,
    lines: { commodity: string; quantity: number; expires_on?: string; lot_number?: string }[],
  ) =>
    (
      await createDonation(
        storage,
        storekeeper,
        { id: randomUUID(), warehouse_id: warehouse.id, donor_id: donorId, lines },
        clock,
      )
    ).donation;
  const masks = await donate(members[0]!, [
    { commodity: 'mask', quantity: 10_000, expires_on: addDays(today, 700) },
    { commodity: 'gown', quantity: 400, expires_on: addDays(today, 500) },
  ]);
  const pharmacists = await donate(members[1]!, [
    { commodity: 'mask', quantity: 3_000, expires_on: addDays(today, 400) },
    { commodity: 'glove', quantity: 2_000, expires_on: addDays(today, 20) },
  ]);
  const charity = await donate(organisation, [
    { commodity: 'gown', quantity: 300, lot_number: 'BR-2026-07' },
    { commodity: 'mask', quantity: 1_500 },
    { commodity: 'glove', quantity: 600, expires_on: addDays(today, -10) },
  ]);
  const unnamed = await donate(anonymous, [{ commodity: 'glove', quantity: 1_200 }]);

  const inspector = actor('inspector', users.inspector);
  const inspect = async (lotId: string, result: 'pass' | 'fail' | 'partial', passed?: number) =>
    recordInspection(
      storage,
      inspector,
      lotId,
      {
        id: randomUUID(),
        result,
        ...(passed !== undefined ? { passed_quantity: passed } : {}),
        sample_size: 20,
        ...(result !== 'fail'
          ? { sterilisation: { method: 'بخار الأوزون', date: today, by: 'مخبر مديرية الصحة' } }
          : {}),
        certificate_ref: `HD-${today}-${lotId.slice(0, 4)}`,
      },
      clock,
    );
  const [masks10k, gowns400] = masks.lots;
  const [pharmacistMasks] = pharmacists.lots;
  const [charityGowns] = charity.lots;
  if (users.inspector) {
    await inspect(masks10k!.id, 'pass');
    await inspect(gowns400!.id, 'partial', 350);
    await inspect(charityGowns!.id, 'fail');
  }
  void pharmacistMasks; // left waiting for the inspector, with the charity's masks

  let allocations = 0;
  const allocate = async (
    recipient: { kind: 'partner' | 'team' | 'org_unit'; id: string },
    lines: { lot_id?: string; commodity: string; quantity: number }[],
    purpose: string,
  ) => {
    const id = randomUUID();
    await createAllocation(
      storage,
      coordinator,
      { id, warehouse_id: warehouse.id, recipient, lines, purpose },
      clock,
    );
    allocations += 1;
    return id;
  };
  if (users.inspector) {
    // The story: 9,000 masks to the health directorate, received in full.
    const toDirectorate = await allocate(
      { kind: 'partner', id: seed.healthDirectorateId },
      [{ lot_id: masks10k!.id, commodity: 'mask', quantity: 9_000 }],
      'تسليم الكمامات المعقمة لمديرية الصحة',
    );
    await approveAllocation(storage, coordinator, toDirectorate, clock);
    await dispatchAllocation(storage, storekeeper, toDirectorate, clock);
    await receiveAllocation(storage, coordinator, toDirectorate, {}, clock);
    // Gowns dispatched to the directorate, on the road.
    const onTheRoad = await allocate(
      { kind: 'partner', id: seed.healthDirectorateId },
      [{ commodity: 'gown', quantity: 200 }],
      'أرواب عازلة للمشفى الوطني',
    );
    await approveAllocation(storage, coordinator, onTheRoad, clock);
    await dispatchAllocation(storage, storekeeper, onTheRoad, clock);
    // Masks approved for a section's own staff, not yet dispatched; and a draft.
    const sectionId = Object.values(seed.sectionIds)[0]!;
    const approved = await allocate(
      { kind: 'org_unit', id: sectionId },
      [{ commodity: 'mask', quantity: 300 }],
      'كمامات لعاملي الشعبة',
    );
    await approveAllocation(storage, coordinator, approved, clock);
    await allocate(
      { kind: 'org_unit', id: seed.branchId },
      [{ commodity: 'mask', quantity: 200 }],
      'احتياطي مكتب الفرع',
    );
  }
  // Gloves: a cancelled allocation, and the first team's, received and issued to volunteers.
  const cancelled = await allocate(
    { kind: 'org_unit', id: seed.branchId },
    [{ commodity: 'glove', quantity: 100 }],
    'ألغي: تكرار الطلب',
  );
  await approveAllocation(storage, coordinator, cancelled, clock);
  await cancelAllocation(storage, coordinator, cancelled, clock);
  if (team) {
    const toTeam = await allocate(
      { kind: 'team', id: team.id },
      [{ commodity: 'glove', quantity: 400 }],
      'قفازات لفريق التوزيع الميداني',
    );
    await approveAllocation(storage, coordinator, toTeam, clock);
    await dispatchAllocation(storage, storekeeper, toTeam, clock);
    // Ten pairs went missing on the way: recorded as loss in transit.
    await receiveAllocation(
      storage,
      coordinator,
      toTeam,
      { lines: [{ commodity: 'glove', quantity: 390 }] },
      clock,
    );
    for (const volunteerId of team.volunteerIds.slice(0, 4)) {
      await issuePpeFromTeam(
        storage,
        coordinator,
        team.id,
        {
          id: randomUUID(),
          volunteer_id: volunteerId,
          commodity: 'glove',
          quantity: 20,
          issued_on: today,
        },
        clock,
      );
    }
  }
  void unnamed;
  const lots = await storage.db.selectFrom('lots').select(['status', 'expires_on']).execute();
  const counts = { quarantined: 0, released: 0, rejected: 0, expired: 0 };
  for (const lot of lots) {
    const expired =
      (lot.status === 'released' || lot.status === 'quarantined') &&
      lot.expires_on !== null &&
      lot.expires_on < today;
    counts[expired ? 'expired' : lot.status] += 1;
  }
  return { warehouseId: warehouse.id, donations: 4, lots: counts, allocations };
}
