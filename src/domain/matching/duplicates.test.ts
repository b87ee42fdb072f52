import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeArabic } from '../text/arabic.js';
import {
  blocksOf,
  compareHouseholds,
  findLikelyDuplicates,
  maxBlockComparisons,
  type Comparable,
} from './duplicates.js';

function household(
  id: string,
  name: string,
  size: number,
  phone: string | null = null,
): Comparable {
  const [given = '', father = '', family = ''] = normalizeArabic(name).split(' ');
  return {
    id,
    full_name_normalized: normalizeArabic(name),
    household_size: size,
    phone,
    given_father_key: `${given} ${father}`,
    family_given_key: `${family} ${given}`,
    family_father_key: `${family} ${father}`,
  };
}

describe('compareHouseholds', () => {
  it('flags close names with the same size, naming what matched', () => {
    const a = household('a', 'محمد أحمد الخطيب', 5);
    const b = household('b', 'محمد احمد الخطيب', 5);
    expect(compareHouseholds(a, b)).toEqual({ score: 1, reason: 'name+size' });
  });

  it('flags close names with the same phone though the sizes differ', () => {
    const a = household('a', 'محمد أحمد الخطيب', 5, '+963933123456');
    const b = household('b', 'محمد أحمد الخطيب', 6, '+963933123456');
    expect(compareHouseholds(a, b)?.reason).toBe('name+phone');
  });

  it('does not flag the same name with a different size and no shared phone', () => {
    const a = household('a', 'محمد أحمد الخطيب', 5);
    expect(compareHouseholds(a, household('b', 'محمد أحمد الخطيب', 6))).toBeNull();
  });

  it('does not flag different names of the same size', () => {
    const a = household('a', 'محمد أحمد الخطيب', 5);
    expect(compareHouseholds(a, household('b', 'علي حسن العمر', 5))).toBeNull();
  });

  it('is symmetric', () => {
    const names = fc.constantFrom('محمد أحمد الخطيب', 'محمود احمد الخطيب', 'علي حسن العمر');
    fc.assert(
      fc.property(names, names, fc.integer({ min: 1, max: 3 }), (x, y, size) => {
        const a = household('a', x, size);
        const b = household('b', y, size);
        expect(compareHouseholds(a, b)).toEqual(compareHouseholds(b, a));
      }),
    );
  });
});

describe('blocksOf', () => {
  it('puts a household in one block per key (with its size) and one for its phone', () => {
    const blocks = blocksOf(household('a', 'محمد أحمد الخطيب', 5, '+963933123456'));
    expect(blocks).toHaveLength(4);
    expect(blocks).toContain('phone|+963933123456');
    expect(blocks.filter((block) => block.includes('|5|'))).toHaveLength(3);
  });
});

describe('findLikelyDuplicates', () => {
  it('finds a registered household and an earlier one of the batch, each once', () => {
    const registered = [household('r1', 'محمد أحمد الخطيب', 5), household('r2', 'علي حسن', 5)];
    const incoming = [
      { household: household('n1', 'محمد احمد الخطيب', 5), index: 0 },
      { household: household('n2', 'سعيد عمر', 3), index: 1 },
      { household: household('n3', 'محمد أحمد الخطيب', 5), index: 2 },
    ];
    const found = findLikelyDuplicates(registered, incoming);
    expect(found.map((match) => [match.from, match.other_household_id, match.other_index])).toEqual(
      [
        [0, 'r1', undefined],
        [2, 'r1', undefined],
        [2, 'n1', 0],
      ],
    );
  });

  it('compares a new household with at most the latest households of a block', () => {
    const registered = Array.from({ length: maxBlockComparisons + 5 }, (_, index) =>
      household(`r${String(index).padStart(3, '0')}`, 'محمد أحمد الخطيب', 5),
    );
    const found = findLikelyDuplicates(registered, [
      { household: household('n', 'محمد أحمد الخطيب', 5), index: 0 },
    ]);
    expect(found).toHaveLength(maxBlockComparisons);
    expect(found.some((match) => match.other_household_id === 'r000')).toBe(false);
  });
});
