/**
 * All SQL of the household registry. Bulk reads take lists (chunked under the parameter limits
 * of both dialects) and writes are multi-row inserts, so an import of many rows costs a few
 * statements per chunk rather than several per household. The name search is in
 * households.search.repository.ts.
 */
import type { Database, NewRow, Row } from '../../db/database.js';
import { pacedChunks } from '../../db/pacing.js';
import type { Executor } from '../../db/transaction.js';
import { areaInScope, type Scope } from '../../domain/actor.js';
import { blockingKeys, type BlockingKey } from '../../domain/matching/duplicates.js';

export type HouseholdRow = Row<'households'>;
export type MemberRow = Row<'household_members'>;

/** Keys per `in (...)` list: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
export const LIST_CHUNK = 500;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/** Rows per multi-row insert for a table of `columns` columns. */
function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns / 2));
}

async function insertMany<T extends keyof Database>(
  db: Executor,
  table: T,
  rows: readonly NewRow<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] ?? {}).length;
  for (const chunk of chunks(rows, rowsPerInsert(columns))) {
    // Kysely cannot relate a generic table to its row type; callers pass matching rows.
    await db
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}

export interface AreaInfo {
  pcode: string;
  parent_pcode: string | null;
  level: 'governorate' | 'district' | 'subdistrict' | 'community';
  path: string;
  name_ar: string;
  name_en: string;
}

/** The areas with these p-codes (unknown ones are absent). */
export async function findAreas(db: Executor, pcodes: readonly string[]): Promise<AreaInfo[]> {
  const result: AreaInfo[] = [];
  for await (const chunk of pacedChunks(db, [...new Set(pcodes)], LIST_CHUNK)) {
    result.push(
      ...(await db
        .selectFrom('areas')
        .select(['pcode', 'parent_pcode', 'level', 'path', 'name_ar', 'name_en'])
        .where('pcode', 'in', chunk)
        .execute()),
    );
  }
  return result;
}

/** Existing households holding any of these national ids. */
export async function findByNationalIds(
  db: Executor,
  nationalIds: readonly string[],
): Promise<{ id: string; national_id: string | null }[]> {
  const result: { id: string; national_id: string | null }[] = [];
  for await (const chunk of pacedChunks(db, [...new Set(nationalIds)], LIST_CHUNK)) {
    result.push(
      ...(await db
        .selectFrom('households')
        .select(['id', 'national_id'])
        .where('national_id', 'in', chunk)
        .execute()),
    );
  }
  return result;
}

/** Cards (current or revoked) with any of these numbers. */
export async function findCards(
  db: Executor,
  cardNumbers: readonly string[],
): Promise<Row<'cards'>[]> {
  const result: Row<'cards'>[] = [];
  for await (const chunk of pacedChunks(db, [...new Set(cardNumbers)], LIST_CHUNK)) {
    result.push(
      ...(await db.selectFrom('cards').selectAll().where('card_number', 'in', chunk).execute()),
    );
  }
  return result;
}

/** Households (not merged away) registered with any of these phones, oldest first. */
export async function findByPhones(
  db: Executor,
  phones: readonly string[],
): Promise<{ id: string; phone: string | null }[]> {
  const result: { id: string; phone: string | null }[] = [];
  for await (const chunk of pacedChunks(db, [...new Set(phones)], LIST_CHUNK)) {
    result.push(
      ...(await db
        .selectFrom('households')
        .select(['id', 'phone'])
        .where('phone', 'in', chunk)
        .where('status', '<>', 'merged')
        .orderBy('id')
        .execute()),
    );
  }
  return result;
}

export type DuplicateProbe = Pick<
  HouseholdRow,
  'id' | 'full_name_normalized' | 'household_size' | 'phone' | 'given_father_key'
> & { family_given_key: string | null; family_father_key: string | null };

/**
 * Households (not merged away) of one subdistrict that share a blocking key and a size with
 * the new ones, or share a phone. Every lookup is an equality on an index
 * (subdistrict, key, size), so the candidates stay few however common a name is.
 */
export async function findDuplicateProbes(
  db: Executor,
  subdistrictPcode: string,
  keys: readonly (Record<BlockingKey, string> & { household_size: number; phone: string | null })[],
): Promise<DuplicateProbe[]> {
  const columns = [
    'id',
    'full_name_normalized',
    'household_size',
    'phone',
    'given_father_key',
    'family_given_key',
    'family_father_key',
  ] as const;
  const found = new Map<string, DuplicateProbe>();
  // Grouped by size, so each lookup asks for exactly the (key, size) blocks of the new households.
  const bySize = new Map<number, (typeof keys)[number][]>();
  for (const key of keys) {
    const sized = bySize.get(key.household_size);
    if (sized) sized.push(key);
    else bySize.set(key.household_size, [key]);
  }
  for (const [size, sized] of bySize) {
    for (const column of blockingKeys) {
      for await (const chunk of pacedChunks(
        db,
        [...new Set(sized.map((key) => key[column]))],
        LIST_CHUNK,
      )) {
        for (const row of await db
          .selectFrom('households')
          .select(columns)
          .where('subdistrict_pcode', '=', subdistrictPcode)
          .where(column, 'in', chunk)
          .where('household_size', '=', size)
          .where('status', '<>', 'merged')
          .execute()) {
          found.set(row.id, row);
        }
      }
    }
  }
  const phones = [...new Set(keys.flatMap((key) => (key.phone === null ? [] : [key.phone])))];
  for await (const chunk of pacedChunks(db, phones, LIST_CHUNK)) {
    for (const row of await db
      .selectFrom('households')
      .select(columns)
      .where('phone', 'in', chunk)
      .where('subdistrict_pcode', '=', subdistrictPcode)
      .where('status', '<>', 'merged')
      .execute()) {
      found.set(row.id, row);
    }
  }
  return [...found.values()];
}

export interface NewHouseholdRecord {
  household: NewRow<'households'>;
  members: NewRow<'household_members'>[];
  tags: string[];
  tokens: string[];
  card: NewRow<'cards'>;
}

/** Inserts households with their members, tags, name tokens and first cards, in bulk. */
export async function insertHouseholds(
  db: Executor,
  records: readonly NewHouseholdRecord[],
): Promise<void> {
  await insertMany(
    db,
    'households',
    records.map((record) => record.household),
  );
  await insertMany(
    db,
    'cards',
    records.map((record) => record.card),
  );
  await insertMany(
    db,
    'household_members',
    records.flatMap((record) => record.members),
  );
  await insertMany(
    db,
    'household_tags',
    records.flatMap((record) =>
      record.tags.map((tag) => ({ household_id: record.household.id, tag })),
    ),
  );
  await insertMany(
    db,
    'household_name_tokens',
    records.flatMap((record) =>
      record.tokens.map((token) => ({ token, household_id: record.household.id })),
    ),
  );
}

export async function insertDuplicateCandidates(
  db: Executor,
  rows: readonly NewRow<'duplicate_candidates'>[],
): Promise<void> {
  await insertMany(db, 'duplicate_candidates', rows);
}

/** The household with its area's path, or undefined. */
export async function findHousehold(
  db: Executor,
  id: string,
): Promise<(HouseholdRow & { area_path: string }) | undefined> {
  return db
    .selectFrom('households')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .selectAll('households')
    .select('areas.path as area_path')
    .where('households.id', '=', id)
    .executeTakeFirst();
}

/** Households by id, with their area's names, in the order of `ids`. */
export async function findHouseholds(
  db: Executor,
  ids: readonly string[],
): Promise<(HouseholdRow & { area_path: string; area_name_ar: string; area_name_en: string })[]> {
  const byId = new Map<
    string,
    HouseholdRow & { area_path: string; area_name_ar: string; area_name_en: string }
  >();
  for await (const chunk of pacedChunks(db, ids, LIST_CHUNK)) {
    for (const row of await db
      .selectFrom('households')
      .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
      .selectAll('households')
      .select([
        'areas.path as area_path',
        'areas.name_ar as area_name_ar',
        'areas.name_en as area_name_en',
      ])
      .where('households.id', 'in', chunk)
      .execute()) {
      byId.set(row.id, row);
    }
  }
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

export async function findMembers(db: Executor, ids: readonly string[]): Promise<MemberRow[]> {
  const result: MemberRow[] = [];
  for await (const chunk of pacedChunks(db, ids, LIST_CHUNK)) {
    result.push(
      ...(await db
        .selectFrom('household_members')
        .selectAll()
        .where('household_id', 'in', chunk)
        .orderBy('household_id')
        .orderBy('position')
        .execute()),
    );
  }
  return result;
}

export async function findTags(
  db: Executor,
  ids: readonly string[],
): Promise<Row<'household_tags'>[]> {
  const result: Row<'household_tags'>[] = [];
  for await (const chunk of pacedChunks(db, ids, LIST_CHUNK)) {
    result.push(
      ...(await db
        .selectFrom('household_tags')
        .selectAll()
        .where('household_id', 'in', chunk)
        .orderBy('household_id')
        .orderBy('tag')
        .execute()),
    );
  }
  return result;
}

export async function updateHousehold(
  db: Executor,
  id: string,
  changes: Partial<Omit<HouseholdRow, 'id'>>,
): Promise<void> {
  await db.updateTable('households').set(changes).where('id', '=', id).execute();
}

export async function replaceTags(
  db: Executor,
  id: string,
  tags: readonly string[],
): Promise<void> {
  await db.deleteFrom('household_tags').where('household_id', '=', id).execute();
  await insertMany(
    db,
    'household_tags',
    tags.map((tag) => ({ household_id: id, tag })),
  );
}

export async function replaceMembers(
  db: Executor,
  id: string,
  members: readonly NewRow<'household_members'>[],
): Promise<void> {
  await db.deleteFrom('household_members').where('household_id', '=', id).execute();
  await insertMany(db, 'household_members', members);
}

export async function replaceTokens(
  db: Executor,
  id: string,
  tokens: readonly string[],
): Promise<void> {
  await db.deleteFrom('household_name_tokens').where('household_id', '=', id).execute();
  await insertMany(
    db,
    'household_name_tokens',
    tokens.map((token) => ({ token, household_id: id })),
  );
}

/** Which of these households lie in the scope (all of them for an unscoped actor). */
export async function householdsInScope(
  db: Executor,
  scope: Scope,
  ids: readonly string[],
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (scope.kind === 'all' || unique.length === 0) return new Set(unique);
  const visible = new Set<string>();
  for await (const chunk of pacedChunks(db, unique, LIST_CHUNK)) {
    const rows = await db
      .selectFrom('households')
      .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
      .select(['households.id as id', 'areas.path as path'])
      .where('households.id', 'in', chunk)
      .execute();
    for (const row of rows) if (areaInScope(scope, row.path)) visible.add(row.id);
  }
  return visible;
}
