import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction } from '../../db/transaction.js';
import {
  buildHouseholdInput,
  seedTestAreas,
  testActor,
  testAreas,
} from './households.factories.js';
import { nameTokens } from '../../domain/text/arabic.js';
import { searchTokens, withoutArticle } from './households.names.js';
import { createHouseholds } from './households.registration.js';
import { searchByName, type HouseholdFilter } from './households.search.repository.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const given = ['محمد', 'محمود', 'أحمد', 'علي', 'عبد الله'];
const fathers = ['أحمد', 'محمد', 'حسن'];
const families = ['الخطيب', 'الحسن', 'محمد'];

/** Every plan (rare driver, common exact intersect, common prefix walk) must give one answer. */
describeEachDialect('household name search plans', (storage) => {
  const households: { id: string; tokens: string[] }[] = [];

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    const inputs = given.flatMap((first) =>
      fathers.flatMap((father) =>
        families.map((family) =>
          buildHouseholdInput({
            head_given_name: first,
            head_father_name: father,
            head_grandfather_name: null,
            head_family_name: family,
            area_pcode: testAreas.otherCommunity,
          }),
        ),
      ),
    );
    const results = await writeTransaction(storage(), (trx) =>
      createHouseholds(trx, testActor(), inputs, { clock }),
    );
    results.forEach((result, index) => {
      if (!result.ok) throw new Error('fixture household refused');
      const input = inputs[index] ?? {};
      households.push({
        id: result.id,
        tokens: nameTokens(
          `${String(input.head_given_name)} ${String(input.head_father_name)} ${String(input.head_family_name)}`,
        ).flatMap((token) => [token, withoutArticle(token)]),
      });
    });
  });

  function expected(query: string): string[] {
    const tokens = searchTokens(query);
    const exact = tokens.slice(0, -1);
    const prefix = tokens[tokens.length - 1] ?? '';
    return households
      .filter(
        (household) =>
          exact.every((token) => household.tokens.includes(token)) &&
          household.tokens.some((token) => token.startsWith(prefix)),
      )
      .map((household) => household.id)
      .sort();
  }

  async function search(
    query: string,
    commonTokenRows: number,
    listPrefixTokens: number,
    limit: number,
  ): Promise<string[]> {
    const tokens = searchTokens(query);
    const found: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const filter: HouseholdFilter = {
        scope: { kind: 'all' },
        limit,
        ...(afterId !== undefined ? { afterId } : {}),
      };
      const page = await searchByName(
        storage().db,
        { exact: tokens.slice(0, -1), prefix: tokens[tokens.length - 1] ?? null },
        filter,
        commonTokenRows,
        listPrefixTokens,
      );
      found.push(...page.slice(0, limit));
      if (page.length <= limit) return found;
      afterId = page[limit - 1];
    }
  }

  it.each([
    'محمد',
    'مح',
    'احمد محمد',
    'محمد احمد الخ',
    'عبدالله حسن',
    'عبد الله',
    'علي محمد محمد',
    'حسن',
    'خطيب',
    'الخطيب محمد',
    'محمد الخطيب',
    'محمد خطيب',
    'زكزك',
  ])('finds the same households for %s with every plan and page size', async (query) => {
    const want = expected(query);
    // 0 prefix tokens: never the token lists (PostgreSQL); 1: only for a prefix of one token.
    for (const listPrefixTokens of [0, 1, 32]) {
      for (const commonTokenRows of [1, 4, 2000]) {
        for (const limit of [2, 100]) {
          expect(
            await search(query, commonTokenRows, listPrefixTokens, limit),
            `${listPrefixTokens}/${commonTokenRows}/${limit}`,
          ).toEqual(want);
        }
      }
    }
  });
});
