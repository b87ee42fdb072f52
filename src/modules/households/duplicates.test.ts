import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction } from '../../db/transaction.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { resolveCard } from '../cards/cards.service.js';
import {
  createAccounts,
  createTransfers,
  getAccounts,
  verifyLedger,
} from '../ledger/ledger.service.js';
import { listDuplicates, resolveDuplicate } from './duplicates.service.js';
import {
  buildHouseholdInput,
  scopedActor,
  seedTestAreas,
  testActor,
} from './households.factories.js';
import { createHousehold } from './households.create.js';
import { getHousehold } from './households.search.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const registrar = testActor('registrar');

describeEachDialect('duplicate review and merge', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
    await storage()
      .db.insertInto('commodities')
      .values(
        ['sugar', 'rice'].map((code) => ({
          code,
          name_ar: code,
          name_en: code,
          base_unit: 'g',
          display_unit: 'kg',
          display_scale: 1000,
          created_at: '2026-11-01T00:00:00.000Z',
        })),
      )
      .execute();
  });

  async function likelyPair(givenName: string) {
    const input = {
      head_given_name: givenName,
      head_father_name: 'محمود',
      head_grandfather_name: 'سعيد',
      head_family_name: 'الحسن',
      household_size: 3,
    };
    const first = await createHousehold(storage(), registrar, buildHouseholdInput(input), clock);
    const second = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ ...input, head_family_name: 'حسن' }),
      clock,
    );
    const candidateId = second.duplicate_candidates[0]?.id;
    if (!candidateId) throw new Error('no likely duplicate flagged');
    return { first, second, candidateId };
  }

  it('lists open candidates in scope with both households', async () => {
    const { first, second, candidateId } = await likelyPair('زياد');
    const page = await listDuplicates(storage(), registrar, { limit: 200 }, clock);
    expect(page.items).toContainEqual(
      expect.objectContaining({
        id: candidateId,
        household: expect.objectContaining({ id: second.id }),
        other_household: expect.objectContaining({ id: first.id }),
        status: 'open',
      }),
    );
    const elsewhere = scopedActor('registrar', '/SY06/SY0600/SY060100/');
    expect((await listDuplicates(storage(), elsewhere, { limit: 200 }, clock)).items).toEqual([]);
  });

  it('counts every candidate in scope, not only the page; count=only reads no names', async () => {
    await likelyPair('مازن');
    await likelyPair('ماهر');
    const reads = async () =>
      Number(
        (
          await storage()
            .db.selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number | string>().as('count'))
            .where('action', '=', 'read')
            .executeTakeFirstOrThrow()
        ).count,
      );
    const all = await listDuplicates(storage(), registrar, { limit: 200 }, clock);
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(2);

    const page = await listDuplicates(storage(), registrar, { limit: 1 }, clock);
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(all.total);

    const before = await reads();
    const counted = await listDuplicates(storage(), registrar, { count: 'only' }, clock);
    expect(counted).toEqual({ items: [], next_cursor: null, total: all.total });
    expect(await reads()).toBe(before);

    const elsewhere = scopedActor('registrar', '/SY06/SY0600/SY060100/');
    expect((await listDuplicates(storage(), elsewhere, { count: 'only' }, clock)).total).toBe(0);
    expect(
      (await listDuplicates(storage(), registrar, { status: 'merged', count: 'only' }, clock))
        .total,
    ).toBe(0);
  });

  it('merges: status merged with merged_into, old card revoked, balances carried by transfers', async () => {
    const { first: kept, second: merged, candidateId } = await likelyPair('أنور');
    const account = (id: string, owner: string, commodity: string, flags: number) => ({
      id,
      commodity,
      owner_kind: owner === 'programme' ? 'programme' : 'household',
      owner_id: owner,
      flags,
    });
    await writeTransaction(storage(), async (trx) => {
      const accounts = await createAccounts(trx, [
        account('allotment:p:sugar', 'programme', 'sugar', 0),
        account('allotment:p:rice', 'programme', 'rice', 0),
        account('delivered:sugar', 'programme', 'sugar', 0),
        account(`ent:c1:${merged.id}:sugar`, merged.id, 'sugar', 1),
        account(`ent:c1:${kept.id}:sugar`, kept.id, 'sugar', 1),
        account(`ent:c2:${merged.id}:rice`, merged.id, 'rice', 1),
      ]);
      expect(accounts.every((result) => result.result === 'created')).toBe(true);
      const transfers = await createTransfers(
        trx,
        [
          {
            id: 't1',
            debit_account_id: 'allotment:p:sugar',
            credit_account_id: `ent:c1:${merged.id}:sugar`,
            amount: 1000,
            code: 'entitlement_credit',
          },
          {
            id: 't2',
            debit_account_id: 'allotment:p:sugar',
            credit_account_id: `ent:c1:${kept.id}:sugar`,
            amount: 500,
            code: 'entitlement_credit',
          },
          {
            id: 't3',
            debit_account_id: 'allotment:p:rice',
            credit_account_id: `ent:c2:${merged.id}:rice`,
            amount: 3000,
            code: 'entitlement_credit',
          },
          {
            id: 't4',
            debit_account_id: `ent:c1:${merged.id}:sugar`,
            credit_account_id: 'delivered:sugar',
            amount: 200,
            code: 'redemption',
          },
        ],
        { actor: registrar, clock },
      );
      expect(transfers.map((result) => result.result)).toEqual([
        'created',
        'created',
        'created',
        'created',
      ]);
      await trx
        .insertInto('cycle_households')
        .values([
          { cycle_id: 'c1', household_id: merged.id, household_size: 3, batch: 1 },
          { cycle_id: 'c1', household_id: kept.id, household_size: 3, batch: 1 },
          { cycle_id: 'c2', household_id: merged.id, household_size: 3, batch: 1 },
        ])
        .execute();
    });

    await expect(
      resolveDuplicate(
        storage(),
        registrar,
        candidateId,
        { action: 'merge', keep: 'someone' },
        clock,
      ),
    ).rejects.toBeInstanceOf(ValidationError);

    const resolved = await resolveDuplicate(
      storage(),
      registrar,
      candidateId,
      { action: 'merge', keep: kept.id },
      clock,
    );
    expect(resolved.candidate).toMatchObject({ status: 'merged', kept_household_id: kept.id });
    expect(resolved.transfers).toEqual([
      {
        from_account_id: `ent:c1:${merged.id}:sugar`,
        to_account_id: `ent:c1:${kept.id}:sugar`,
        commodity: 'sugar',
        amount: 800,
      },
      {
        from_account_id: `ent:c2:${merged.id}:rice`,
        to_account_id: `ent:c2:${kept.id}:rice`,
        commodity: 'rice',
        amount: 3000,
      },
    ]);

    const balances = new Map(
      (
        await getAccounts(storage().db, [
          `ent:c1:${merged.id}:sugar`,
          `ent:c1:${kept.id}:sugar`,
          `ent:c2:${merged.id}:rice`,
          `ent:c2:${kept.id}:rice`,
        ])
      ).map((row) => [row.id, row.credits_posted - row.debits_posted]),
    );
    expect(Object.fromEntries(balances)).toEqual({
      [`ent:c1:${merged.id}:sugar`]: 0,
      [`ent:c1:${kept.id}:sugar`]: 1300,
      [`ent:c2:${merged.id}:rice`]: 0,
      [`ent:c2:${kept.id}:rice`]: 3000,
    });
    expect((await verifyLedger(storage().db)).ok).toBe(true);
    const membership = await storage()
      .db.selectFrom('cycle_households')
      .selectAll()
      .where('household_id', '=', kept.id)
      .orderBy('cycle_id')
      .execute();
    expect(membership.map((row) => row.cycle_id)).toEqual(['c1', 'c2']);

    const mergedNow = await getHousehold(storage(), registrar, merged.id, clock);
    expect(mergedNow).toMatchObject({ status: 'merged', merged_into: kept.id });
    expect(await resolveCard(storage().db, merged.card_number)).toEqual({
      ok: false,
      code: 'card-revoked',
    });
    expect((await resolveCard(storage().db, kept.card_number)).ok).toBe(true);

    const again = await resolveDuplicate(
      storage(),
      registrar,
      candidateId,
      { action: 'keep_both' },
      clock,
    ).catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(ConflictError);
  });

  it('merges a household without accounts with no transfers', async () => {
    const { first, candidateId } = await likelyPair('بسام');
    const resolved = await resolveDuplicate(
      storage(),
      registrar,
      candidateId,
      { action: 'merge', keep: first.id },
      clock,
    );
    expect(resolved).toMatchObject({ candidate: { status: 'merged' }, transfers: [] });
  });
});
