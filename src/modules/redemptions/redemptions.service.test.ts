import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { connect, type Storage } from '../../db/connect.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { cardPayloads } from '../cards/cards.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
  seedTestCommodities,
} from '../cycles/cycles.fixtures.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { getEntitlements, redeem, redemptionRequestHash } from './redemptions.service.js';

const clock = () => new Date('2026-12-05T09:00:00.000Z');
const clerk: Actor = { ...systemActor, kind: 'user', role: 'outlet_clerk' };

describeEachDialect('redemption across cycles', (storage) => {
  let householdId = '';
  let cardNumber = '';
  let sharedId = '';
  let sharedCard = '';
  let servicePointId = '';
  const cycles: string[] = [];

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['sugar']);
    const programme = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'split',
        name_ar: 'برنامج',
        name_en: 'Programme',
        rules: { items: [{ commodity: 'sugar', tiers: [{ quantity: 1000 }] }] },
      },
      clock,
    );
    [householdId = '', sharedId = ''] = await insertTestHouseholds(storage().db, [
      { area_pcode: 'SY060000' },
      { area_pcode: 'SY060000' },
    ]);
    const cards = await cardPayloads(storage().db, [householdId, sharedId]);
    cardNumber = cards.get(householdId)?.card_number ?? '';
    sharedCard = cards.get(sharedId)?.card_number ?? '';
    // The later-ending cycle is created first: order must come from ends_on, not creation.
    for (const ends_on of ['2026-12-31', '2026-12-10']) {
      const cycle = await createCycle(
        storage(),
        systemActor,
        { programme_id: programme.id, starts_on: '2026-12-01', ends_on, area_pcodes: ['SY06'] },
        clock,
      );
      await openCycle(storage(), systemActor, cycle.id, clock);
      cycles.push(cycle.id);
    }
    servicePointId = await insertTestServicePoint(storage().db);
    await receiveStock(
      storage(),
      systemActor,
      servicePointId,
      { id: randomUUID(), commodity: 'sugar', quantity: 5000 },
      clock,
    );
  });

  it('takes from the earliest-ending open cycle first, then the next', async () => {
    const [later = '', earlier = ''] = cycles;
    const redemptionId = randomUUID();
    const result = await redeem(
      storage(),
      clerk,
      {
        id: redemptionId,
        card: cardNumber,
        service_point_id: servicePointId,
        items: [{ commodity: 'sugar', quantity: 1500 }],
      },
      clock,
    );
    expect(result.created).toBe(true);
    expect(result.redemption.remaining).toEqual([
      { cycle_id: earlier, commodity: 'sugar', remaining: 0 },
      { cycle_id: later, commodity: 'sugar', remaining: 500 },
    ]);
    expect(await getEntitlements(storage().db, clerk, householdId, clock)).toEqual({
      household_id: householdId,
      household_status: 'active',
      left_today: [],
      items: [
        {
          cycle_id: earlier,
          commodity: 'sugar',
          entitled: 1000,
          reserved: 0,
          remaining: 0,
          ends_on: '2026-12-10',
          starts_on: '2026-12-01',
          per_day_max: null,
          per_visit_max: null,
          redeemable: true,
        },
        {
          cycle_id: later,
          commodity: 'sugar',
          entitled: 1000,
          reserved: 0,
          remaining: 500,
          ends_on: '2026-12-31',
          starts_on: '2026-12-01',
          per_day_max: null,
          per_visit_max: null,
          redeemable: true,
        },
      ],
    });
    const stock = await storage()
      .db.selectFrom('accounts')
      .select('debits_posted')
      .where('id', '=', `stock:${servicePointId}:sugar`)
      .executeTakeFirstOrThrow();
    expect(stock.debits_posted).toBe(1500);
    // Its transfers: one hand-over id shared by all, and the client's id in their references.
    const transfers = await storage()
      .db.selectFrom('transfers')
      .select(['id', 'references_json'])
      .where('references_json', 'like', `%${redemptionId}%`)
      .orderBy('id')
      .execute();
    expect(transfers).toHaveLength(3); // two cycles' entitlements and the stock move
    const handOvers = new Set(transfers.map((transfer) => transfer.id.split(':')[1]));
    expect(handOvers.size).toBe(1);
    expect(handOvers.has(redemptionId)).toBe(false);
    for (const transfer of transfers) {
      expect(transfer.id).toMatch(/^redemption:[0-9a-f-]{36}:sugar:/);
      expect(JSON.parse(transfer.references_json ?? '{}')).toMatchObject({
        redemption_id: redemptionId,
        household_id: householdId,
        service_point_id: servicePointId,
      });
    }
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('gives out exactly the entitlement when two processes redeem against one database', async () => {
    // A second connection (SQLite) or pool (PostgreSQL) with its own redemption queue and
    // writer, as a second `awn serve` on the same database would have.
    const other = await connect(storage().description, { migrate: false, poolSize: 4 });
    try {
      const writers = [storage(), other];
      const answers = await Promise.allSettled(
        Array.from({ length: 40 }, (_, index) =>
          redeem(
            writers[index % 2] as Storage,
            clerk,
            {
              id: randomUUID(),
              card: sharedCard,
              service_point_id: servicePointId,
              items: [{ commodity: 'sugar', quantity: 100 }],
            },
            clock,
          ),
        ),
      );
      const refusals = answers.flatMap((answer) =>
        answer.status === 'rejected' ? [(answer.reason as { code?: string }).code] : [],
      );
      // Two cycles of 1,000 each: 20 hand-overs of 100, whichever writer took them.
      expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(20);
      expect(refusals).toEqual(Array.from({ length: 20 }, () => 'insufficient-entitlement'));
    } finally {
      await other.close();
    }
    const left = await getEntitlements(storage().db, clerk, sharedId, clock);
    expect(left.items.map((item) => item.remaining)).toEqual([0, 0]);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('answers 404 for a household outside the scope, and for an unknown one', async () => {
    const elsewhere: Actor = { ...clerk, scope: { kind: 'areas', paths: ['/SY06/SY0601/'] } };
    await expect(
      getEntitlements(storage().db, elsewhere, householdId, clock),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(getEntitlements(storage().db, clerk, randomUUID(), clock)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

it('hashes the same request the same way whatever the order of its items', () => {
  const base = { id: randomUUID(), card: 'x', service_point_id: 'sp' };
  const a = redemptionRequestHash({
    ...base,
    items: [
      { commodity: 'sugar', quantity: 1 },
      { commodity: 'bread', quantity: 2 },
    ],
  });
  const b = redemptionRequestHash({
    ...base,
    id: randomUUID(),
    items: [
      { commodity: 'bread', quantity: 2 },
      { commodity: 'sugar', quantity: 1 },
    ],
  });
  expect(a).toBe(b);
  expect(redemptionRequestHash({ ...base, items: [{ commodity: 'sugar', quantity: 2 }] })).not.toBe(
    a,
  );
});
