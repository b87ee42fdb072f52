/**
 * A small geography for scope tests, in p-codes no real country uses:
 *   TA > TA01 > TA0101,  TB > TB01 > TB0101,  T_1 and TX1 (which an unescaped LIKE '/T_1/%'
 *   would confuse);
 * org units: branch (covers TB) > section (covers TA0101); other (covers TX1).
 */
import type { Storage } from '../../src/db/connect.js';

export const fixtureAreas = [
  { pcode: 'TA', parent_pcode: null, level: 'governorate', path: '/TA/' },
  { pcode: 'TA01', parent_pcode: 'TA', level: 'district', path: '/TA/TA01/' },
  { pcode: 'TA0101', parent_pcode: 'TA01', level: 'subdistrict', path: '/TA/TA01/TA0101/' },
  { pcode: 'TB', parent_pcode: null, level: 'governorate', path: '/TB/' },
  { pcode: 'TB01', parent_pcode: 'TB', level: 'district', path: '/TB/TB01/' },
  { pcode: 'TB0101', parent_pcode: 'TB01', level: 'subdistrict', path: '/TB/TB01/TB0101/' },
  { pcode: 'T_1', parent_pcode: null, level: 'governorate', path: '/T_1/' },
  { pcode: 'TX1', parent_pcode: null, level: 'governorate', path: '/TX1/' },
] as const;

/** Inserts the areas and org units above (once per database). */
export async function seedScopeFixture(storage: Storage): Promise<void> {
  const created_at = '2026-11-29T00:00:00.000Z';
  const existing = await storage.db
    .selectFrom('areas')
    .select('pcode')
    .where('pcode', '=', 'TA')
    .executeTakeFirst();
  if (existing) return;
  await storage.db
    .insertInto('areas')
    .values(
      fixtureAreas.map((area) => ({
        ...area,
        kind: null,
        name_ar: `منطقة ${area.pcode}`,
        name_en: `Area ${area.pcode}`,
        latitude: null,
        longitude: null,
        created_at,
      })),
    )
    .execute();
  const unit = (
    id: string,
    parent_id: string | null,
    kind: 'branch' | 'section',
    path: string,
  ) => ({
    id,
    parent_id,
    kind,
    name_ar: id,
    name_en: id,
    path,
    created_at,
  });
  await storage.db
    .insertInto('org_units')
    .values([
      unit('fixture-branch', null, 'branch', '/fixture-branch/'),
      unit('fixture-section', 'fixture-branch', 'section', '/fixture-branch/fixture-section/'),
      unit('fixture-other', null, 'branch', '/fixture-other/'),
    ])
    .execute();
  await storage.db
    .insertInto('org_unit_areas')
    .values([
      { org_unit_id: 'fixture-branch', area_pcode: 'TB' },
      { org_unit_id: 'fixture-section', area_pcode: 'TA0101' },
      { org_unit_id: 'fixture-other', area_pcode: 'TX1' },
    ])
    .execute();
}
