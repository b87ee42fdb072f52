/** Test factories for the registry: a small area tree, actors and household inputs. */
import type { Executor } from '../../db/transaction.js';
import type { Actor, Scope } from '../../domain/actor.js';
import type { Role } from '../../shared/roles.js';

export const testAreas = {
  governorate: 'SY06',
  district: 'SY0600',
  /** Lattakia city subdistrict with two neighbourhoods. */
  subdistrict: 'SY060000',
  community: 'SY06000001',
  neighbour: 'SY06000002',
  /** Another subdistrict of the same district. */
  otherSubdistrict: 'SY060100',
  otherCommunity: 'SY06010001',
} as const;

/** Inserts the test area tree unless it is there already. */
export async function seedTestAreas(db: Executor): Promise<void> {
  const existing = await db
    .selectFrom('areas')
    .select('pcode')
    .where('pcode', '=', testAreas.governorate)
    .executeTakeFirst();
  if (existing) return;
  const at = '2026-01-01T00:00:00.000Z';
  const area = (
    pcode: string,
    parent: string | null,
    level: 'governorate' | 'district' | 'subdistrict' | 'community',
    path: string,
    nameAr: string,
    nameEn: string,
  ) => ({
    pcode,
    parent_pcode: parent,
    level,
    kind: null,
    name_ar: nameAr,
    name_en: nameEn,
    latitude: null,
    longitude: null,
    path,
    created_at: at,
  });
  await db
    .insertInto('areas')
    .values([
      area('SY06', null, 'governorate', '/SY06/', 'اللاذقية', 'Lattakia'),
      area('SY0600', 'SY06', 'district', '/SY06/SY0600/', 'اللاذقية', 'Lattakia'),
      area(
        'SY060000',
        'SY0600',
        'subdistrict',
        '/SY06/SY0600/SY060000/',
        'مركز اللاذقية',
        'Lattakia Center',
      ),
      area(
        'SY06000001',
        'SY060000',
        'community',
        '/SY06/SY0600/SY060000/SY06000001/',
        'الصليبة',
        'Al-Sleibeh',
      ),
      area(
        'SY06000002',
        'SY060000',
        'community',
        '/SY06/SY0600/SY060000/SY06000002/',
        'الرمل الجنوبي',
        'South Ramel',
      ),
      area(
        'SY060100',
        'SY0600',
        'subdistrict',
        '/SY06/SY0600/SY060100/',
        'البهلولية',
        'Bahluliyeh',
      ),
      area(
        'SY06010001',
        'SY060100',
        'community',
        '/SY06/SY0600/SY060100/SY06010001/',
        'البهلولية',
        'Bahluliyeh',
      ),
    ])
    .execute();
}

export function testActor(role: Role = 'registrar', scope: Scope = { kind: 'all' }): Actor {
  return { kind: 'user', userId: `user-${role}`, role, scope, requestId: null };
}

/** The actor scoped to one area path, e.g. testAreas.otherSubdistrict. */
export function scopedActor(role: Role, pcodePath: string): Actor {
  return testActor(role, { kind: 'areas', paths: [pcodePath] });
}

let serial = 0;

/** Ten-plus-one digits unique per call: a valid Syrian national id. */
export function uniqueNationalId(): string {
  serial += 1;
  return `9${String(Date.now() % 1_000_000).padStart(6, '0')}${String(serial).padStart(4, '0')}`.slice(
    0,
    11,
  );
}

/**
 * A household input with unique identifiers; override any field. Its names are all alike, so
 * it says to save anyway when likely duplicates are found (pass `confirm_not_duplicate:
 * undefined` to see the 409 `likely-duplicate`); bulk registration ignores these two fields.
 */
export function buildHouseholdInput(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    confirm_not_duplicate: true,
    duplicate_reason: 'test fixture',
    head_given_name: 'محمد',
    head_father_name: 'أحمد',
    head_grandfather_name: 'علي',
    head_family_name: 'الخطيب',
    national_id: uniqueNationalId(),
    household_size: 4,
    area_pcode: testAreas.community,
    address: 'حي الصليبة',
    tags: ['elderly'],
    ...overrides,
  };
}
