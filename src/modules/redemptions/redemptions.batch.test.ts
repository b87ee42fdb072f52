import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { stockAccountId } from '../../domain/entitlement/accounts.js';
import { cardPayloads } from '../cards/cards.service.js';
import {
  insertTestHouseholds,
  insertTestServicePoint,
  seedTestAreas,
  seedTestCommodities,
} from '../cycles/cycles.fixtures.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import { closeAccount, verifyLedger } from '../ledger/ledger.service.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { BatchQueue } from './redemptions.batch.js';
import type { RedeemInput } from './redemptions.schema.js';
import { redeem, type RedeemResult } from './redemptions.service.js';

const day = '2026-12-05';
const clerk: Actor = { ...systemActor, kind: 'user', role: 'outlet_clerk' };

/** A clock that moves on by a millisecond at every reading: one batch reads it once. */
function steppingClock(): () => Date {
  let now = new Date(`${day}T09:00:00.000Z`).getTime();
  return () => new Date(now++);
}

type Settled = { ok: true; value: RedeemResult } | { ok: false; code: string; extra: unknown };

/** Submits every input before any batch can start (so they share one), and settles each. */
async function redeemTogether(
  storage: Parameters<typeof redeem>[0],
  inputs: readonly RedeemInput[],
  clock: () => Date,
  actors: readonly Actor[] = [],
): Promise<Settled[]> {
  const pending = inputs.map((input, index) =>
    redeem(storage, actors[index] ?? clerk, input, clock),
  );
  return Promise.all(
    pending.map((promise) =>
      promise.then(
        (value): Settled => ({ ok: true, value }),
        (error: { code?: string; extra?: unknown }): Settled => ({
          ok: false,
          code: error.code ?? String(error),
          extra: error.extra,
        }),
      ),
    ),
  );
}

describeEachDialect('redemptions decided together in one batch', (storage) => {
  const clock = steppingClock();
  let cards: string[] = [];
  let servicePointId = '';
  let scarcePointId = '';

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['sugar']);
    const programme = await createProgramme(
      storage(),
      systemActor,
      {
        code: 'batch',
        name_ar: 'برنامج',
        name_en: 'Programme',
        rules: { items: [{ commodity: 'sugar', tiers: [{ quantity: 1000 }] }] },
      },
      clock,
    );
    const households = await insertTestHouseholds(
      storage().db,
      Array.from({ length: 8 }, () => ({ area_pcode: 'SY060000' })),
    );
    const payloads = await cardPayloads(storage().db, households);
    cards = households.map((id) => payloads.get(id)?.card_number ?? '');
    const cycle = await createCycle(
      storage(),
      systemActor,
      { programme_id: programme.id, starts_on: day, ends_on: '2026-12-31', area_pcodes: ['SY06'] },
      clock,
    );
    await openCycle(storage(), systemActor, cycle.id, clock);
    servicePointId = await insertTestServicePoint(storage().db);
    scarcePointId = await insertTestServicePoint(storage().db);
    for (const [pointId, quantity] of [
      [servicePointId, 100_000],
      [scarcePointId, 1500],
    ] as const) {
      await receiveStock(
        storage(),
        systemActor,
        pointId,
        { id: randomUUID(), commodity: 'sugar', quantity },
        clock,
      );
    }
  });

  function input(card: string, quantity: number, pointId = servicePointId): RedeemInput {
    return {
      id: randomUUID(),
      card,
      service_point_id: pointId,
      items: [{ commodity: 'sugar', quantity }],
    };
  }

  it("gives a household's last unit to exactly one of the redemptions in a batch", async () => {
    const card = cards[0] ?? '';
    const settled = await redeemTogether(
      storage(),
      [input(card, 600), input(card, 600), input(card, 400), input(card, 1)],
      clock,
    );
    expect(settled.map((outcome) => (outcome.ok ? 'created' : outcome.code))).toEqual([
      'created',
      'insufficient-entitlement',
      'created',
      'insufficient-entitlement',
    ]);
    // The refusals see what the earlier ones of the batch took, as a later transaction would.
    expect(settled[1]).toMatchObject({ extra: { remaining: [{ remaining: 400 }] } });
    expect(settled[3]).toMatchObject({ extra: { remaining: [{ remaining: 0 }] } });
    const [first, , third] = settled;
    if (!first?.ok || !third?.ok) throw new Error('expected two hand-overs');
    expect(first.value.redemption.remaining).toMatchObject([{ remaining: 400 }]);
    expect(third.value.redemption.remaining).toMatchObject([{ remaining: 0 }]);
    // One batch: one clock reading for both.
    expect(third.value.redemption.created_at).toBe(first.value.redemption.created_at);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it("gives a service point's last stock to the first redemption that asks, not to a later one", async () => {
    const settled = await redeemTogether(
      storage(),
      [
        input(cards[1] ?? '', 1000, scarcePointId),
        input(cards[2] ?? '', 1000, scarcePointId),
        input(cards[3] ?? '', 500, scarcePointId),
      ],
      clock,
    );
    expect(settled.map((outcome) => (outcome.ok ? 'created' : outcome.code))).toEqual([
      'created',
      'insufficient-stock',
      'created',
    ]);
    expect(settled[1]).toMatchObject({ extra: { available: 500 } });
    const stock = await storage()
      .db.selectFrom('accounts')
      .select(['credits_posted', 'debits_posted'])
      .where('id', '=', stockAccountId(scarcePointId, 'sugar'))
      .executeTakeFirstOrThrow();
    expect(stock.credits_posted - stock.debits_posted).toBe(0);
  });

  it('answers a replay and an id conflict inside one batch, and retries an id refused earlier in it', async () => {
    const card = cards[4] ?? '';
    const original = input(card, 100);
    const refused = input(card, 5000);
    const settled = await redeemTogether(
      storage(),
      [
        original,
        { ...original },
        { ...original, items: [{ commodity: 'sugar', quantity: 101 }] },
        refused,
        { ...refused, items: [{ commodity: 'sugar', quantity: 200 }] },
      ],
      clock,
    );
    expect(settled.map((outcome) => (outcome.ok ? outcome.value.created : outcome.code))).toEqual([
      true,
      false,
      'id-conflict',
      'insufficient-entitlement',
      true,
    ]);
    const [first, replay] = settled;
    if (!first?.ok || !replay?.ok) throw new Error('expected the original and its replay');
    expect(replay.value.redemption).toEqual(first.value.redemption);
    // After the batch, the stored answer replays, and the conflict still conflicts.
    const again = await redeemTogether(
      storage(),
      [original, { ...original, card: cards[5] ?? '' }],
      clock,
    );
    expect(again.map((outcome) => (outcome.ok ? outcome.value.created : outcome.code))).toEqual([
      false,
      'id-conflict',
    ]);
    expect(again[0]).toMatchObject({ value: { redemption: first.value.redemption } });
    const stored = await storage()
      .db.selectFrom('redemptions')
      .select('id')
      .where('id', 'in', [original.id, refused.id])
      .execute();
    expect(stored).toHaveLength(2);
  });

  it('lets nothing refused in a batch change what the others get or write', async () => {
    const elsewhere: Actor = { ...clerk, scope: { kind: 'areas', paths: ['/SY06/SY0601/'] } };
    const card = cards[6] ?? '';
    const emptyPointId = await insertTestServicePoint(storage().db);
    const before = await storage().db.selectFrom('redemptions').select('id').execute();
    const inputs = [
      input(card, 300),
      input('0000000000', 1),
      input(card, 5000),
      {
        ...input(card, 1),
        items: [
          { commodity: 'sugar', quantity: 1 },
          { commodity: 'sugar', quantity: 2 },
        ],
      },
      input(card, 1),
      input(card, 1, randomUUID()),
      input(card, 1, emptyPointId),
      input(card, 700),
    ];
    const actors = inputs.map((_, index) => (index === 4 ? elsewhere : clerk));
    const settled = await redeemTogether(storage(), inputs, clock, actors);
    expect(settled.map((outcome) => (outcome.ok ? 'created' : outcome.code))).toEqual([
      'created',
      'card-invalid',
      'insufficient-entitlement',
      'validation-failed',
      'not-found',
      'not-found',
      'insufficient-stock',
      'created',
    ]);
    const after = await storage().db.selectFrom('redemptions').select('id').execute();
    expect(after.length - before.length).toBe(2);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'redemption.create')
      .where(
        'entity_id',
        'in',
        inputs.map((entry) => entry.id),
      )
      .execute();
    expect(audit.map((event) => event.entity_id).sort()).toEqual(
      [inputs[0]?.id, inputs[7]?.id].sort(),
    );
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('records each redemption under the user who asked, in one batch', async () => {
    const users = [randomUUID(), randomUUID()];
    const actors = users.map((userId): Actor => ({ ...clerk, userId }));
    const card = cards[5] ?? '';
    const inputs = [input(card, 10), input(card, 20), input(card, 30)];
    const settled = await redeemTogether(storage(), inputs, clock, [
      actors[0] ?? clerk,
      actors[1] ?? clerk,
      actors[0] ?? clerk,
    ]);
    expect(settled.map((outcome) => outcome.ok && outcome.value.redemption.remaining)).toEqual([
      [expect.objectContaining({ remaining: 990 })],
      [expect.objectContaining({ remaining: 970 })],
      [expect.objectContaining({ remaining: 940 })],
    ]);
    const rows = await storage()
      .db.selectFrom('redemptions')
      .select(['id', 'actor_id'])
      .where(
        'id',
        'in',
        inputs.map((entry) => entry.id),
      )
      .execute();
    const transfers = await storage()
      .db.selectFrom('transfers')
      .select(['actor_id'])
      .where('actor_id', 'in', users)
      .execute();
    const expected = [users[0], users[1], users[0]];
    expect(new Map(rows.map((row) => [row.id, row.actor_id]))).toEqual(
      new Map(inputs.map((entry, index) => [entry.id, expected[index]])),
    );
    // Two transfers (entitlement, stock) per redemption.
    expect(transfers.filter((row) => row.actor_id === users[0])).toHaveLength(4);
    expect(transfers.filter((row) => row.actor_id === users[1])).toHaveLength(2);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('runs again one by one when the batch fails, so only the poisoned redemption fails', async () => {
    // A closed stock account refuses the transfer although its balance suffices: the state
    // the batch decided on cannot foresee it, so the whole batch throws.
    const closedPointId = await insertTestServicePoint(storage().db);
    await receiveStock(
      storage(),
      systemActor,
      closedPointId,
      { id: randomUUID(), commodity: 'sugar', quantity: 1000 },
      clock,
    );
    await writeTransaction(storage(), (trx) =>
      closeAccount(trx, stockAccountId(closedPointId, 'sugar'), { actor: systemActor, clock }),
    );
    const card = cards[7] ?? '';
    const inputs = [input(card, 100), input(card, 100, closedPointId), input(card, 100)];
    const settled = await redeemTogether(storage(), inputs, clock);
    expect(settled.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    const [first, , third] = settled;
    if (!first?.ok || !third?.ok) throw new Error('expected two hand-overs');
    // Each ran in a transaction of its own: the second one saw the first.
    expect(third.value.redemption.remaining).toMatchObject([{ remaining: 800 }]);
    expect(third.value.redemption.created_at).not.toBe(first.value.redemption.created_at);
    const stored = await storage()
      .db.selectFrom('redemptions')
      .select('id')
      .where(
        'id',
        'in',
        inputs.map((entry) => entry.id),
      )
      .execute();
    expect(stored.map((row) => row.id).sort()).toEqual([inputs[0]?.id, inputs[2]?.id].sort());
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });
});

it('takes at most the batch size, only compatible requests, and answers each in order', async () => {
  const batches: number[][] = [];
  const queue = new BatchQueue<number, number>({
    maxBatchSize: 3,
    compatible: (head, request) => head % 2 === request % 2,
    run: async (requests) => {
      batches.push([...requests]);
      return requests.map((request) =>
        request === 7
          ? { ok: false, error: new Error('seven') }
          : { ok: true, value: request * 10 },
      );
    },
  });
  const results = await Promise.allSettled([1, 3, 5, 7, 2, 4, 9].map((n) => queue.submit(n)));
  expect(batches).toEqual([[1, 3, 5], [7], [2, 4], [9]]);
  expect(
    results.map((result) => (result.status === 'fulfilled' ? result.value : 'refused')),
  ).toEqual([10, 30, 50, 'refused', 20, 40, 90]);
});
