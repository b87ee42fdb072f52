/**
 * Property: whatever the phones do to a set of field ops — send them in any order, several
 * times, in batches of any size, from two devices, losing answers and sending again — the
 * books and the stops end exactly as when each op is applied once, in order. Compared: every
 * run-related account balance, every stop's state, reason and delivery, and the set of ops
 * with their first answers' statuses for the ops whose outcome does not depend on order.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect, openTestStorage } from '../../../test/helpers/database.js';
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { buildFieldWorld } from '../runs/runs.fixtures.js';
import { planRun } from '../runs/runs.planning.js';
import { dispatchRun } from '../runs/runs.service.js';
import { syncOps } from './sync.service.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');

interface World {
  storage: Storage;
  runId: string;
  stops: { id: string; items: { commodity: string; quantity: number }[] }[];
  /** Every id that differs between two worlds, with the name it is compared under. */
  names: [string, string][];
}

const stopCount = 5;
const stopItems = [
  { commodity: 'bread', quantity: 2 },
  { commodity: 'sugar', quantity: 2000 },
];

async function freshWorld(dialect: 'sqlite' | 'postgres'): Promise<World> {
  const storage = await openTestStorage(dialect, 4);
  const world = await buildFieldWorld(storage, clock, { households: stopCount, members: 1 });
  const run = await planRun(
    storage,
    systemActor,
    {
      cycle_id: world.cycleId,
      team_id: world.teamId,
      date: '2026-12-05',
      source_service_point_id: world.servicePointId,
      area_pcodes: ['SY0600'],
    },
    clock,
  );
  await dispatchRun(storage, systemActor, run.id, clock);
  const cycle = await storage.db
    .selectFrom('cycles')
    .select('programme_id')
    .executeTakeFirstOrThrow();
  const names: [string, string][] = [
    [run.id, 'RUN'],
    [world.teamId, 'TEAM'],
    [world.servicePointId, 'SP'],
    [world.cycleId, 'CYCLE'],
    [cycle.programme_id, 'PROGRAMME'],
    ...run.stops.flatMap((stop, index): [string, string][] => [
      [stop.id, `STOP${index}`],
      [stop.household_id, `HOUSEHOLD${index}`],
    ]),
  ];
  return { storage, runId: run.id, stops: run.stops, names };
}

/** Everything the ops can change: balances of every account, and each stop. */
async function snapshot(storage: Storage) {
  const accounts = await storage.db
    .selectFrom('accounts')
    .select(['id', 'debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
    .execute();
  const stops = await storage.db
    .selectFrom('run_stops')
    .select(['sequence', 'state', 'failed_reason', 'delivered_json'])
    .orderBy('sequence')
    .execute();
  const ops = await storage.db.selectFrom('sync_ops').select(['id']).orderBy('id').execute();
  return { accounts, stops, ops: ops.map((op) => op.id) };
}

const reasons = ['not_home', 'refused', 'moved', 'unsafe', 'other'] as const;

/** A set of ops over the run's stops: at most one delivery per stop, any number of failed visits. */
function opsArbitrary() {
  return fc
    .record({
      deliveries: fc.uniqueArray(
        fc.record({
          stop: fc.nat({ max: stopCount - 1 }),
          part: fc.constantFrom('full', 'bread', 'half-sugar'),
        }),
        { selector: (entry) => entry.stop, maxLength: stopCount },
      ),
      failures: fc.array(
        fc.record({ stop: fc.nat({ max: stopCount - 1 }), reason: fc.constantFrom(...reasons) }),
        { maxLength: 6 },
      ),
    })
    .map(({ deliveries, failures }) => {
      let counter = 0;
      const nextId = () => `0190c${String(++counter).padStart(6, '0')}`;
      const at = '2026-12-05T10:00:00.000Z';
      const ops: object[] = [];
      for (const failure of failures) {
        ops.push({
          id: nextId(),
          kind: 'visit-failed',
          run_id: 'RUN',
          stop_id: `STOP${failure.stop}`,
          reason: failure.reason,
          at,
        });
      }
      for (const delivery of deliveries) {
        const items =
          delivery.part === 'full'
            ? stopItems
            : delivery.part === 'bread'
              ? stopItems.filter((item) => item.commodity === 'bread')
              : stopItems.map((item) =>
                  item.commodity === 'sugar' ? { ...item, quantity: item.quantity / 2 } : item,
                );
        ops.push({
          id: nextId(),
          kind: 'delivery',
          run_id: 'RUN',
          stop_id: `STOP${delivery.stop}`,
          items,
          at,
        });
      }
      return ops;
    });
}

describeEachDialect('field sync property', (_storage, dialect) => {
  it('replays, reorderings, duplicates and lost answers reach the state of each op applied once', async () => {
    const rename = (world: World, text: string) => {
      let renamed = text;
      for (const [from, to] of world.names) renamed = renamed.replaceAll(from, to);
      return renamed;
    };
    const named = (world: World, op: object) => {
      let text = JSON.stringify(op);
      for (const [to, from] of world.names) text = text.replaceAll(`"${from}"`, JSON.stringify(to));
      return JSON.parse(text) as object;
    };
    await fc.assert(
      fc.asyncProperty(
        opsArbitrary(),
        fc.infiniteStream(fc.nat()),
        async (template, randomness) => {
          const stream = randomness[Symbol.iterator]();
          const random = (bound: number) => (stream.next().value as number) % bound;
          const first = await freshWorld(dialect);
          const second = await freshWorld(dialect);
          try {
            await syncOps(
              first.storage,
              { actor: systemActor },
              template.map((op) => named(first, op)),
              clock,
            );
            // The phones: shuffled copies with repeats, sent in random batches from two devices
            // at once, then everything once more (answers that were lost).
            const ops = template.map((op) => named(second, op));
            const sends = [...ops, ...ops.filter(() => random(2) === 0)];
            for (let index = sends.length - 1; index > 0; index--) {
              const other = random(index + 1);
              [sends[index], sends[other]] = [sends[other]!, sends[index]!];
            }
            const batches: object[][] = [];
            for (let start = 0; start < sends.length;) {
              const size = 1 + random(4);
              batches.push(sends.slice(start, start + size));
              start += size;
            }
            const device = (parity: number) => async () => {
              for (const batch of batches.filter((_, index) => index % 2 === parity)) {
                await syncOps(second.storage, { actor: systemActor }, batch, clock);
              }
            };
            await Promise.all([device(0)(), device(1)()]);
            await syncOps(second.storage, { actor: systemActor }, ops, clock);
            const expected = rename(first, JSON.stringify(await snapshot(first.storage)));
            const actual = rename(second, JSON.stringify(await snapshot(second.storage)));
            const sorted = (text: string) => {
              const state = JSON.parse(text) as { accounts: { id: string }[] };
              state.accounts.sort((a, b) => (a.id < b.id ? -1 : 1));
              return state;
            };
            expect(sorted(actual)).toEqual(sorted(expected));
            expect((await verifyLedger(second.storage.db)).ok).toBe(true);
          } finally {
            await first.storage.close();
            await second.storage.close();
          }
        },
      ),
      { numRuns: dialect === 'sqlite' ? 8 : 4 },
    );
  }, 900_000);
});
