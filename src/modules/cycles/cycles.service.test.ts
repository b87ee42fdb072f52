import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import {
  allotmentAccountId,
  entitlementAccountId,
  ownerKinds,
  systemAccountId,
  systemAccounts,
} from '../../domain/entitlement/accounts.js';
import { entitlementFor } from '../../domain/entitlement/entitlement.js';
import { createAccounts, createTransfers, verifyLedger } from '../ledger/ledger.service.js';
import type { RulesInput } from '../programmes/programmes.schema.js';
import { createProgramme } from '../programmes/programmes.service.js';
import {
  insertTestHouseholds,
  seedTestAreas,
  seedTestCommodities,
  type TestHousehold,
} from './cycles.fixtures.js';
import {
  addCycleHouseholds,
  closeCycle,
  createCycle,
  getCycle,
  getCycleProgress,
  openCycle,
  type CycleProgress,
} from './cycles.service.js';

const clock = () => new Date('2026-12-01T08:00:00.000Z');

const rules: RulesInput = {
  eligibility: { tags_none: ['displaced'] },
  items: [
    { commodity: 'sugar', per_person: 1000, min: 1000, max: 5000 },
    {
      commodity: 'bread',
      tiers: [{ size_max: 3, quantity: 1 }, { size_max: 6, quantity: 2 }, { quantity: 3 }],
    },
  ],
};

const paths: Record<string, string> = {
  SY060000: '/SY06/SY0600/SY060000/',
  SY060001: '/SY06/SY0600/SY060001/',
  SY060100: '/SY06/SY0601/SY060100/',
};

const households: TestHousehold[] = [
  { household_size: 1, area_pcode: 'SY060000' },
  { household_size: 2, area_pcode: 'SY060000', tags: ['elderly'] },
  { household_size: 4, area_pcode: 'SY060001' },
  { household_size: 7, area_pcode: 'SY060001' },
  { household_size: 9, area_pcode: 'SY060000' },
  { household_size: 3, area_pcode: 'SY060000', tags: ['displaced'] },
  { household_size: 5, area_pcode: 'SY060000', status: 'suspended' },
  { household_size: 6, area_pcode: 'SY060100' },
];

function expectedLines(household: TestHousehold) {
  return entitlementFor(
    {
      status: household.status ?? 'active',
      household_size: household.household_size ?? 4,
      tags: household.tags ?? [],
      area_path: paths[household.area_pcode ?? 'SY060000'] ?? '',
    },
    rules,
  ).filter(() => household.area_pcode !== 'SY060100');
}

describeEachDialect('cycles: open, add households, close', (storage) => {
  let programmeId = '';
  let ids: string[] = [];

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    await seedTestCommodities(storage().db, ['sugar', 'bread']);
    const programme = await createProgramme(
      storage(),
      systemActor,
      { code: 'cycle-test', name_ar: 'برنامج', name_en: 'Programme', rules },
      clock,
    );
    programmeId = programme.id;
    ids = await insertTestHouseholds(storage().db, households);
  });

  async function balances(cycleId: string, householdIds: readonly string[]) {
    const rows = await storage()
      .db.selectFrom('accounts')
      .select(['id', 'credits_posted', 'debits_posted'])
      .where(
        'id',
        'in',
        householdIds.flatMap((id) =>
          ['sugar', 'bread'].map((c) => entitlementAccountId(cycleId, id, c)),
        ),
      )
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async function transferCount(): Promise<number> {
    const row = await storage()
      .db.selectFrom('transfers')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it('credits every eligible household in the areas, in batches, with progress', async () => {
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: programmeId,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY0600'],
      },
      clock,
    );
    expect(cycle.status).toBe('draft');
    const progress: CycleProgress[] = [];
    const seenWhileRunning: Promise<string>[] = [];
    const opened = await openCycle(
      storage(),
      systemActor,
      cycle.id,
      clock,
      (p) => {
        progress.push(p);
        seenWhileRunning.push(
          getCycle(storage().db, systemActor, cycle.id).then((view) => view.status),
        );
      },
      { batchRows: 4 },
    );
    expect(await seenWhileRunning[0]).toBe('opening');
    const eligible = households.filter((household) => expectedLines(household).length > 0);
    expect(opened.status).toBe('open');
    expect(opened.households_processed).toBe(eligible.length);
    expect(opened.households_credited).toBe(eligible.length);
    expect(opened.opened_at).toBe(clock().toISOString());
    expect(progress.at(0)).toEqual({ phase: 'credit', done: 0, total: eligible.length });
    expect(progress.at(-1)).toEqual({
      phase: 'credit',
      done: eligible.length,
      total: eligible.length,
    });
    // Ranges of two households (4 rows / 2 commodities): several batches, each reported.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.done)).toEqual(
      [...progress.map((p) => p.done)].sort((a, b) => a - b),
    );

    const stored = await balances(cycle.id, ids);
    let sugar = 0;
    households.forEach((household, index) => {
      const lines = expectedLines(household);
      for (const commodity of ['sugar', 'bread']) {
        const line = lines.find((candidate) => candidate.commodity === commodity);
        const account = stored.get(entitlementAccountId(cycle.id, ids[index] ?? '', commodity));
        expect(account?.credits_posted).toBe(line?.quantity);
        if (commodity === 'sugar') sugar += line?.quantity ?? 0;
      }
    });
    const allotment = await storage()
      .db.selectFrom('accounts')
      .selectAll()
      .where('id', '=', allotmentAccountId(programmeId, 'sugar'))
      .executeTakeFirstOrThrow();
    expect(allotment.debits_posted).toBe(sugar);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);

    // Running it again credits nobody twice.
    const before = await transferCount();
    const again = await openCycle(storage(), systemActor, cycle.id, clock);
    expect(again.households_processed).toBe(0);
    expect(again.households_credited).toBe(eligible.length);
    expect(await transferCount()).toBe(before);
  });

  it('credits households registered later, and only those', async () => {
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: programmeId,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY06'],
      },
      clock,
    );
    await expect(addCycleHouseholds(storage(), systemActor, cycle.id, clock)).rejects.toMatchObject(
      {
        code: 'cycle-not-open',
      },
    );
    const opened = await openCycle(storage(), systemActor, cycle.id, clock);
    const late = await insertTestHouseholds(storage().db, [
      { household_size: 2, area_pcode: 'SY060100' },
      { household_size: 3, area_pcode: 'SY060001' },
      { household_size: 3, area_pcode: 'SY060001', status: 'moved' },
    ]);
    const added = await addCycleHouseholds(storage(), systemActor, cycle.id, clock);
    expect(added.households_processed).toBe(2);
    expect(added.households_credited).toBe(opened.households_credited + 2);
    const stored = await balances(cycle.id, late);
    expect(stored.get(entitlementAccountId(cycle.id, late[0] ?? '', 'bread'))?.credits_posted).toBe(
      1,
    );
    expect(stored.has(entitlementAccountId(cycle.id, late[2] ?? '', 'bread'))).toBe(false);
    expect(
      (await addCycleHouseholds(storage(), systemActor, cycle.id, clock)).households_processed,
    ).toBe(0);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);
  });

  it('close expires what is left, keeps the ledger balanced, and refuses to reopen', async () => {
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: programmeId,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY0600'],
      },
      clock,
    );
    await openCycle(storage(), systemActor, cycle.id, clock);
    // One household redeems part of its sugar before the close.
    const first = ids[0] ?? '';
    const delivered = systemAccountId(systemAccounts.delivered, 'sugar');
    await storage()
      .db.transaction()
      .execute(async (trx) => {
        await createAccounts(
          trx,
          [
            {
              id: delivered,
              commodity: 'sugar',
              owner_kind: ownerKinds.system,
              owner_id: 'delivered',
            },
          ],
          clock,
        );
        const results = await createTransfers(
          trx,
          [
            {
              id: `test-redeem-${cycle.id}`,
              debit_account_id: entitlementAccountId(cycle.id, first, 'sugar'),
              credit_account_id: delivered,
              amount: 400,
              code: 'redemption',
            },
          ],
          { actor: systemActor, clock },
        );
        expect(results[0]?.result).toBe('created');
      });

    const progress: CycleProgress[] = [];
    const closed = await closeCycle(
      storage(),
      systemActor,
      cycle.id,
      clock,
      (p) => progress.push(p),
      {
        batchRows: 2,
      },
    );
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).toBe(clock().toISOString());
    expect(closed.households_processed).toBe(closed.households_credited);
    expect(progress.at(-1)?.phase).toBe('expire');

    const stored = await balances(cycle.id, ids);
    for (const account of stored.values())
      expect(account.debits_posted).toBe(account.credits_posted);
    const expiry = await storage()
      .db.selectFrom('transfers')
      .select('amount')
      .where('id', '=', `expire:${cycle.id}:${first}:sugar`)
      .executeTakeFirstOrThrow();
    expect(expiry.amount).toBe(1000 - 400);
    expect((await verifyLedger(storage().db)).discrepancies).toEqual([]);

    const again = await closeCycle(storage(), systemActor, cycle.id, clock);
    expect(again.households_processed).toBe(0);
    await expect(openCycle(storage(), systemActor, cycle.id, clock)).rejects.toMatchObject({
      code: 'cycle-closed',
    });
  });

  describe('validation and scope', () => {
    it('refuses bad dates, unknown programmes, unknown areas and areas outside the scope, each by its rule', async () => {
      const scoped: Actor = {
        ...systemActor,
        kind: 'user',
        userId: null,
        role: 'coordinator',
        scope: { kind: 'areas', paths: ['/SY06/SY0601/'] },
      };
      await expect(
        createCycle(
          storage(),
          scoped,
          {
            programme_id: 'nope',
            starts_on: '2026-12-31',
            ends_on: '2026-12-01',
            area_pcodes: ['SY0699', 'SY0600', 'SY0601'],
          },
          clock,
        ),
      ).rejects.toMatchObject({
        code: 'validation-failed',
        issues: [
          {
            path: '/ends_on',
            message: 'must not be before starts_on',
            code: 'ends-before-starts',
          },
          { path: '/programme_id', message: 'is not a known programme' },
          { path: '/area_pcodes/0', message: 'is not a known area', code: 'area-unknown' },
          {
            path: '/area_pcodes/1',
            message: 'is outside your scope',
            code: 'area-outside-scope',
          },
        ],
      });
      await expect(
        createCycle(
          storage(),
          scoped,
          {
            programme_id: programmeId,
            starts_on: '2026-02-30',
            ends_on: '2026-03-01',
            area_pcodes: ['SY0601'],
          },
          clock,
        ),
      ).rejects.toMatchObject({ issues: [{ path: '/starts_on', message: 'is not a date' }] });
    });

    it('answers 404 for a cycle outside the scope', async () => {
      const cycle = await createCycle(
        storage(),
        systemActor,
        {
          programme_id: programmeId,
          starts_on: '2026-12-01',
          ends_on: '2026-12-31',
          area_pcodes: ['SY0600'],
        },
        clock,
      );
      const scoped: Actor = {
        ...systemActor,
        role: 'coordinator',
        scope: { kind: 'areas', paths: ['/SY06/SY0601/'] },
      };
      await expect(getCycle(storage().db, scoped, cycle.id)).rejects.toMatchObject({
        code: 'not-found',
      });
      await expect(openCycle(storage(), scoped, cycle.id, clock)).rejects.toMatchObject({
        code: 'not-found',
      });
    });
  });
});

describeEachDialect('cycles: progress by subdistrict', (storage) => {
  it('counts a household in a community under its subdistrict, and redeemed apart from expired', async () => {
    const db = storage().db;
    await seedTestAreas(db);
    await seedTestCommodities(db, ['sugar', 'bread']);
    await db
      .insertInto('areas')
      .values({
        pcode: 'SY06000001',
        parent_pcode: 'SY060000',
        level: 'community',
        kind: null,
        name_ar: 'قرية',
        name_en: 'Village',
        latitude: null,
        longitude: null,
        path: '/SY06/SY0600/SY060000/SY06000001/',
        created_at: '2026-11-29T00:00:00.000Z',
      })
      .onConflict((conflict) => conflict.column('pcode').doNothing())
      .execute();
    const programme = await createProgramme(
      storage(),
      systemActor,
      { code: 'progress-test', name_ar: 'برنامج', name_en: 'Programme', rules },
      clock,
    );
    const [householdId = ''] = await insertTestHouseholds(db, [
      { household_size: 2, area_pcode: 'SY06000001' },
    ]);
    const cycle = await createCycle(
      storage(),
      systemActor,
      {
        programme_id: programme.id,
        starts_on: '2026-12-01',
        ends_on: '2026-12-31',
        area_pcodes: ['SY06000001'],
      },
      clock,
    );
    await openCycle(storage(), systemActor, cycle.id, clock);
    const handedOver = await writeTransaction(storage(), async (trx) => {
      await createAccounts(
        trx,
        [
          {
            id: systemAccountId(systemAccounts.delivered, 'sugar'),
            commodity: 'sugar',
            owner_kind: ownerKinds.system,
            owner_id: systemAccounts.delivered,
          },
        ],
        clock,
      );
      // Hand over 500 g of sugar the way a redemption does (debit into `delivered`).
      return createTransfers(
        trx,
        [
          {
            id: `redemption:test:sugar:${cycle.id}`,
            debit_account_id: entitlementAccountId(cycle.id, householdId, 'sugar'),
            credit_account_id: systemAccountId(systemAccounts.delivered, 'sugar'),
            amount: 500,
            commodity: 'sugar',
            code: 'redemption',
            flags: 0,
          },
        ],
        { actor: systemActor, clock },
      );
    });
    expect(handedOver.map((result) => result.result)).toEqual(['created']);
    const open = await getCycleProgress(db, systemActor, cycle.id);
    expect(open).toEqual({
      cycle_id: cycle.id,
      status: 'open',
      households_entitled: 1,
      households_served: 1,
      areas: [
        {
          area_pcode: 'SY060000',
          name_ar: 'منطقة SY060000',
          name_en: 'Area SY060000',
          households_entitled: 1,
          households_served: 1,
          commodities: [
            { commodity: 'bread', entitled: 1, redeemed: 0 },
            { commodity: 'sugar', entitled: 2000, redeemed: 500 },
          ],
        },
      ],
      commodities: [
        { commodity: 'bread', entitled: 1, redeemed: 0 },
        { commodity: 'sugar', entitled: 2000, redeemed: 500 },
      ],
    });
    await closeCycle(storage(), systemActor, cycle.id, clock);
    const closed = await getCycleProgress(db, systemActor, cycle.id);
    expect(closed).toEqual({ ...open, status: 'closed' });
  });
});
