import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { entitlementFor } from '../../domain/entitlement/entitlement.js';
import {
  householdArbitrary,
  rulesArbitrary,
  testAreaPaths,
} from '../../domain/entitlement/rules.arbitraries.js';
import type { ProgrammeRules } from '../../domain/entitlement/rules.js';
import { insertTestHouseholds, seedTestAreas } from '../cycles/cycles.fixtures.js';
import { previewTotals } from './programmes.repository.js';
import { selectionSql } from './programmes.rules-sql.js';
import { itemQuantitySql } from './programmes.rules-sql.js';

const pathByPcode = new Map(testAreaPaths.map((path) => [path.split('/').at(-2) ?? '', path]));

describeEachDialect('programme rules compiled to SQL', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  async function sqlEntitlements(rules: ProgrammeRules) {
    const size = sql.ref<number>('h.household_size');
    const rows = await storage()
      .db.selectFrom('households as h')
      .select((eb) => [
        'h.id',
        ...rules.items.map((item, index) => itemQuantitySql(item, size).as(`q_${index}`)),
        eb.val(1).as('one'),
      ])
      .where(selectionSql({ rules, ruleAreaPaths: pathByPcode, scope: { kind: 'all' } }))
      .execute();
    return new Map(
      rows.map((row) => {
        const values = row as Record<string, unknown>;
        const lines = rules.items
          .map((item, index) => ({
            commodity: item.commodity,
            quantity: Number(values[`q_${index}`]),
          }))
          .filter((line) => line.quantity > 0);
        return [String(values.id), lines];
      }),
    );
  }

  it('agrees with entitlementFor household by household, and in the preview totals', async () => {
    await fc.assert(
      fc.asyncProperty(
        rulesArbitrary,
        fc.array(householdArbitrary, { minLength: 1, maxLength: 12 }),
        async (rules, households) => {
          const db = storage().db;
          await db.deleteFrom('household_tags').execute();
          await db.deleteFrom('cards').execute();
          await db.deleteFrom('households').execute();
          const ids = await insertTestHouseholds(
            db,
            households.map((household) => ({
              ...household,
              area_pcode: household.area_path.split('/').at(-2) ?? '',
            })),
          );
          const fromSql = await sqlEntitlements(rules);
          const expectedTotals = rules.items.map(() => 0);
          let eligible = 0;
          households.forEach((household, index) => {
            const expected = entitlementFor(household, rules);
            const actual = fromSql.get(ids[index] ?? '');
            const isEligibleHere = actual !== undefined;
            // SQL returns eligible households even with nothing to hand out; the pure function
            // returns no lines for them, exactly like the SQL lines filtered to positive ones.
            expect(actual ?? []).toEqual(expected);
            if (isEligibleHere) {
              eligible += 1;
              for (const line of expected) {
                const position = rules.items.findIndex((item) => item.commodity === line.commodity);
                expectedTotals[position] = (expectedTotals[position] ?? 0) + line.quantity;
              }
            }
          });
          const preview = await previewTotals(db, {
            rules,
            ruleAreaPaths: pathByPcode,
            scope: { kind: 'all' },
          });
          expect(preview).toEqual({ households: eligible, totals: expectedTotals });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('narrows to areas and to the scope', async () => {
    const db = storage().db;
    await db.deleteFrom('household_tags').execute();
    await db.deleteFrom('cards').execute();
    await db.deleteFrom('households').execute();
    await insertTestHouseholds(db, [
      { area_pcode: 'SY060000', household_size: 2 },
      { area_pcode: 'SY060001', household_size: 5 },
      { area_pcode: 'SY060100', household_size: 9 },
    ]);
    const rules: ProgrammeRules = { items: [{ commodity: 'sugar', per_person: 1000, max: 5000 }] };
    const base = { rules, ruleAreaPaths: pathByPcode };
    expect(await previewTotals(db, { ...base, scope: { kind: 'all' } })).toEqual({
      households: 3,
      totals: [12000],
    });
    expect(
      await previewTotals(db, { ...base, scope: { kind: 'all' }, withinPaths: ['/SY06/SY0600/'] }),
    ).toEqual({ households: 2, totals: [7000] });
    expect(
      await previewTotals(db, { ...base, scope: { kind: 'areas', paths: ['/SY06/SY0601/'] } }),
    ).toEqual({ households: 1, totals: [5000] });
    expect(await previewTotals(db, { ...base, scope: { kind: 'areas', paths: [] } })).toEqual({
      households: 0,
      totals: [0],
    });
  });
});
