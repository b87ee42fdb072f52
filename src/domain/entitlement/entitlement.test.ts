import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entitlementFor, isEligible, itemQuantity, type HouseholdFacts } from './entitlement.js';
import { householdArbitrary, rulesArbitrary } from './rules.arbitraries.js';
import { checkRules, type ProgrammeRules } from './rules.js';

const household = (overrides: Partial<HouseholdFacts> = {}): HouseholdFacts => ({
  status: 'active',
  household_size: 4,
  tags: [],
  area_path: '/SY06/SY0600/SY060000/',
  ...overrides,
});

const exampleRules: ProgrammeRules = {
  eligibility: { tags_none: ['wounded'] },
  items: [
    { commodity: 'sugar', per_person: 1000, min: 1000, max: 5000 },
    {
      commodity: 'bread',
      tiers: [{ size_max: 3, quantity: 1 }, { size_max: 6, quantity: 2 }, { quantity: 3 }],
    },
  ],
};

describe('entitlementFor: the issue example', () => {
  it.each([
    [1, 1000, 1],
    [3, 3000, 1],
    [4, 4000, 2],
    [6, 5000, 2],
    [7, 5000, 3],
    [12, 5000, 3],
  ])('a household of %i gets %i g sugar and %i bundles of bread', (size, sugar, bread) => {
    expect(entitlementFor(household({ household_size: size }), exampleRules)).toEqual([
      { commodity: 'sugar', quantity: sugar },
      { commodity: 'bread', quantity: bread },
    ]);
  });

  it('gives nothing to a household that is not active by default', () => {
    expect(entitlementFor(household({ status: 'suspended' }), exampleRules)).toEqual([]);
  });

  it('gives nothing to a household with an excluded tag', () => {
    expect(entitlementFor(household({ tags: ['wounded'] }), exampleRules)).toEqual([]);
  });

  it('leaves out items whose quantity is zero', () => {
    const rules: ProgrammeRules = {
      items: [{ commodity: 'gas', tiers: [{ size_max: 2, quantity: 0 }, { quantity: 1 }] }],
    };
    expect(entitlementFor(household({ household_size: 2 }), rules)).toEqual([]);
    expect(entitlementFor(household({ household_size: 3 }), rules)).toEqual([
      { commodity: 'gas', quantity: 1 },
    ]);
  });
});

describe('isEligible', () => {
  it('matches areas at or beneath a listed p-code, not by text prefix', () => {
    const facts = household({ area_path: '/SY06/SY0600/SY060000/' });
    expect(isEligible(facts, { area_pcodes: ['SY0600'] })).toBe(true);
    expect(isEligible(facts, { area_pcodes: ['SY060000'] })).toBe(true);
    expect(isEligible(facts, { area_pcodes: ['SY060'] })).toBe(false);
    expect(isEligible(facts, { area_pcodes: ['SY0601'] })).toBe(false);
  });

  it('applies tags_any, tags_all and tags_none together', () => {
    const facts = household({ tags: ['elderly', 'displaced'] });
    expect(isEligible(facts, { tags_any: ['orphans', 'elderly'] })).toBe(true);
    expect(isEligible(facts, { tags_any: ['orphans'] })).toBe(false);
    expect(isEligible(facts, { tags_all: ['elderly', 'displaced'] })).toBe(true);
    expect(isEligible(facts, { tags_all: ['elderly', 'orphans'] })).toBe(false);
    expect(isEligible(facts, { tags_none: ['displaced'] })).toBe(false);
  });

  it('accepts the listed statuses only', () => {
    expect(isEligible(household({ status: 'moved' }), { statuses: ['active', 'moved'] })).toBe(
      true,
    );
    expect(isEligible(household({ status: 'active' }), { statuses: ['moved'] })).toBe(false);
  });
});

describe('checkRules', () => {
  it('accepts the issue example', () => {
    expect(checkRules(exampleRules)).toEqual([]);
  });

  it.each([
    [
      'tiers out of order',
      {
        commodity: 'bread',
        tiers: [{ size_max: 6, quantity: 2 }, { size_max: 3, quantity: 1 }, { quantity: 3 }],
      },
      '/items/0/tiers/1/size_max',
    ],
    [
      'a closed last tier',
      { commodity: 'bread', tiers: [{ size_max: 3, quantity: 1 }] },
      '/items/0/tiers/0/size_max',
    ],
    [
      'an open tier before the last',
      { commodity: 'bread', tiers: [{ quantity: 1 }, { quantity: 2 }] },
      '/items/0/tiers/0/size_max',
    ],
    ['no tiers', { commodity: 'bread', tiers: [] }, '/items/0/tiers'],
    ['min above max', { commodity: 'sugar', per_person: 1, min: 5, max: 4 }, '/items/0/min'],
    ['both shapes', { commodity: 'sugar', per_person: 1, tiers: [{ quantity: 1 }] }, '/items/0'],
    ['neither shape', { commodity: 'sugar' }, '/items/0'],
    ['min on tiers', { commodity: 'sugar', min: 1, tiers: [{ quantity: 1 }] }, '/items/0'],
    ['a fractional quantity', { commodity: 'sugar', per_person: 1.5 }, '/items/0/per_person'],
  ])('refuses %s', (_case, item, path) => {
    const issues = checkRules({ items: [item] });
    expect(issues.map((issue) => issue.path)).toContain(path);
  });

  it('refuses a commodity named twice', () => {
    const issues = checkRules({
      items: [
        { commodity: 'sugar', per_person: 1 },
        { commodity: 'sugar', per_person: 2 },
      ],
    });
    expect(issues).toEqual([{ path: '/items/1/commodity', message: 'appears more than once' }]);
  });

  it('refuses rules without items', () => {
    expect(checkRules({ items: [] })).toHaveLength(1);
  });
});

describe('entitlement properties', () => {
  it('every generated rule set is sound', () => {
    fc.assert(fc.property(rulesArbitrary, (rules) => checkRules(rules).length === 0));
  });

  it('an ineligible household gets nothing; an eligible one gets positive quantities in rule order', () => {
    fc.assert(
      fc.property(householdArbitrary, rulesArbitrary, (facts, rules) => {
        const lines = entitlementFor(facts, rules);
        if (!isEligible(facts, rules.eligibility)) return lines.length === 0;
        const order = rules.items.map((item) => item.commodity);
        const positions = lines.map((line) => order.indexOf(line.commodity));
        return (
          lines.every((line) => Number.isSafeInteger(line.quantity) && line.quantity > 0) &&
          positions.every(
            (position, index) =>
              position >= 0 && (index === 0 || position > (positions[index - 1] ?? -1)),
          )
        );
      }),
    );
  });

  it('per_person is size times the rate, clamped to [min, max]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 1, max: 30 }),
        (perPerson, a, b, size) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const quantity = itemQuantity({ commodity: 'x', per_person: perPerson, min, max }, size);
          const raw = perPerson * size;
          return quantity >= min && quantity <= max && (raw < min || raw > max || quantity === raw);
        },
      ),
    );
  });

  it('tiers give the first tier whose size_max covers the size, the open last tier otherwise', () => {
    fc.assert(
      fc.property(rulesArbitrary, fc.integer({ min: 1, max: 20 }), (rules, size) =>
        rules.items.every((item) => {
          if (!item.tiers) return true;
          const quantity = itemQuantity(item, size);
          const index = item.tiers.findIndex(
            (tier) => tier.size_max === undefined || size <= tier.size_max,
          );
          const chosen = item.tiers[index];
          const earlier = item.tiers.slice(0, index);
          return (
            chosen !== undefined &&
            quantity === chosen.quantity &&
            earlier.every((tier) => tier.size_max !== undefined && tier.size_max < size)
          );
        }),
      ),
    );
  });

  it('per_person without caps grows with household size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 29 }),
        (rate, size) =>
          itemQuantity({ commodity: 'x', per_person: rate }, size + 1) >
          itemQuantity({ commodity: 'x', per_person: rate }, size),
      ),
    );
  });
});
