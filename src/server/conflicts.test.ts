import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/database.js';
import { seedTestAreas, testAreas } from '../modules/households/households.factories.js';
import type { AwnApp } from './app.js';

/** Racing creates answer exactly one success and the same 409 problem as the check, never a 500. */
describeEachDialect('racing creates answer 409, not 500', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  const racers = 8;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage());
    admin = await loginAs(app, storage(), 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  const race = (url: string, payload: () => unknown) =>
    Promise.all(
      Array.from({ length: racers }, () =>
        app.inject({ method: 'POST', url, headers: admin.headers, payload: payload() as object }),
      ),
    );

  it('the same commodity code', async () => {
    const answers = await race('/api/v1/commodities', () => ({
      code: 'raced_sugar',
      name_ar: 'سكر',
      name_en: 'Sugar',
      base_unit: 'g',
      display_unit: 'kg',
      display_scale: 1000,
    }));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      201,
      ...Array<number>(racers - 1).fill(409),
    ]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.json()).toMatchObject({ code: 'commodity-exists' });
    }
  });

  it('the same programme code', async () => {
    const answers = await race('/api/v1/programmes', () => ({
      code: 'raced-programme',
      name_ar: 'برنامج',
      name_en: 'Programme',
      rules: { items: [{ commodity: 'raced_sugar', per_person: 1000 }] },
    }));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      201,
      ...Array<number>(racers - 1).fill(409),
    ]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.json()).toMatchObject({ code: 'programme-exists' });
    }
  });

  it('concurrent imports of the same national ids', async () => {
    const rows = Array.from(
      { length: 50 },
      (_, index) => `سعيد,محمد,الحلبي,${40_000_000_000 + index},2,${testAreas.subdistrict}`,
    );
    const csv = [
      'head_given_name,head_father_name,head_family_name,national_id,household_size,area_pcode',
      ...rows,
    ].join('\n');
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/imports/households',
          headers: { ...admin.headers, 'content-type': 'text/csv' },
          payload: csv,
        }),
      ),
    );
    const committed = answers.filter(
      (answer) => answer.statusCode === 200 && answer.json<{ committed: boolean }>().committed,
    );
    expect(committed).toHaveLength(1);
    for (const answer of answers) {
      if (answer === committed[0]) continue;
      // Refused by the check (a row-level report) or, having lost the race, by the unique index.
      if (answer.statusCode === 200) {
        expect(answer.json()).toMatchObject({ committed: false });
      } else {
        expect(answer.statusCode).toBe(409);
        expect(answer.json()).toMatchObject({ code: 'duplicate-national-id' });
      }
    }
    const stored = await storage()
      .db.selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('national_id', 'like', '400000000%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(50);
  });
});
