/**
 * Registering households, one (the route) or in bulk (the import, the demo): validation against
 * the registry, identifiers that must be unique, shared-phone warnings, likely duplicates
 * flagged for review, card numbers, and one audit event per household, in the caller's
 * transaction. No framework here.
 */
import type { NewRow } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { unpaced, type Pace } from '../../shared/pacing.js';
import { appendAuditEvents, type AuditEventInput } from '../audit/audit.service.js';
import { joinOpenCycles } from '../cycles/cycles.service.js';
import { flagLikelyDuplicates, type DuplicateHint } from './duplicates.flagging.js';
import { loadHouseholdConfig, type AreaRef, type HouseholdConfig } from './households.config.js';
import { newTimeOrderedId, randomCardNumber } from './households.ids.js';
import { nameKeys } from './households.names.js';
import {
  findAreas,
  findByNationalIds,
  findCards,
  householdsInScope,
  insertDuplicateCandidates,
  insertHouseholds,
  type AreaInfo,
  type NewHouseholdRecord,
} from './households.repository.js';
import {
  cleanPcode,
  memberRows,
  outsideScopeLookup,
  phoneHolders,
  phoneWarnings,
  subdistrictOf,
  todayIso,
  type HouseholdIssue,
  type HouseholdWarning,
  type UniqueIdentifier,
} from './households.shared.js';
import { validateHouseholdInput, type ValidHousehold } from './households.validation.js';

export type { DuplicateHint } from './duplicates.flagging.js';

export type HouseholdCreateResult =
  | {
      ok: true;
      id: string;
      card_number: string;
      warnings: HouseholdWarning[];
      duplicate_candidates: DuplicateHint[];
    }
  | {
      ok: false;
      issues: HouseholdIssue[];
      /** Identifiers found on households outside the scope: audited, never answered. */
      outside_scope?: { household_id: string; field: UniqueIdentifier }[];
    };

export interface CreateHouseholdsOptions {
  clock: Clock;
  /** Loaded from settings when not given. */
  config?: HouseholdConfig;
  /** Check everything against the registry but write nothing (the import's dry run). */
  dryRun?: boolean;
  /** Why the user saves although likely duplicates were shown: kept on each candidate. */
  savedAnywayReason?: string;
  /** Awaited between inputs, so a large batch is checked in slices (no pause by default). */
  pace?: Pace;
}

/** An accepted input's rows, ready to write (writePlannedHouseholds). */
export interface PlannedHousehold {
  record: NewHouseholdRecord;
  candidates: NewRow<'duplicate_candidates'>[];
  events: AuditEventInput[];
}

/** What planHouseholds decided: a result per input, and the rows of the accepted ones in order. */
export interface HouseholdPlan {
  results: HouseholdCreateResult[];
  households: PlannedHousehold[];
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
  const plan = await planHouseholds(trx, actor, inputs, options);
  if (!options.dryRun) {
    await writePlannedHouseholds(trx, plan.households, options.clock);
    // Registered while a cycle is open: it joins it when eligible, if the programme says so.
    await joinOpenCycles(
      trx,
      actor,
      plan.households.map(({ record }) => record.household.id),
      options.clock,
    );
  }
  return plan.results;
}

/**
 * Writes planned households (with their candidates and audit events) in the caller's
 * transaction; `importId` tags them as written by that import (so it can be undone).
 */
export async function writePlannedHouseholds(
  trx: Executor,
  households: readonly PlannedHousehold[],
  clock: Clock,
  importId: string | null = null,
): Promise<void> {
  if (households.length === 0) return;
  await insertHouseholds(
    trx,
    households.map(({ record }) => ({
      ...record,
      household: { ...record.household, import_id: importId },
    })),
  );
  await insertDuplicateCandidates(
    trx,
    households.flatMap((household) => household.candidates),
  );
  await appendAuditEvents(
    trx,
    households.flatMap((household) => household.events),
    clock,
  );
}

/**
 * createHouseholds without the writes: every check against the registry as it is now, and the
 * rows each accepted input would write. Reads through `trx`; awaits `options.pace` between
 * inputs (give it a paced executor too, see pacedExecutor, for the reads to be sliced).
 */
export async function planHouseholds(
  trx: Executor,
  actor: Actor,
  inputs: readonly Readonly<Record<string, unknown>>[],
  options: CreateHouseholdsOptions,
): Promise<HouseholdPlan> {
  const pace = options.pace ?? unpaced;
  const baseConfig = options.config ?? (await loadHouseholdConfig(trx));
  const today = todayIso(options.clock);
  const now = options.clock().toISOString();

  // Areas are public reference data: one outside the actor's scope is refused as such.
  const areaRows = await findAreas(
    trx,
    inputs.flatMap((input) => cleanPcode(input.area_pcode) ?? []),
  );
  const areas = new Map<string, AreaInfo>();
  const areasOutsideScope = new Set<string>();
  for (const area of areaRows) {
    if (areaInScope(actor.scope, area.path)) areas.set(area.pcode, area);
    else areasOutsideScope.add(area.pcode);
  }
  const config: HouseholdConfig = {
    ...baseConfig,
    areas: areas as ReadonlyMap<string, AreaRef>,
    areasOutsideScope,
    today,
  };

  const results: (HouseholdCreateResult | null)[] = [];
  const valid: { index: number; value: ValidHousehold; warnings: HouseholdWarning[] }[] = [];
  for (const [index, input] of inputs.entries()) {
    const checked = validateHouseholdInput(input, config);
    if (checked.value === null) {
      results.push({ ok: false, issues: checked.issues });
    } else {
      results.push(null);
      valid.push({ index, value: checked.value, warnings: [...checked.warnings] });
    }
    await pace();
  }

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
  const visible = await householdsInScope(trx, actor.scope, [
    ...existingCards.values(),
    ...existingNationalIds.values(),
  ]);
  const inBatch = {
    national_id: new Map<string, number>(),
    card_number: new Map<string, number>(),
  };
  const accepted: typeof valid = [];
  for (const entry of valid) {
    const issues: HouseholdIssue[] = [];
    const outsideScope: { household_id: string; field: UniqueIdentifier }[] = [];
    for (const field of ['national_id', 'card_number'] as const) {
      const value = entry.value[field];
      if (value === null) continue;
      const holder = (field === 'national_id' ? existingNationalIds : existingCards).get(value);
      const earlier = inBatch[field].get(value);
      const code = field === 'national_id' ? 'duplicate-national-id' : 'duplicate-card-number';
      const taken = field === 'national_id' ? 'is already registered to' : 'is already issued to';
      if (holder !== undefined && !visible.has(holder)) {
        issues.push({
          field,
          code,
          message: `${taken} a household outside your scope`,
          outside_scope: true,
        });
        outsideScope.push({ household_id: holder, field });
      } else if (holder !== undefined) {
        issues.push({
          field,
          code,
          message: `${taken} ${field === 'national_id' ? 'another household' : 'a household'}`,
          household_id: holder,
        });
      } else if (earlier !== undefined) {
        issues.push({
          field,
          code,
          message: 'is repeated from an earlier entry',
          other_index: earlier,
        });
      } else inBatch[field].set(value, entry.index);
    }
    if (issues.length > 0) {
      results[entry.index] = {
        ok: false,
        issues,
        ...(outsideScope.length > 0 ? { outside_scope: outsideScope } : {}),
      };
    } else accepted.push(entry);
  }

  // Families share phones: a warning, naming who else has it.
  const holders = await phoneHolders(
    trx,
    accepted.flatMap((entry) => entry.value.phone ?? []),
  );
  const visibleHolders = await householdsInScope(trx, actor.scope, [...holders.values()].flat());
  const phoneInBatch = new Map<string, number>();
  for (const entry of accepted) {
    const phone = entry.value.phone;
    if (phone === null) continue;
    entry.warnings.push(...phoneWarnings(holders.get(phone) ?? [], visibleHolders));
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
  const pending: Pending[] = [];
  for (const [position, entry] of accepted.entries()) {
    const area = areas.get(entry.value.area_pcode);
    if (!area) throw new Error('validated household has no known area');
    pending.push({
      ...entry,
      area,
      duplicates: [],
      id: newTimeOrderedId(options.clock().getTime()),
      cardNumber: cardNumbers[position] ?? '',
      keys: nameKeys(entry.value),
      subdistrict: subdistrictOf(area),
    });
    await pace();
  }

  const candidateRows = await flagLikelyDuplicates(trx, pending, now, pace);
  const savedAnyway = options.savedAnywayReason ?? null;
  if (savedAnyway !== null) for (const row of candidateRows) row.saved_anyway_reason = savedAnyway;
  const candidatesOf = new Map<string, NewRow<'duplicate_candidates'>[]>();
  for (const row of candidateRows) {
    const list = candidatesOf.get(row.household_id);
    if (list) list.push(row);
    else candidatesOf.set(row.household_id, [row]);
  }

  const households: PlannedHousehold[] = [];
  for (const entry of pending) {
    const candidates = candidatesOf.get(entry.id) ?? [];
    households.push({
      record: toRecord(entry, actor, now, today),
      candidates,
      events: [
        {
          actor,
          action: 'household.create',
          entity: 'household',
          entityId: entry.id,
          fields: [
            ...presentFields(entry.value),
            ...(savedAnyway !== null && entry.duplicates.length > 0
              ? ['confirm_not_duplicate']
              : []),
          ],
        },
        ...candidates.map((row) => ({
          actor,
          action: 'duplicate_candidate.create',
          entity: 'duplicate_candidate',
          entityId: row.id,
          fields: [
            'household_id',
            'other_household_id',
            'score',
            'reason',
            ...(savedAnyway !== null ? ['saved_anyway_reason'] : []),
          ],
        })),
      ],
    });
    await pace();
  }

  // A likely duplicate outside the scope waits for a reviewer whose scope covers both; the
  // registrar is not told who it is.
  const newIds = new Set(pending.map((entry) => entry.id));
  const visibleOthers = await householdsInScope(
    trx,
    actor.scope,
    pending.flatMap((entry) => entry.duplicates.map((hint) => hint.other_household_id)),
  );
  for (const entry of pending) {
    entry.duplicates = entry.duplicates.filter(
      (hint) => newIds.has(hint.other_household_id) || visibleOthers.has(hint.other_household_id),
    );
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
  return {
    results: results.map((result) => {
      if (result === null) throw new Error('household input left without a result');
      return result;
    }),
    households,
  };
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

/** The audit events of the lookups that found identifiers outside the actor's scope. */
export function outsideScopeEvents(
  actor: Actor,
  results: readonly HouseholdCreateResult[],
): AuditEventInput[] {
  return results.flatMap((result) =>
    result.ok
      ? []
      : (result.outside_scope ?? []).map((match) =>
          outsideScopeLookup(actor, match.household_id, match.field),
        ),
  );
}
