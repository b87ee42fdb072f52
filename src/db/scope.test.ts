import { expect, it } from 'vitest';
import { seedScopeFixture } from '../../test/helpers/scope-fixture.js';
import { describeEachDialect } from '../../test/helpers/database.js';
import type { Scope } from '../domain/actor.js';
import { NotFoundError } from '../shared/errors.js';
import { assertAreaInScope, escapeLike, minimalPaths, whereAreaInScope } from './scope.js';

it('escapes LIKE metacharacters and keeps only the outermost paths', () => {
  expect(escapeLike('/T_1/100%\\')).toBe('/T\\_1/100\\%\\\\');
  expect(minimalPaths(['/TA/TA01/', '/TB/', '/TA/', '/TB/'])).toEqual(['/TA/', '/TB/']);
});

describeEachDialect('the scope filter', (storage) => {
  async function visiblePoints(scope: Scope): Promise<string[]> {
    await seedScopeFixture(storage());
    const count = await storage().db.selectFrom('service_points').select('id').execute();
    if (count.length === 0) {
      await storage()
        .db.insertInto('service_points')
        .values(
          ['TA', 'TA01', 'TA0101', 'TB', 'T_1', 'TX1'].map((pcode) => ({
            id: `point-${pcode}`,
            partner_id: null,
            name_ar: pcode,
            name_en: pcode,
            area_pcode: pcode,
            created_at: '2026-11-29T00:00:00.000Z',
          })),
        )
        .execute();
    }
    const rows = await whereAreaInScope(
      storage().db.selectFrom('service_points').select('id').orderBy('id'),
      scope,
      'service_points.area_pcode',
    ).execute();
    return rows.map((row) => row.id);
  }

  it('lets scope all see everything and an empty scope nothing', async () => {
    expect(await visiblePoints({ kind: 'all' })).toHaveLength(6);
    expect(await visiblePoints({ kind: 'areas', paths: [] })).toEqual([]);
  });

  it('matches an area and its whole subtree, and nothing beside it', async () => {
    expect(await visiblePoints({ kind: 'areas', paths: ['/TA/TA01/'] })).toEqual([
      'point-TA01',
      'point-TA0101',
    ]);
    expect(await visiblePoints({ kind: 'areas', paths: ['/TA/', '/TB/'] })).toEqual([
      'point-TA',
      'point-TA01',
      'point-TA0101',
      'point-TB',
    ]);
  });

  it('treats LIKE metacharacters and case in paths literally', async () => {
    expect(await visiblePoints({ kind: 'areas', paths: ['/T_1/'] })).toEqual(['point-T_1']);
    expect(await visiblePoints({ kind: 'areas', paths: ['/T%/'] })).toEqual([]);
    expect(await visiblePoints({ kind: 'areas', paths: ['/ta/'] })).toEqual([]);
  });

  it('filters updates too', async () => {
    await visiblePoints({ kind: 'all' });
    const result = await whereAreaInScope(
      storage().db.updateTable('service_points').set({ name_en: 'renamed' }),
      { kind: 'areas', paths: ['/TB/'] },
      'service_points.area_pcode',
    ).executeTakeFirst();
    expect(Number(result.numUpdatedRows)).toBe(1);
  });

  it('asserts one area is in scope, answering not found otherwise', async () => {
    await seedScopeFixture(storage());
    const scope: Scope = { kind: 'areas', paths: ['/TA/TA01/'] };
    await expect(assertAreaInScope(storage().db, scope, 'TA0101')).resolves.toBeUndefined();
    await expect(assertAreaInScope(storage().db, scope, 'TA', 'household')).rejects.toThrow(
      new NotFoundError('household'),
    );
    await expect(assertAreaInScope(storage().db, scope, 'NOPE')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(assertAreaInScope(storage().db, { kind: 'all' }, 'TX1')).resolves.toBeUndefined();
  });
});
