import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor } from '../../domain/actor.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { createTeam } from '../teams/teams.service.js';
import { createVolunteer } from '../volunteers/volunteers.service.js';
import { seedDemo } from './demo.seed.js';
import { seedDemoStores } from './demo.stores.js';
import { seedDemoUsers } from './demo.users.js';

const clock = () => new Date('2026-03-10T08:00:00.000Z');

describeEachDialect('demo stores', (storage) => {
  it('seeds a warehouse, donations with receipts, lots in every status and allocations in every state', async () => {
    const seed = await seedDemo(storage(), clock);
    if (!seed) throw new Error('the demo was not seeded');
    await seedDemoUsers(storage(), seed.branchId, clock);
    const db = storage().db;
    const users = await db.selectFrom('users').select(['id', 'username']).execute();
    const idOf = (name: string) => users.find((user) => user.username === name)?.id;
    const volunteerIds: string[] = [];
    for (const [index, name] of ['سامر', 'ريم', 'علي'].entries()) {
      const volunteer = await createVolunteer(
        storage(),
        systemActor,
        {
          given_name: name,
          family_name: 'الخطيب',
          phone: `094412345${index}`,
          org_unit_id: seed.unitIds[0]!,
          area_pcode: 'SY0600',
        },
        clock,
      );
      volunteerIds.push(volunteer.id);
    }
    const team = await createTeam(
      storage(),
      systemActor,
      {
        name: 'فريق',
        org_unit_id: seed.unitIds[0]!,
        leader_id: volunteerIds[0]!,
        member_ids: volunteerIds.slice(1),
        area_pcodes: ['SY0600'],
        required_trainings: [],
      },
      clock,
    );
    const stores = await seedDemoStores(
      storage(),
      seed,
      {
        inspector: idOf('inspector'),
        storekeeper: idOf('storekeeper'),
        coordinator: idOf('coordinator'),
      },
      { id: team.id, volunteerIds },
      clock,
    );
    expect(stores.donations).toBe(4);
    for (const status of ['quarantined', 'released', 'rejected', 'expired'] as const) {
      expect(stores.lots[status], status).toBeGreaterThan(0);
    }
    const statuses = new Set(
      (await db.selectFrom('allocations').select('status').execute()).map((row) => row.status),
    );
    expect([...statuses].sort()).toEqual([
      'approved',
      'cancelled',
      'dispatched',
      'draft',
      'received',
    ]);
    const inspector = await db
      .selectFrom('users')
      .select('partner_id')
      .where('username', '=', 'inspector')
      .executeTakeFirstOrThrow();
    expect(inspector.partner_id).toBe(seed.healthDirectorateId);
    const issued = await db.selectFrom('ppe_issues').select(['team_id', 'quantity']).execute();
    expect(issued).toEqual(volunteerIds.map(() => ({ team_id: team.id, quantity: 20 })));
    expect((await verifyLedger(db)).ok).toBe(true);
  });
});
