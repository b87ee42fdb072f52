/**
 * Generated Lattakia households for the benchmarks that need a large registry (search, cycle
 * opening, redemption): raw inputs as a registrar would type them (AKhateeb Arabic name lists
 * from data/names/, MIT, see data/names/SOURCE.md; local phone numbers; subdistricts SY06xxxx),
 * from a seeded generator so every run builds the same registry.
 *
 * `loadHouseholds` writes them the fastest way that still stores exactly the module's rows:
 * - the first `moduleRows` inputs go through the households module's own bulk create
 *   (`createHouseholds`: validation, card numbers, duplicate flags, audit events);
 * - the rest are turned into the same records by the fast path below and inserted set-based:
 *   one `INSERT ... SELECT` per table per batch from a JSON array (SQLite `json_each`,
 *   PostgreSQL `json_populate_recordset`), which skips the per-household work the search does not
 *   read (duplicate detection, card-number collision queries, audit events); with
 *   `deferIndexes`, the registry tables' secondary indexes are dropped for the load and built
 *   again from their own stored definitions after it, and SQLite gets a 1 GiB page cache for
 *   the load only.
 * The fast path is checked, not trusted: the module-created rows are compared column by column
 * with the fast path's records for the same inputs, and every 64th household of the fast path is
 * recomputed through `validateHouseholdInput` + `nameKeys`; any difference stops the benchmark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Storage } from '../src/db/connect.js';
import type { NewRow } from '../src/db/database.js';
import { writeTransaction, type Executor } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import { checkCardNumber } from '../src/domain/identity/card-number.js';
import { nameTokens, normalizeArabic } from '../src/domain/text/arabic.js';
import { defaultHouseholdConfig } from '../src/modules/households/households.config.js';
import { nameKeys, type NameKeys } from '../src/modules/households/households.names.js';
import type { NewHouseholdRecord } from '../src/modules/households/households.repository.js';
import { createHouseholds } from '../src/modules/households/households.registration.js';
import {
  validateHouseholdInput,
  type ValidHousehold,
} from '../src/modules/households/households.validation.js';
import type { Clock } from '../src/shared/clock.js';

const namesDirectory = fileURLToPath(new URL('../data/names/akhateeb/', import.meta.url));

function readNames(file: string): string[] {
  return readFileSync(join(namesDirectory, file), 'utf8')
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The three AKhateeb lists, read once. */
export const nameLists = {
  male: readNames('male-first--names-in-arabic.txt'),
  female: readNames('female-first-names-in-arabic.txt'),
  family: readNames('last-names-in-arabic.txt'),
};

/** mulberry32: a small seeded generator returning integers in [0, below). */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const occasionalTags = ['elderly', 'disability', 'chronic_illness', 'displaced', 'orphans'];

/** A household as typed into the registry (the shape `createHouseholds` accepts). */
export interface GeneratedInput {
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  national_id: string | null;
  /** Local form, e.g. 0933123456. */
  phone: string | null;
  household_size: number;
  area_pcode: string;
  tags: string[];
}

/**
 * The `index`-th generated household (deterministic per seed): a fifth female-headed, two
 * thirds with a grandfather's name, nine tenths with a unique national id, three quarters with
 * a mobile phone, sizes 1-9, spread evenly over the subdistricts.
 */
export function generateInputs(
  count: number,
  subdistricts: readonly string[],
  seed = 20_200_329,
): GeneratedInput[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;
  const inputs: GeneratedInput[] = new Array<GeneratedInput>(count);
  for (let index = 0; index < count; index += 1) {
    const femaleHeaded = random(5) === 0;
    const tags = femaleHeaded ? ['female_headed'] : [];
    if (random(6) === 0) tags.push(pick(occasionalTags));
    inputs[index] = {
      head_given_name: pick(femaleHeaded ? nameLists.female : nameLists.male),
      head_father_name: pick(nameLists.male),
      head_grandfather_name: random(3) === 0 ? null : pick(nameLists.male),
      head_family_name: pick(nameLists.family),
      national_id: random(10) === 0 ? null : String(10_000_000_000 + index * 7919),
      phone: random(4) === 0 ? null : `09${String(30_000_000 + random(69_999_999))}`,
      household_size: 1 + random(9),
      area_pcode: pick(subdistricts),
      tags: [...new Set(tags)].sort(),
    };
  }
  return inputs;
}

// ---- The fast path: the module's records without the module's per-household queries ----------

interface PartKeys {
  normalized: string;
  /** The search tokens the module stores for this name (nameKeys' tokens of it alone). */
  tokens: string[];
  /** The name as a blocking-key part (given/father), and as a family key. */
  compact: string;
  family: string;
  /** True when the name normalises the same alone and between other words (no compound joins). */
  composable: boolean;
}

/** A Latin word no Arabic name list holds: neutral company for a name in the module's functions. */
const probe = 'qqprobe';
const partCache = new Map<string, PartKeys>();

/**
 * Per-name keys, taken from the module's own `nameKeys` on a household whose other names are
 * the probe, so they follow whatever the module derives from a name.
 */
function partKeys(name: string): PartKeys {
  let keys = partCache.get(name);
  if (keys) return keys;
  const normalized = normalizeArabic(name);
  const asGiven = nameKeys({
    head_given_name: name,
    head_father_name: probe,
    head_grandfather_name: null,
    head_family_name: probe,
    head_name_latin: null,
  });
  const asFamily = nameKeys({
    head_given_name: probe,
    head_father_name: probe,
    head_grandfather_name: null,
    head_family_name: name,
    head_name_latin: null,
  });
  const tokens = nameTokens(name);
  const between = nameTokens(`${probe} ${name} ${probe}`);
  const composable =
    tokens.join(' ') === normalized &&
    normalizeArabic(`${probe} ${name} ${probe}`) === `${probe} ${normalized} ${probe}` &&
    between.length === tokens.length + 2 &&
    tokens.every((token, index) => between[index + 1] === token);
  keys = {
    normalized,
    tokens: asGiven.tokens.filter((token) => token !== probe),
    compact: asGiven.given_father_key.slice(0, -(probe.length + 1)),
    family: asFamily.family_key,
    composable,
  };
  partCache.set(name, keys);
  return keys;
}

/** `nameKeys` of the household, composed from cached per-name keys when that is exact. */
function fastNameKeys(value: GeneratedInput): NameKeys {
  const parts = [
    value.head_given_name,
    value.head_father_name,
    value.head_grandfather_name,
    value.head_family_name,
  ].flatMap((name) => (name === null ? [] : [partKeys(name)]));
  if (!parts.every((part) => part.composable)) {
    return nameKeys({ ...value, head_name_latin: null });
  }
  const given = partKeys(value.head_given_name);
  const father = partKeys(value.head_father_name);
  const family = partKeys(value.head_family_name);
  return {
    full_name_normalized: parts.map((part) => part.normalized).join(' '),
    family_key: family.family,
    given_father_key: `${given.compact} ${father.compact}`,
    family_given_key: `${family.family} ${given.compact}`,
    family_father_key: `${family.family} ${father.compact}`,
    tokens: [...new Set(parts.flatMap((part) => part.tokens))],
  };
}

/** A card number with valid MOD 97-10 check digits for a 10-digit serial (as makeCardNumber). */
function cardNumberOf(serial: number): string {
  const body = String(serial).padStart(10, '0');
  return `${body}${String(98 - ((serial * 100) % 97)).padStart(2, '0')}`;
}

/** UUIDv7 text (48-bit milliseconds, a 12-bit counter, random tail), like newTimeOrderedId. */
function timeOrderedIdAt(millis: number, counter: number, random: (below: number) => number) {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
  const time = hex(millis, 12);
  const tail = `${hex(random(0x10000), 4)}${hex(random(0x10000), 4)}${hex(random(0x10000), 4)}`;
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${hex(0x8000 | random(0x4000), 4)}-${tail}`;
}

/** The validated value the module would store for a generated input. */
function validValue(input: GeneratedInput): ValidHousehold {
  return {
    card_number: null,
    head_given_name: input.head_given_name,
    head_father_name: input.head_father_name,
    head_grandfather_name: input.head_grandfather_name,
    head_family_name: input.head_family_name,
    head_name_latin: null,
    national_id: input.national_id,
    phone: input.phone === null ? null : `+963${input.phone.slice(1)}`,
    household_size: input.household_size,
    area_pcode: input.area_pcode,
    address: null,
    tags: input.tags,
    members: [],
    latitude: null,
    longitude: null,
    consent_date: null,
  };
}

/** The record `createHouseholds` writes for the input (subdistricts are their own subdistrict). */
function toRecord(
  input: GeneratedInput,
  id: string,
  cardNumber: string,
  keys: NameKeys,
  now: string,
): NewHouseholdRecord {
  const value = validValue(input);
  return {
    household: {
      id,
      card_number: cardNumber,
      head_given_name: value.head_given_name,
      head_father_name: value.head_father_name,
      head_grandfather_name: value.head_grandfather_name,
      head_family_name: value.head_family_name,
      head_name_latin: null,
      full_name_normalized: keys.full_name_normalized,
      family_key: keys.family_key,
      given_father_key: keys.given_father_key,
      family_given_key: keys.family_given_key,
      family_father_key: keys.family_father_key,
      national_id: value.national_id,
      phone: value.phone,
      household_size: value.household_size,
      area_pcode: value.area_pcode,
      subdistrict_pcode: value.area_pcode,
      address: null,
      latitude: null,
      longitude: null,
      status: 'active',
      status_reason: null,
      status_changed_on: null,
      merged_into: null,
      consent_date: null,
      consent_recorded_by: null,
      created_by: systemActor.userId,
      created_at: now,
      updated_at: now,
    },
    members: [],
    tags: value.tags,
    tokens: keys.tokens,
    card: {
      card_number: cardNumber,
      household_id: id,
      issued_on: now.slice(0, 10),
      revoked_at: null,
      revoked_reason: null,
    },
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Stops the benchmark when the fast path's value or keys differ from the module's. */
function assertLikeModule(input: GeneratedInput, keys: NameKeys, subdistrictPaths: Paths): void {
  const checked = validateHouseholdInput(input as unknown as Record<string, unknown>, {
    ...defaultHouseholdConfig,
    areas: subdistrictPaths,
  });
  if (checked.value === null || !sameJson(checked.value, validValue(input))) {
    throw new Error(
      `generated household differs from the module's validation: ${JSON.stringify(checked.issues)}`,
    );
  }
  const real = nameKeys(checked.value);
  if (
    !sameJson(
      { ...real, tokens: [...real.tokens].sort() },
      { ...keys, tokens: [...keys.tokens].sort() },
    )
  ) {
    throw new Error('generated household name keys differ from the module nameKeys');
  }
}

type Paths = ReadonlyMap<string, { pcode: string; level: 'subdistrict'; path: string }>;

// ---- Set-based insert ------------------------------------------------------------------------

type BulkTable = 'households' | 'cards' | 'household_tags' | 'household_name_tokens';

/** Inserts rows with one INSERT ... SELECT over a JSON array (no per-row parameters). */
async function insertJson<T extends BulkTable>(
  trx: Executor,
  dialect: Storage['dialect'],
  table: T,
  rows: readonly NewRow<T>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const json = JSON.stringify(rows);
  const columnList = sql.join(columns.map((column) => sql.ref(column)));
  if (dialect === 'sqlite') {
    const values = sql.join(columns.map((column) => sql`value ->> ${`$.${column}`}`));
    await sql`insert into ${sql.table(table)} (${columnList}) select ${values} from json_each(${json})`.execute(
      trx,
    );
  } else {
    await sql`insert into ${sql.table(table)} (${columnList}) select ${columnList} from json_populate_recordset(null::${sql.table(table)}, cast(${json} as json))`.execute(
      trx,
    );
  }
}

async function insertRecords(
  trx: Executor,
  dialect: Storage['dialect'],
  records: readonly NewHouseholdRecord[],
  withTokens: boolean,
): Promise<void> {
  await insertJson(
    trx,
    dialect,
    'households',
    records.map((record) => record.household),
  );
  // Sorted by key, so each batch's inserts walk the random-keyed B-trees in order.
  await insertJson(
    trx,
    dialect,
    'cards',
    records.map((record) => record.card).sort((a, b) => compareText(a.card_number, b.card_number)),
  );
  await insertJson(
    trx,
    dialect,
    'household_tags',
    records.flatMap((record) =>
      record.tags.map((tag) => ({ household_id: record.household.id, tag })),
    ),
  );
  if (withTokens) {
    await insertJson(
      trx,
      dialect,
      'household_name_tokens',
      records
        .flatMap((record) =>
          record.tokens.map((token) => ({ token, household_id: record.household.id })),
        )
        .sort(
          (a, b) => compareText(a.token, b.token) || compareText(a.household_id, b.household_id),
        ),
    );
  }
}

/** Byte order for the ASCII and Arabic text here (UTF-16 order agrees with it below U+D800). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LoadOptions {
  count: number;
  /** The subdistrict p-codes households are spread over (they must exist in `areas`). */
  subdistricts: readonly string[];
  clock: Clock;
  /** Inputs created through `createHouseholds` itself (default 1,000). */
  moduleRows?: number;
  /** Households per fast-path batch (one write transaction each; default 10,000). */
  batchRows?: number;
  /** False leaves out household_name_tokens (for benchmarks that never search by name). */
  withTokens?: boolean;
  /**
   * Drop the secondary indexes of the registry tables before the fast path and create them
   * again, from their own stored definitions, after it (a sort-based build instead of a
   * million random inserts). The schema ends exactly as the migrations made it.
   */
  deferIndexes?: boolean;
  /**
   * Stop adding batches once this many seconds have passed since the start (the registry then
   * holds fewer than `count`; the report says how many).
   */
  deadlineSeconds?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadReport {
  /** Households stored (less than asked when the deadline came first). */
  households: number;
  /** Households created through createHouseholds. */
  moduleHouseholds: number;
  seconds: number;
  /** The stored households' inputs, in the order stored (index i is the i-th household). */
  inputs: GeneratedInput[];
  /** True when the deadline stopped the load before `count`. */
  cutShort: boolean;
}

/**
 * Registers `count` generated households (see the file comment for how), each with its card,
 * tags and (unless `withTokens` is false) name tokens; throws if the fast path's rows differ
 * from the module's.
 */
export async function loadHouseholds(storage: Storage, options: LoadOptions): Promise<LoadReport> {
  const started = performance.now();
  const inputs = generateInputs(options.count, options.subdistricts);
  const moduleRows = Math.min(options.moduleRows ?? 1000, options.count);
  const batchRows = options.batchRows ?? 10_000;
  const withTokens = options.withTokens ?? true;
  const areaRows = await storage.db
    .selectFrom('areas')
    .select(['pcode', 'path'])
    .where('pcode', 'in', [...options.subdistricts])
    .execute();
  const paths: Paths = new Map(
    areaRows.map((area) => [
      area.pcode,
      { pcode: area.pcode, level: 'subdistrict', path: area.path },
    ]),
  );

  // 1. Through the module.
  const created = await writeTransaction(storage, (trx) =>
    createHouseholds(
      trx,
      systemActor,
      inputs.slice(0, moduleRows).map((input) => ({ ...input })),
      { clock: options.clock },
    ),
  );
  const moduleIds: string[] = [];
  for (const result of created) {
    if (!result.ok)
      throw new Error(`module refused a generated household: ${JSON.stringify(result.issues)}`);
    moduleIds.push(result.id);
  }
  const usedCards = new Set(created.flatMap((result) => (result.ok ? [result.card_number] : [])));
  await compareWithModule(storage, inputs.slice(0, moduleRows), moduleIds, withTokens);
  if (!withTokens) {
    await storage.db.deleteFrom('household_name_tokens').execute();
  }
  options.onProgress?.(moduleRows, options.count);

  // 2. The fast path, batch by batch.
  const indexes = options.deferIndexes ? await dropSecondaryIndexes(storage) : [];
  const restoreCache = await enlargeSqliteCache(storage);
  const random = seededRandom(7);
  const baseMillis = options.clock().getTime() + 1000;
  const now = options.clock().toISOString();
  const deadline = started + (options.deadlineSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  let stored = moduleRows;
  for (let start = moduleRows; start < options.count; start += batchRows) {
    if (performance.now() > deadline) break;
    const records: NewHouseholdRecord[] = [];
    for (let index = start; index < Math.min(options.count, start + batchRows); index += 1) {
      const input = inputs[index] as GeneratedInput;
      const keys = fastNameKeys(input);
      if (index % 64 === 0) assertLikeModule(input, keys, paths);
      let card = cardNumberOf(1_000_000_000 + random(9_000_000_000));
      while (usedCards.has(card)) card = cardNumberOf(1_000_000_000 + random(9_000_000_000));
      usedCards.add(card);
      if (index % 4096 === 0 && !checkCardNumber(card).ok) {
        throw new Error(`generated card number ${card} fails its check digits`);
      }
      const id = timeOrderedIdAt(baseMillis + Math.floor(index / 4096), index % 4096, random);
      records.push(toRecord(input, id, card, keys, now));
    }
    await writeTransaction(storage, (trx) =>
      insertRecords(trx, storage.dialect, records, withTokens),
    );
    stored = Math.min(options.count, start + batchRows);
    options.onProgress?.(stored, options.count);
  }
  for (const definition of indexes) await sql.raw(definition).execute(storage.db);
  await restoreCache();
  // PostgreSQL's autovacuum vacuums and analyzes a table after a bulk insert like this on its
  // own, at a moment of its choosing: do it now, so plans and index-only scans (which need the
  // visibility map) do not change mid-run. Awn never runs ANALYZE on SQLite, so SQLite plans
  // without statistics, as it will in production.
  if (storage.dialect === 'postgres') {
    for (const table of registryTables) {
      await sql`vacuum (analyze) ${sql.table(table)}`.execute(storage.db);
    }
  }
  return {
    households: stored,
    moduleHouseholds: moduleRows,
    seconds: (performance.now() - started) / 1000,
    inputs: inputs.slice(0, stored),
    cutShort: stored < options.count,
  };
}

/**
 * SQLite: a 1 GiB page cache for the load (the default 2 MiB thrashes on a million random
 * card numbers); answers a function that puts the connection's setting back.
 */
async function enlargeSqliteCache(storage: Storage): Promise<() => Promise<void>> {
  if (storage.dialect !== 'sqlite') return async () => undefined;
  const before = await sql<{ cache_size: number }>`pragma cache_size`.execute(storage.db);
  const size = Number(before.rows[0]?.cache_size ?? -2000);
  await sql`pragma cache_size = -1048576`.execute(storage.db);
  return async () => {
    await sql.raw(`pragma cache_size = ${size}`).execute(storage.db);
  };
}

const registryTables = ['households', 'cards', 'household_tags', 'household_name_tokens'];

/**
 * Drops the indexes of the registry tables that no constraint needs (primary keys and unique
 * constraints stay, so the load is still checked) and returns their definitions to run again.
 */
async function dropSecondaryIndexes(storage: Storage): Promise<string[]> {
  const found =
    storage.dialect === 'sqlite'
      ? await sql<{ name: string; definition: string }>`
          select name, sql as definition from sqlite_master
          where type = 'index' and sql is not null and tbl_name in (${sql.join(registryTables)})
            and sql not like 'create unique%' collate nocase`.execute(storage.db)
      : await sql<{ name: string; definition: string }>`
          select i.indexname as name, i.indexdef as definition from pg_indexes as i
          where i.schemaname = current_schema() and i.tablename in (${sql.join(registryTables)})
            and i.indexdef not like 'CREATE UNIQUE%'
            and not exists (select 1 from pg_constraint as c where c.conname = i.indexname)`.execute(
          storage.db,
        );
  for (const index of found.rows) {
    await sql`drop index ${sql.ref(index.name)}`.execute(storage.db);
  }
  return found.rows.map((index) => index.definition);
}

/** Compares the module-created households with the fast path's records of the same inputs. */
async function compareWithModule(
  storage: Storage,
  inputs: readonly GeneratedInput[],
  ids: readonly string[],
  withTokens: boolean,
): Promise<void> {
  const sample = ids.slice(0, 200);
  const rows = await storage.db
    .selectFrom('households')
    .selectAll()
    .where('id', 'in', sample)
    .execute();
  const tokens = await storage.db
    .selectFrom('household_name_tokens')
    .selectAll()
    .where('household_id', 'in', sample)
    .execute();
  const tags = await storage.db
    .selectFrom('household_tags')
    .selectAll()
    .where('household_id', 'in', sample)
    .execute();
  const ignored = new Set(['id', 'card_number', 'created_at', 'updated_at']);
  sample.forEach((id, index) => {
    const input = inputs[index] as GeneratedInput;
    const stored = rows.find((row) => row.id === id);
    const record = toRecord(input, id, '', fastNameKeys(input), '');
    if (!stored) throw new Error(`module household ${id} not found`);
    for (const [column, value] of Object.entries(record.household)) {
      if (ignored.has(column)) continue;
      if ((stored as Record<string, unknown>)[column] !== value) {
        throw new Error(`fast path differs from the module in households.${column}`);
      }
    }
    const storedTokens = tokens.filter((row) => row.household_id === id).map((row) => row.token);
    if (withTokens && !sameJson([...storedTokens].sort(), [...record.tokens].sort())) {
      throw new Error('fast path differs from the module in household_name_tokens');
    }
    const storedTags = tags.filter((row) => row.household_id === id).map((row) => row.tag);
    if (!sameJson([...storedTags].sort(), [...record.tags].sort())) {
      throw new Error('fast path differs from the module in household_tags');
    }
  });
}
