import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { verifyAuditLog } from '../audit/audit.service.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { seedDemoCrew } from './demo.crew.js';
import { seedDemoRegistry } from './demo.registry.js';
import { seedDemo } from './demo.seed.js';
import { seedDemoUsers } from './demo.users.js';

const clock = () => new Date('2026-03-10T08:00:00.000Z');

describeEachDialect('demo crew', (storage) => {
  it('seeds 60 volunteers in 8 teams, runs in every state, a blocked team and exceptions', async () => {
    const seed = await seedDemo(storage(), clock);
    if (!seed) throw new Error('the demo was not seeded');
    await seedDemoRegistry(storage(), seed, clock, 1200);
    await seedDemoUsers(storage(), seed.branchId, clock);
    const db = storage().db;
    const users = await db.selectFrom('users').select(['id', 'username']).execute();
    const idOf = (name: string) => users.find((user) => user.username === name)?.id;
    const crew = await seedDemoCrew(
      storage(),
      seed,
      { volunteer: idOf('volunteer'), teamLeader: idOf('team-leader') },
      clock,
    );
    expect(crew).toMatchObject({
      volunteers: 60,
      teams: 8,
      runs: { planned: 2, dispatched: 1, in_progress: 1, closed: 1 },
    });
    expect(crew.exceptions).toBeGreaterThanOrEqual(2);
    const runs = await db.selectFrom('runs').select(['status', 'team_id']).execute();
    expect(runs.map((run) => run.status).sort()).toEqual([
      'closed',
      'dispatched',
      'in_progress',
      'planned',
      'planned',
    ]);
    const teams = new Set(
      (await db.selectFrom('team_members').select('team_id').execute()).map((row) => row.team_id),
    );
    expect(teams.size).toBe(8);
    // The field user is on the team whose run is under way.
    const volunteer = await db
      .selectFrom('volunteers')
      .innerJoin('team_members', 'team_members.volunteer_id', 'volunteers.id')
      .innerJoin('runs', 'runs.team_id', 'team_members.team_id')
      .select('runs.status')
      .where('volunteers.user_id', '=', idOf('volunteer') as string)
      .execute();
    expect(volunteer.map((row) => row.status)).toContain('in_progress');
    const without = await db
      .selectFrom('volunteers')
      .select('id')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('permits')
              .select('id')
              .whereRef('permits.volunteer_id', '=', 'volunteers.id'),
          ),
        ),
      )
      .execute();
    expect(without).toHaveLength(2);
    const expiring = await db
      .selectFrom('volunteer_trainings')
      .select('id')
      .where('expires_on', '>=', '2026-03-10')
      .where('expires_on', '<=', '2026-04-09')
      .execute();
    expect(expiring.length).toBeGreaterThanOrEqual(10);
    expect((await db.selectFrom('volunteer_hours').select('minutes').execute()).length).toBe(8);
    const queue = await db.selectFrom('field_exceptions').select('code').execute();
    expect(queue.map((row) => row.code).sort()).toEqual(['already-delivered', 'entitlement-held']);
    expect((await verifyLedger(db)).discrepancies).toEqual([]);
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });
});
