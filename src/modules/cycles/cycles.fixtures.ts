/**
 * Test-only builders for the programme, cycle and redemption suites: a small area tree,
 * commodities and bare households written straight to the tables (no registry validation),
 * so the suites can make thousands of households fast. Nothing in the app imports this file.
 */
import { randomUUID } from 'node:crypto';
import type { HouseholdStatus } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { testAreaPaths } from '../../domain/entitlement/rules.arbitraries.js';
import { randomCardNumber } from '../households/households.ids.js';

const createdAt = '2026-11-29T00:00:00.000Z';
const levels = ['governorate', 'district', 'subdistrict', 'community'] as const;

/** Inserts the areas of `testAreaPaths` ('/SY06/SY0600/SY060000/'...), once per database. */
export async function seedTestAreas(db: Executor): Promise<void> {
  const rows = testAreaPaths.map((path) => {
    const parts = path.split('/').filter(Boolean);
    const pcode = parts.at(-1) ?? '';
    return {
      pcode,
      parent_pcode: parts.length > 1 ? (parts.at(-2) ?? null) : null,
      level: levels[parts.length - 1] ?? 'community',
      kind: null,
      name_ar: `منطقة ${pcode}`,
      name_en: `Area ${pcode}`,
      latitude: null,
      longitude: null,
      path,
      created_at: createdAt,
    };
  });
  await db
    .insertInto('areas')
    .values(rows)
    .onConflict((conflict) => conflict.column('pcode').doNothing())
    .execute();
}

/** Inserts commodities with these codes (counted in g, shown in kg), skipping existing ones. */
export async function seedTestCommodities(db: Executor, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await db
    .insertInto('commodities')
    .values(
      codes.map((code) => ({
        code,
        name_ar: code,
        name_en: code,
        base_unit: 'g',
        display_unit: 'kg',
        display_scale: 1000,
        created_at: createdAt,
      })),
    )
    .onConflict((conflict) => conflict.column('code').doNothing())
    .execute();
}

export interface TestHousehold {
  id?: string;
  /** A household status ('active' when left out). */
  status?: string;
  household_size?: number;
  tags?: readonly string[];
  area_pcode?: string;
}

/** Inserts bare households (with their tags and a current card) and returns their ids in order. */
export async function insertTestHouseholds(
  db: Executor,
  households: readonly TestHousehold[],
): Promise<string[]> {
  const rows = households.map((household) => {
    const id = household.id ?? randomUUID();
    return {
      id,
      card_number: randomCardNumber(),
      head_given_name: 'محمد',
      head_father_name: 'أحمد',
      head_grandfather_name: null,
      head_family_name: 'الحسن',
      head_name_latin: null,
      full_name_normalized: 'محمد احمد الحسن',
      family_key: 'الحسن',
      given_father_key: 'محمد احمد',
      national_id: null,
      phone: null,
      household_size: household.household_size ?? 4,
      area_pcode: household.area_pcode ?? 'SY060000',
      subdistrict_pcode: household.area_pcode ?? 'SY060000',
      address: null,
      latitude: null,
      longitude: null,
      status: (household.status ?? 'active') as HouseholdStatus,
      status_reason: null,
      status_changed_on: null,
      merged_into: null,
      consent_date: null,
      consent_recorded_by: null,
      created_by: null,
      created_at: createdAt,
      updated_at: createdAt,
    };
  });
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('households')
      .values(rows.slice(start, start + 500))
      .execute();
  }
  const cards = rows.map((row) => ({
    card_number: row.card_number,
    household_id: row.id,
    issued_on: createdAt.slice(0, 10),
    revoked_at: null,
    revoked_reason: null,
  }));
  for (let start = 0; start < cards.length; start += 500) {
    await db
      .insertInto('cards')
      .values(cards.slice(start, start + 500))
      .execute();
  }
  const tags = households.flatMap((household, index) =>
    [...new Set(household.tags ?? [])].map((tag) => ({ household_id: rows[index]?.id ?? '', tag })),
  );
  for (let start = 0; start < tags.length; start += 500) {
    await db
      .insertInto('household_tags')
      .values(tags.slice(start, start + 500))
      .execute();
  }
  return rows.map((row) => row.id);
}

/** Inserts a service point in the area and returns its id. */
export async function insertTestServicePoint(
  db: Executor,
  areaPcode = 'SY060000',
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('service_points')
    .values({
      id,
      partner_id: null,
      name_ar: 'فرن',
      name_en: 'Bakery',
      area_pcode: areaPcode,
      created_at: createdAt,
    })
    .execute();
  return id;
}
