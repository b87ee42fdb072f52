/**
 * fast-check generators of sound programme rules and of households, shared by the pure
 * property tests and the SQL-agrees-with-pure tests. Test-only: nothing in the app imports it.
 */
import fc from 'fast-check';
import { householdStatuses, type ItemRule, type ProgrammeRules, type Tier } from './rules.js';
import type { HouseholdFacts } from './entitlement.js';

export const testTags = ['elderly', 'disability', 'displaced', 'orphans'] as const;
export const testCommodities = ['sugar', 'bread', 'rice', 'oil'] as const;
/** Area paths of a tiny tree: one governorate, two districts, three communities. */
export const testAreaPaths = [
  '/SY06/',
  '/SY06/SY0600/',
  '/SY06/SY0600/SY060000/',
  '/SY06/SY0600/SY060001/',
  '/SY06/SY0601/',
  '/SY06/SY0601/SY060100/',
] as const;
export const testAreaPcodes = testAreaPaths.map((path) => path.split('/').at(-2) ?? '');

const tiersArbitrary: fc.Arbitrary<Tier[]> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 4 }),
    fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 5, maxLength: 5 }),
  )
  .map(([sizes, quantities]) => {
    const sorted = [...sizes].sort((a, b) => a - b);
    const tiers: Tier[] = sorted.map((size_max, index) => ({
      size_max,
      quantity: quantities[index] ?? 0,
    }));
    tiers.push({ quantity: quantities[4] ?? 0 });
    return tiers;
  });

const perPersonArbitrary = fc
  .record(
    {
      per_person: fc.integer({ min: 1, max: 2000 }),
      min: fc.integer({ min: 0, max: 6000 }),
      max: fc.integer({ min: 0, max: 20000 }),
    },
    { requiredKeys: ['per_person'] },
  )
  .map((rule) =>
    rule.min !== undefined && rule.max !== undefined && rule.min > rule.max
      ? { ...rule, min: rule.max, max: rule.min }
      : rule,
  );

function itemArbitrary(commodity: string): fc.Arbitrary<ItemRule> {
  return fc.oneof(
    tiersArbitrary.map((tiers) => ({ commodity, tiers })),
    perPersonArbitrary.map((rule) => ({ commodity, ...rule })),
  );
}

const tagSubset = fc.subarray([...testTags], { minLength: 1 });

/** Sound rules over the test commodities, tags and areas. */
export const rulesArbitrary: fc.Arbitrary<ProgrammeRules> = fc
  .record({
    commodities: fc.subarray([...testCommodities], { minLength: 1 }),
    eligibility: fc.record(
      {
        statuses: fc.subarray([...householdStatuses], { minLength: 1 }),
        tags_any: tagSubset,
        tags_all: tagSubset,
        tags_none: tagSubset,
        area_pcodes: fc.subarray(testAreaPcodes, { minLength: 1 }),
      },
      { requiredKeys: [] },
    ),
  })
  .chain(({ commodities, eligibility }) =>
    fc
      .tuple(...commodities.map((commodity) => itemArbitrary(commodity)))
      .map((items) => ({ eligibility, items })),
  );

export const householdArbitrary: fc.Arbitrary<HouseholdFacts> = fc.record({
  status: fc.constantFrom(...householdStatuses),
  household_size: fc.integer({ min: 1, max: 15 }),
  tags: fc.subarray([...testTags]),
  area_path: fc.constantFrom(...testAreaPaths),
});
