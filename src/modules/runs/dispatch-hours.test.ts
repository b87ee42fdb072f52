import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { systemActor } from '../../domain/actor.js';
import { AppError } from '../../shared/errors.js';
import { buildFieldWorld } from './runs.fixtures.js';
import { planRun } from './runs.planning.js';
import { dispatchRun } from './runs.service.js';

// Damascus is UTC+3: 13:00Z is 16:00 there, 07:00Z is 10:00.
const afternoon = () => new Date('2026-12-05T13:00:00.000Z');
const morning = () => new Date('2026-12-05T07:00:00.000Z');

describeEachDialect('the dispatch gate and permit hours', (storage) => {
  it('refuses a same-day dispatch outside the permits’ hours, listing each member', async () => {
    const world = await buildFieldWorld(storage(), morning, { households: 3, members: 2 });
    await storage()
      .db.updateTable('permits')
      .set({ hours: '08:00-14:00' })
      .where('volunteer_id', 'in', world.volunteers)
      .execute();
    const run = await planRun(
      storage(),
      systemActor,
      {
        cycle_id: world.cycleId,
        team_id: world.teamId,
        date: '2026-12-05',
        source_service_point_id: world.servicePointId,
        area_pcodes: ['SY0600'],
      },
      morning,
    );
    const refusal = await dispatchRun(storage(), systemActor, run.id, afternoon).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('dispatch-blocked');
    expect((refusal as AppError).extra.missing).toEqual(
      [...world.volunteers].sort().map((volunteer_id) => ({
        volunteer_id,
        kind: 'permit',
        area_pcode: 'SY0600',
      })),
    );
    const dispatched = await dispatchRun(storage(), systemActor, run.id, morning);
    expect(dispatched.status).toBe('dispatched');
  });
});
