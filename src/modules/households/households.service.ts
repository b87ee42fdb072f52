/**
 * The household registry: register (one or in bulk), read, search and edit households, within
 * the actor's scope. Reads of personal data are audit-logged; writes append an audit event in
 * their own transaction. No framework here: the routes, the CLI and the import call these.
 */
import type { Storage } from '../../db/connect.js';
import type { NewRow } from '../../db/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { checkCardNumber } from '../../domain/identity/card-number.js';
import { normalizePhone } from '../../domain/identity/phone.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { nameSimilarity, toAsciiDigits } from '../../domain/text/arabic.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents, type AuditEventInput } from '../audit/audit.service.js';
import {
  loadHouseholdConfig,
  type AreaRef,
  type HouseholdConfig,
  type VulnerabilityTag,
} from './households.config.js';
import { newTimeOrderedId, randomCardNumber } from './households.ids.js';
import { blockingKeys, nameKeys, searchTokens, type BlockingKey } from './households.names.js';
import { personalFieldsFor, presentHousehold } from './households.presenter.js';
import {
  findAreas,
  findByNationalIds,
  findByPhones,
  findCards,
  findDuplicateProbes,
  findHousehold,
  findHouseholds,
  findIdsByIdentifiers,
  findMembers,
  findTags,
  insertDuplicateCandidates,
  insertHouseholds,
  listHouseholdIds,
  replaceMembers,
  replaceTags,
  replaceTokens,
  searchByName,
  updateHousehold as updateHouseholdRow,
  type AreaInfo,
  type DuplicateProbe,
  type HouseholdFilter,
  type HouseholdRow,
  type NewHouseholdRecord,
} from './households.repository.js';
import type {
  HouseholdListInput,
  HouseholdView,
  UpdateHouseholdInput,
} from './households.schema.js';
import {
  isCalendarDate,
  validateHouseholdInput,
  type InputIssue,
  type ValidHousehold,
} from './households.validation.js';

// What other modules may read of this module's tables (they never import its repository).
export { findHousehold } from './households.repository.js';

/** An issue of one input; duplicates name the household (or the earlier input) they collide with. */
export interface HouseholdIssue extends InputIssue {
  household_id?: string;
  /** Index of the earlier input of the same batch. */
  other_index?: number;
}

export interface HouseholdWarning {
  code: string;
  field?: string;
  message: string;
  household_id?: string;
  other_index?: number;
}

/** A likely duplicate found at registration, waiting in `duplicate_candidates` for review. */
export interface DuplicateHint {
  /** The duplicate candidate's id. */
  id: string;
  /** The other household (or, for an earlier input of the same batch, its new id). */
  other_household_id: string;
  other_index?: number;
  score: number;
  reason: string;
}

export type HouseholdCreateResult =
  | {
      ok: true;
      id: string;
      card_number: string;
      warnings: HouseholdWarning[];
      duplicate_candidates: DuplicateHint[];
    }
  | { ok: false; issues: HouseholdIssue[] };

export interface CreateHouseholdsOptions {
  clock: Clock;
  /** Loaded from settings when not given. */
  config?: HouseholdConfig;
  /** Check everything against the registry but write nothing (the import's dry run). */
  dryRun?: boolean;
}

/** Names at least this close (nameSimilarity) with the same size or phone are flagged. */
export const duplicateNameThreshold = 0.9;
/** At most this many other households are named in a phone-shared warning. */
const MAX_PHONE_WARNINGS = 3;

export function todayIso(clock: Clock): string {
  return clock().toISOString().slice(0, 10);
}

function subdistrictOf(area: AreaInfo): string {
  return area.level === 'subdistrict' ? area.pcode : (area.parent_pcode ?? area.pcode);
}

function cleanPcode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const pcode = toAsciiDigits(raw).trim().toUpperCase();
  return pcode === '' ? null : pcode;
}

/** The fields an input actually carries: what an audit event of its creation names. */
function presentFields(value: ValidHousehold): string[] {
  return Object.entries(value)
    .filter(([, field]) => field !== null && !(Array.isArray(field) && field.length === 0))
    .map(([name]) => name);
}

interface Pending {
  index: number;
  value: ValidHousehold;
  area: AreaInfo;
  warnings: HouseholdWarning[];
  duplicates: DuplicateHint[];
  id: string;
  cardNumber: string;
  keys: ReturnType<typeof nameKeys>;
  subdistrict: string;
}

/**
 * Registers households in the caller's transaction, in bulk: validates each input exactly as
 * `validateHouseholdInput`, refuses a national id or card number already registered (or used
 * by an earlier input), warns of shared phones, flags likely duplicates, assigns card numbers
 * and writes with multi-row inserts. Returns one result per input, in order; an input that
 * fails does not stop the others (the caller decides whether to commit).
 */
export async function createHouseholds(
  trx: Executor,
  actor: Actor,
  inputs: readonly Readonly<Record<string, unknown>>[],
  options: CreateHouseholdsOptions,
): Promise<HouseholdCreateResult[]> {
  const baseConfig = options.config ?? (await loadHouseholdConfig(trx));
  const today = todayIso(options.clock);
  const now = options.clock().toISOString();

  // Areas outside the actor's scope are as unknown as areas that do not exist.
  const areaRows = await findAreas(
    trx,
    inputs.flatMap((input) => cleanPcode(input.area_pcode) ?? []),
  );
  const areas = new Map<string, AreaInfo>();
  for (const area of areaRows) if (areaInScope(actor.scope, area.path)) areas.set(area.pcode, area);
  const config: HouseholdConfig = {
    ...baseConfig,
    areas: areas as ReadonlyMap<string, AreaRef>,
    today,
  };

  const results: (HouseholdCreateResult | null)[] = [];
  const valid: { index: number; value: ValidHousehold; warnings: HouseholdWarning[] }[] = [];
  inputs.forEach((input, index) => {
    const checked = validateHouseholdInput(input, config);
    if (checked.value === null) {
      results.push({ ok: false, issues: checked.issues });
    } else {
      results.push(null);
      valid.push({ index, value: checked.value, warnings: [...checked.warnings] });
    }
  });

  // Identifiers already registered, or repeated within the batch, refuse the input.
  const givenCards = valid.flatMap((entry) => entry.value.card_number ?? []);
  const existingCards = new Map(
    (await findCards(trx, givenCards)).map((card) => [card.card_number, card.household_id]),
  );
  const existingNationalIds = new Map(
    (
      await findByNationalIds(
        trx,
        valid.flatMap((entry) => entry.value.national_id ?? []),
      )
    ).map((row) => [row.national_id ?? '', row.id]),
  );
  const cardInBatch = new Map<string, number>();
  const nationalIdInBatch = new Map<string, number>();
  const accepted: typeof valid = [];
  for (const entry of valid) {
    const issues: HouseholdIssue[] = [];
    const { card_number: card, national_id: nationalId } = entry.value;
    if (nationalId !== null) {
      const holder = existingNationalIds.get(nationalId);
      const earlier = nationalIdInBatch.get(nationalId);
      if (holder !== undefined) {
        issues.push({
          field: 'national_id',
          code: 'duplicate-national-id',
          message: 'is already registered to another household',
          household_id: holder,
        });
      } else if (earlier !== undefined) {
        issues.push({
          field: 'national_id',
          code: 'duplicate-national-id',
          message: 'is repeated from an earlier entry',
          other_index: earlier,
        });
      } else nationalIdInBatch.set(nationalId, entry.index);
    }
    if (card !== null) {
      const holder = existingCards.get(card);
      const earlier = cardInBatch.get(card);
      if (holder !== undefined) {
        issues.push({
          field: 'card_number',
          code: 'duplicate-card-number',
          message: 'is already issued to a household',
          household_id: holder,
        });
      } else if (earlier !== undefined) {
        issues.push({
          field: 'card_number',
          code: 'duplicate-card-number',
          message: 'is repeated from an earlier entry',
          other_index: earlier,
        });
      } else cardInBatch.set(card, entry.index);
    }
    if (issues.length > 0) results[entry.index] = { ok: false, issues };
    else accepted.push(entry);
  }

  // Families share phones: a warning, naming who else has it.
  const phoneHolders = new Map<string, string[]>();
  for (const row of await findByPhones(
    trx,
    accepted.flatMap((entry) => entry.value.phone ?? []),
  )) {
    const holders = phoneHolders.get(row.phone ?? '') ?? [];
    holders.push(row.id);
    phoneHolders.set(row.phone ?? '', holders);
  }
  const phoneInBatch = new Map<string, number>();
  for (const entry of accepted) {
    const phone = entry.value.phone;
    if (phone === null) continue;
    for (const holder of (phoneHolders.get(phone) ?? []).slice(0, MAX_PHONE_WARNINGS)) {
      entry.warnings.push({
        code: 'phone-shared',
        field: 'phone',
        message: 'is also registered to another household',
        household_id: holder,
      });
    }
    const earlier = phoneInBatch.get(phone);
    if (earlier !== undefined) {
      entry.warnings.push({
        code: 'phone-shared',
        field: 'phone',
        message: 'is also given for an earlier entry',
        other_index: earlier,
      });
    } else phoneInBatch.set(phone, entry.index);
  }

  const cardNumbers = await assignCardNumbers(
    trx,
    accepted.map((entry) => entry.value.card_number),
  );
  const pending: Pending[] = accepted.map((entry, position) => {
    const area = areas.get(entry.value.area_pcode);
    if (!area) throw new Error('validated household has no known area');
    return {
      ...entry,
      area,
      duplicates: [],
      id: newTimeOrderedId(options.clock().getTime()),
      cardNumber: cardNumbers[position] ?? '',
      keys: nameKeys(entry.value),
      subdistrict: subdistrictOf(area),
    };
  });

  const candidateRows = await flagLikelyDuplicates(trx, pending, now);

  if (!options.dryRun && pending.length > 0) {
    const records: NewHouseholdRecord[] = pending.map((entry) =>
      toRecord(entry, actor, now, today),
    );
    await insertHouseholds(trx, records);
    await insertDuplicateCandidates(trx, candidateRows);
    const events: AuditEventInput[] = pending.map((entry) => ({
      actor,
      action: 'household.create',
      entity: 'household',
      entityId: entry.id,
      fields: presentFields(entry.value),
    }));
    for (const row of candidateRows) {
      events.push({
        actor,
        action: 'duplicate_candidate.create',
        entity: 'duplicate_candidate',
        entityId: row.id,
        fields: ['household_id', 'other_household_id', 'score', 'reason'],
      });
    }
    await appendAuditEvents(trx, events, options.clock);
  }

  for (const entry of pending) {
    results[entry.index] = {
      ok: true,
      id: entry.id,
      card_number: entry.cardNumber,
      warnings: entry.warnings,
      duplicate_candidates: entry.duplicates,
    };
  }
  return results.map((result) => {
    if (result === null) throw new Error('household input left without a result');
    return result;
  });
}

/** Keeps given card numbers; draws random unused ones for the rest. */
async function assignCardNumbers(
  trx: Executor,
  given: readonly (string | null)[],
): Promise<string[]> {
  const taken = new Set(given.filter((card): card is string => card !== null));
  const assigned = given.map((card) => card);
  let missing = assigned.flatMap((card, index) => (card === null ? [index] : []));
  // A collision among ~10^10 serials is rare; each round redraws only the colliding ones.
  while (missing.length > 0) {
    const drawn = missing.map((index) => {
      let card = randomCardNumber();
      while (taken.has(card)) card = randomCardNumber();
      taken.add(card);
      return { index, card };
    });
    const used = new Set(
      (
        await findCards(
          trx,
          drawn.map((entry) => entry.card),
        )
      ).map((card) => card.card_number),
    );
    for (const entry of drawn) if (!used.has(entry.card)) assigned[entry.index] = entry.card;
    missing = drawn.filter((entry) => used.has(entry.card)).map((entry) => entry.index);
  }
  return assigned.map((card) => card ?? '');
}

interface Comparable extends Record<BlockingKey, string | null> {
  id: string;
  full_name_normalized: string;
  household_size: number;
  phone: string | null;
}

/** Scores two households; a likely duplicate needs close names and the same size or phone. */
function compareHouseholds(a: Comparable, b: Comparable): { score: number; reason: string } | null {
  const sameSize = a.household_size === b.household_size;
  const samePhone = a.phone !== null && a.phone === b.phone;
  if (!sameSize && !samePhone) return null;
  const score = nameSimilarity(a.full_name_normalized, b.full_name_normalized);
  if (score < duplicateNameThreshold) return null;
  const reasons = ['name', ...(sameSize ? ['size'] : []), ...(samePhone ? ['phone'] : [])];
  return { score: Math.round(score * 1000) / 1000, reason: reasons.join('+') };
}

/** The blocks a household falls in: a blocking key with its size, and its phone. */
function blocksOf(household: Comparable): string[] {
  const blocks = blockingKeys.flatMap((key) => {
    const value = household[key];
    return value === null ? [] : [`${key}|${household.household_size}|${value}`];
  });
  if (household.phone !== null) blocks.push(`phone|${household.phone}`);
  return blocks;
}

/**
 * Most households one new household is compared with per block: a safety bound on the work
 * (nameSimilarity costs ~0.1 ms) should a block ever grow large; blocks are normally tiny.
 */
const MAX_BLOCK_COMPARISONS = 50;

/** Finds likely duplicates of the new households (in the registry and among themselves). */
async function flagLikelyDuplicates(
  trx: Executor,
  pending: Pending[],
  now: string,
): Promise<NewRow<'duplicate_candidates'>[]> {
  const rows: NewRow<'duplicate_candidates'>[] = [];
  const bySubdistrict = new Map<string, Pending[]>();
  for (const entry of pending) pushTo(bySubdistrict, entry.subdistrict, entry);

  for (const [subdistrict, group] of bySubdistrict) {
    const existing: DuplicateProbe[] = await findDuplicateProbes(
      trx,
      subdistrict,
      group.map((entry) => ({ ...entry.keys, ...entry.value })),
    );
    // Each block holds registered households, then the new ones as they are reached.
    const blocks = new Map<string, { household: Comparable; index?: number }[]>();
    for (const row of existing) {
      for (const block of blocksOf(row)) pushTo(blocks, block, { household: row });
    }
    for (const entry of group) {
      const mine: Comparable = {
        id: entry.id,
        full_name_normalized: entry.keys.full_name_normalized,
        household_size: entry.value.household_size,
        phone: entry.value.phone,
        given_father_key: entry.keys.given_father_key,
        family_given_key: entry.keys.family_given_key,
        family_father_key: entry.keys.family_father_key,
      };
      const seen = new Set<string>();
      for (const block of blocksOf(mine)) {
        const members = blocks.get(block) ?? [];
        for (const other of members.slice(-MAX_BLOCK_COMPARISONS)) {
          if (seen.has(other.household.id)) continue;
          seen.add(other.household.id);
          const match = compareHouseholds(mine, other.household);
          if (!match) continue;
          const id = newTimeOrderedId();
          entry.duplicates.push({
            id,
            other_household_id: other.household.id,
            ...(other.index !== undefined ? { other_index: other.index } : {}),
            ...match,
          });
          rows.push({
            id,
            household_id: entry.id,
            other_household_id: other.household.id,
            score: match.score,
            reason: match.reason,
            status: 'open',
            kept_household_id: null,
            resolved_by: null,
            resolved_at: null,
            created_at: now,
          });
        }
        pushTo(blocks, block, { household: mine, index: entry.index });
      }
    }
  }
  return rows;
}

function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

function toRecord(entry: Pending, actor: Actor, now: string, today: string): NewHouseholdRecord {
  const { value } = entry;
  return {
    household: {
      id: entry.id,
      card_number: entry.cardNumber,
      head_given_name: value.head_given_name,
      head_father_name: value.head_father_name,
      head_grandfather_name: value.head_grandfather_name,
      head_family_name: value.head_family_name,
      head_name_latin: value.head_name_latin,
      full_name_normalized: entry.keys.full_name_normalized,
      family_key: entry.keys.family_key,
      given_father_key: entry.keys.given_father_key,
      family_given_key: entry.keys.family_given_key,
      family_father_key: entry.keys.family_father_key,
      national_id: value.national_id,
      phone: value.phone,
      household_size: value.household_size,
      area_pcode: value.area_pcode,
      subdistrict_pcode: entry.subdistrict,
      address: value.address,
      latitude: value.latitude,
      longitude: value.longitude,
      status: 'active',
      status_reason: null,
      status_changed_on: null,
      merged_into: null,
      consent_date: value.consent_date,
      consent_recorded_by: value.consent_date === null ? null : actor.userId,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    },
    members: memberRows(entry.id, value),
    tags: value.tags,
    tokens: entry.keys.tokens,
    card: {
      card_number: entry.cardNumber,
      household_id: entry.id,
      issued_on: today,
      revoked_at: null,
      revoked_reason: null,
    },
  };
}

function memberRows(householdId: string, value: ValidHousehold): NewRow<'household_members'>[] {
  return value.members.map((member, position) => ({
    household_id: householdId,
    position,
    name: member.name,
    sex: member.sex,
    birth_year: member.birth_year,
    relation: member.relation,
  }));
}

function toFieldIssues(issues: readonly InputIssue[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: `/${issue.field}`,
    message: issue.message,
    code: issue.code,
  }));
}

const conflictCodes = new Set(['duplicate-national-id', 'duplicate-card-number']);

/** Throws the error a single failed input answers with: 409 for a duplicate, else 400. */
function throwForIssues(issues: readonly HouseholdIssue[]): never {
  const conflict = issues.find((issue) => conflictCodes.has(issue.code));
  if (conflict) {
    throw new ConflictError(
      conflict.code,
      conflict.code === 'duplicate-national-id'
        ? 'This national id is already registered.'
        : 'This card number is already issued.',
      { household_id: conflict.household_id },
    );
  }
  throw new ValidationError(toFieldIssues(issues));
}

export interface CreatedHouseholdView extends HouseholdView {
  warnings: HouseholdWarning[];
  duplicate_candidates: DuplicateHint[];
}

/**
 * Registers one household in its own transaction and returns it as the actor sees it, with
 * warnings and likely duplicates; throws ValidationError naming each bad field, or
 * ConflictError (`duplicate-national-id` / `duplicate-card-number`) naming the existing household.
 */
export async function createHousehold(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: Readonly<Record<string, unknown>>,
  clock: Clock,
): Promise<CreatedHouseholdView> {
  const attempt = () =>
    writeTransaction(storage, async (trx) => {
      const [result] = await createHouseholds(trx, actor, [input], { clock });
      if (!result) throw new Error('createHouseholds returned no result');
      if (!result.ok) throwForIssues(result.issues);
      const view = await getHouseholdView(trx, actor, result.id, true);
      return {
        ...view,
        warnings: result.warnings,
        duplicate_candidates: result.duplicate_candidates,
      };
    });
  try {
    return await attempt();
  } catch (error) {
    // On PostgreSQL a concurrent registration can commit the same national id or card number
    // between our check and our insert; the unique index refuses ours, and a second attempt
    // answers with the 409 naming the household that won.
    if ((error as { code?: unknown } | null)?.code !== uniqueViolation) throw error;
    return attempt();
  }
}

const uniqueViolation = '23505';

/**
 * The household as the actor may see it (members included), or NotFoundError when missing or
 * outside the scope; logs nothing (callers that show it to a person log the read).
 */
export async function getHouseholdView(
  db: Executor,
  actor: Actor,
  id: string,
  withMembers = true,
): Promise<HouseholdView> {
  const [row] = await findHouseholds(db, [id]);
  if (!row || !areaInScope(actor.scope, row.area_path)) throw new NotFoundError('household');
  const tags = (await findTags(db, [id])).map((tag) => tag.tag);
  const members = withMembers ? await findMembers(db, [id]) : undefined;
  return presentHousehold(row, actor.role, tags, members);
}

/**
 * Returns one household (404 when missing or outside the scope), after recording the read of
 * its personal data in the audit log.
 */
export async function getHousehold(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<HouseholdView> {
  const view = await getHouseholdView(storage.db, actor, id, true);
  await writeTransaction(storage, (trx) =>
    appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'read',
          entity: 'household',
          entityId: id,
          fields: personalFieldsFor(actor.role, true),
        },
      ],
      clock,
    ),
  );
  return view;
}

const cursorPattern = /^[A-Za-z0-9_-]{1,200}$/u;

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor stands for; ValidationError when it is not one this server gave. */
export function decodeCursor(cursor: string, path = '/cursor'): string {
  if (!cursorPattern.test(cursor))
    throw new ValidationError([{ path, message: 'is not a valid cursor' }]);
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id === '' || encodeCursor(id) !== cursor) {
    throw new ValidationError([{ path, message: 'is not a valid cursor' }]);
  }
  return id;
}

export interface HouseholdSearch {
  q?: string;
  area?: string;
  tag?: string;
  status?: HouseholdRow['status'];
  limit?: number;
  cursor?: string;
}

const letterPattern = /\p{L}/u;

/**
 * One page of the households in the actor's scope matching the search, in a stable order
 * (by id), with the cursor of the next page; `q` is a name in any spelling, or a card number,
 * phone or national id. Returned personal data is audit-logged, one event per household.
 */
export async function listHouseholds(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  search: HouseholdSearch | HouseholdListInput,
  clock: Clock,
): Promise<{ items: HouseholdView[]; next_cursor: string | null }> {
  const page = await searchHouseholds(storage.db, actor, search);
  if (page.items.length > 0) {
    const fields = personalFieldsFor(actor.role, false);
    await writeTransaction(storage, (trx) =>
      appendAuditEvents(
        trx,
        page.items.map((item) => ({
          actor,
          action: 'read',
          entity: 'household',
          entityId: item.id,
          fields,
        })),
        clock,
      ),
    );
  }
  return page;
}

/** The search of `listHouseholds` without the audit log (for callers that log themselves). */
export async function searchHouseholds(
  db: Executor,
  actor: Actor,
  search: HouseholdSearch,
  config?: HouseholdConfig,
): Promise<{ items: HouseholdView[]; next_cursor: string | null }> {
  const limit = search.limit ?? 50;
  const filter: HouseholdFilter = { scope: actor.scope, limit };
  if (search.cursor !== undefined) filter.afterId = decodeCursor(search.cursor);
  if (search.status !== undefined) filter.status = search.status;
  if (search.area !== undefined) {
    const pcode = cleanPcode(search.area) ?? '';
    const [area] = await findAreas(db, [pcode]);
    if (!area) throw new ValidationError([{ path: '/area', message: 'is not a known area' }]);
    filter.areaPath = area.path;
  }
  const registry = config ?? (await loadHouseholdConfig(db));
  if (search.tag !== undefined) {
    if (!registry.tags.some((tag: VulnerabilityTag) => tag.code === search.tag)) {
      throw new ValidationError([{ path: '/tag', message: 'is not a known tag' }]);
    }
    filter.tag = search.tag;
  }

  let ids: string[];
  const q = search.q?.trim() ?? '';
  const nationalId = q === '' ? null : registry.nationalId(q);
  if (q === '') {
    ids = await listHouseholdIds(db, filter);
  } else if (!letterPattern.test(q) || nationalId?.ok) {
    // Digits: a card number (checked first, so a typo never reaches the database), a phone
    // in any local form, or a national id; each is an indexed equality lookup.
    const card = checkCardNumber(q);
    const phone = normalizePhone(q, registry.phoneCountry);
    const found = await findIdsByIdentifiers(db, {
      ...(card.ok ? { cardNumber: card.cardNumber } : {}),
      ...(phone.ok ? { phone: phone.e164 } : {}),
      ...(nationalId?.ok ? { nationalId: nationalId.nationalId } : {}),
    });
    ids = await listHouseholdIds(db, filter, found);
  } else {
    const tokens = searchTokens(q);
    ids =
      tokens.length === 0
        ? await listHouseholdIds(db, filter)
        : await searchByName(
            db,
            { exact: tokens.slice(0, -1), prefix: tokens[tokens.length - 1] ?? null },
            filter,
          );
  }

  const more = ids.length > limit;
  const pageIds = ids.slice(0, limit);
  const rows = await findHouseholds(db, pageIds);
  const tags = await findTags(db, pageIds);
  const items = rows.map((row) =>
    presentHousehold(
      row,
      actor.role,
      tags.filter((tag) => tag.household_id === row.id).map((tag) => tag.tag),
    ),
  );
  const last = pageIds[pageIds.length - 1];
  return { items, next_cursor: more && last !== undefined ? encodeCursor(last) : null };
}

/** The raw input form of a stored household, so an edit is validated as a whole new input. */
function asInput(
  row: HouseholdRow,
  tags: readonly string[],
  members: readonly {
    name: string;
    sex: string | null;
    birth_year: number | null;
    relation: string | null;
  }[],
): Record<string, unknown> {
  return {
    card_number: row.card_number,
    head_given_name: row.head_given_name,
    head_father_name: row.head_father_name,
    head_grandfather_name: row.head_grandfather_name,
    head_family_name: row.head_family_name,
    head_name_latin: row.head_name_latin,
    national_id: row.national_id,
    phone: row.phone,
    household_size: row.household_size,
    area_pcode: row.area_pcode,
    address: row.address,
    tags: [...tags],
    members: members.map((member) => ({ ...member })),
    latitude: row.latitude,
    longitude: row.longitude,
    consent_date: row.consent_date,
  };
}

const nameFields = [
  'head_given_name',
  'head_father_name',
  'head_grandfather_name',
  'head_family_name',
  'head_name_latin',
] as const;

/**
 * Edits a household in the actor's scope: changed fields are validated exactly like a new
 * household; a status change needs a reason (the date defaults to today); a national id held
 * by another household is a 409 `duplicate-national-id`. Merged households are read-only.
 */
export async function updateHousehold(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  patch: UpdateHouseholdInput,
  clock: Clock,
): Promise<HouseholdView & { warnings: HouseholdWarning[] }> {
  return writeTransaction(storage, async (trx) => {
    const row = await findHousehold(trx, id);
    if (!row || !areaInScope(actor.scope, row.area_path)) throw new NotFoundError('household');
    if (row.status === 'merged') {
      throw new ConflictError('household-merged', 'This household was merged into another.', {
        merged_into: row.merged_into,
      });
    }
    const tags = (await findTags(trx, [id])).map((tag) => tag.tag);
    const members = await findMembers(trx, [id]);
    const {
      status,
      status_reason: statusReason,
      status_changed_on: statusChangedOn,
      ...fields
    } = patch;

    const baseConfig = await loadHouseholdConfig(trx);
    const today = todayIso(clock);
    const pcodes = [
      row.area_pcode,
      ...(fields.area_pcode !== undefined ? [cleanPcode(fields.area_pcode) ?? ''] : []),
    ];
    const areas = new Map<string, AreaInfo>();
    for (const area of await findAreas(trx, pcodes)) {
      if (areaInScope(actor.scope, area.path)) areas.set(area.pcode, area);
    }
    const merged = { ...asInput(row, tags, members), ...fields };
    const checked = validateHouseholdInput(merged, {
      ...baseConfig,
      areas: areas as ReadonlyMap<string, AreaRef>,
      today,
    });
    const issues: InputIssue[] = [...checked.issues];
    if (status !== undefined && status !== row.status && statusReason === undefined) {
      issues.push({
        field: 'status_reason',
        code: 'required',
        message: 'is required when the status changes',
      });
    }
    if (statusChangedOn !== undefined) {
      const date = toAsciiDigits(statusChangedOn);
      if (!isCalendarDate(date)) {
        issues.push({
          field: 'status_changed_on',
          code: 'date-invalid',
          message: 'must be a date written YYYY-MM-DD',
        });
      } else if (date > today) {
        issues.push({
          field: 'status_changed_on',
          code: 'date-in-future',
          message: 'must not be after today',
        });
      }
    }
    if (issues.length > 0 || checked.value === null) {
      throw new ValidationError(toFieldIssues(issues));
    }
    const value = checked.value;

    const changes: Partial<HouseholdRow> = {};
    const changed: string[] = [];
    const set = <K extends keyof HouseholdRow>(key: K, next: HouseholdRow[K]) => {
      if (row[key] !== next) {
        changes[key] = next;
        changed.push(key);
      }
    };
    for (const field of nameFields) set(field, value[field]);
    set('national_id', value.national_id);
    set('phone', value.phone);
    set('household_size', value.household_size);
    set('area_pcode', value.area_pcode);
    set('address', value.address);
    set('latitude', value.latitude);
    set('longitude', value.longitude);
    set('consent_date', value.consent_date);
    if (changed.includes('consent_date')) {
      changes.consent_recorded_by = value.consent_date === null ? null : actor.userId;
    }

    if (value.national_id !== null && changed.includes('national_id')) {
      const [holder] = (await findByNationalIds(trx, [value.national_id])).filter(
        (other) => other.id !== id,
      );
      if (holder) {
        throw new ConflictError(
          'duplicate-national-id',
          'This national id is already registered.',
          {
            household_id: holder.id,
          },
        );
      }
    }
    const warnings: HouseholdWarning[] = [...checked.warnings];
    if (value.phone !== null && changed.includes('phone')) {
      const holders = (await findByPhones(trx, [value.phone])).filter((other) => other.id !== id);
      for (const holder of holders.slice(0, MAX_PHONE_WARNINGS)) {
        warnings.push({
          code: 'phone-shared',
          field: 'phone',
          message: 'is also registered to another household',
          household_id: holder.id,
        });
      }
    }
    if (changed.some((field) => (nameFields as readonly string[]).includes(field))) {
      const keys = nameKeys(value);
      changes.full_name_normalized = keys.full_name_normalized;
      changes.family_key = keys.family_key;
      changes.given_father_key = keys.given_father_key;
      changes.family_given_key = keys.family_given_key;
      changes.family_father_key = keys.family_father_key;
      await replaceTokens(trx, id, keys.tokens);
    }
    if (changed.includes('area_pcode')) {
      const area = areas.get(value.area_pcode);
      if (area) changes.subdistrict_pcode = subdistrictOf(area);
    }
    if (status !== undefined && status !== row.status) {
      changes.status = status;
      changes.status_reason = statusReason ?? null;
      changes.status_changed_on =
        statusChangedOn !== undefined ? toAsciiDigits(statusChangedOn) : today;
      changed.push('status', 'status_reason', 'status_changed_on');
    } else if (statusReason !== undefined && statusReason !== row.status_reason) {
      changes.status_reason = statusReason;
      changed.push('status_reason');
    }
    if (fields.tags !== undefined && value.tags.join(';') !== [...tags].sort().join(';')) {
      await replaceTags(trx, id, value.tags);
      changed.push('tags');
    }
    if (fields.members !== undefined) {
      await replaceMembers(trx, id, memberRows(id, value));
      changed.push('members');
    }

    if (changed.length > 0) {
      changes.updated_at = clock().toISOString();
      await updateHouseholdRow(trx, id, changes);
      await appendAuditEvents(
        trx,
        [{ actor, action: 'household.update', entity: 'household', entityId: id, fields: changed }],
        clock,
      );
    }
    const view = await getHouseholdView(trx, actor, id, true);
    return { ...view, warnings };
  });
}
