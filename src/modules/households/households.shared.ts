/**
 * What registration, update and search of households share: the shapes of issues and warnings
 * they answer with, dates, p-codes and the rows derived from a validated household.
 */
import type { NewRow } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import type { Actor } from '../../domain/actor.js';
import { ConflictError, type FieldIssue } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import type { AuditEventInput } from '../audit/audit.service.js';
import { findByPhones, type AreaInfo } from './households.repository.js';
import type { InputIssue, ValidHousehold } from './households.validation.js';

/** An issue of one input; duplicates name the household (or the earlier input) they collide with. */
export interface HouseholdIssue extends InputIssue {
  /** Only when that household is in the actor's scope. */
  household_id?: string;
  /** The collision is with a household outside the actor's scope, which is not named. */
  outside_scope?: true;
  /** Index of the earlier input of the same batch. */
  other_index?: number;
}

export interface HouseholdWarning {
  code: string;
  field?: string;
  message: string;
  household_id?: string;
  other_index?: number;
  outside_scope?: true;
}

/** At most this many other households are named in a phone-shared warning. */
export const MAX_PHONE_WARNINGS = 3;

export function todayIso(clock: Clock): string {
  return clock().toISOString().slice(0, 10);
}

export function subdistrictOf(area: AreaInfo): string {
  return area.level === 'subdistrict' ? area.pcode : (area.parent_pcode ?? area.pcode);
}

export function cleanPcode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const pcode = toAsciiDigits(raw).trim().toUpperCase();
  return pcode === '' ? null : pcode;
}

export function toFieldIssues(issues: readonly InputIssue[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: `/${issue.field}`,
    message: issue.message,
    code: issue.code,
  }));
}

export function memberRows(
  householdId: string,
  value: ValidHousehold,
): NewRow<'household_members'>[] {
  return value.members.map((member, position) => ({
    household_id: householdId,
    position,
    name: member.name,
    sex: member.sex,
    birth_year: member.birth_year,
    relation: member.relation,
  }));
}

/**
 * Households registered with each phone (oldest first, the one being edited left out): a
 * family shares its phone, so this is a warning naming who else has it, never a refusal.
 */
export async function phoneHolders(
  db: Executor,
  phones: readonly string[],
  except?: string,
): Promise<Map<string, string[]>> {
  const holders = new Map<string, string[]>();
  for (const row of await findByPhones(db, phones)) {
    if (row.id === except) continue;
    const list = holders.get(row.phone ?? '') ?? [];
    list.push(row.id);
    holders.set(row.phone ?? '', list);
  }
  return holders;
}

/**
 * The phone-shared warnings of a phone, naming at most MAX_PHONE_WARNINGS households of the
 * actor's scope (`visible`); households outside it are mentioned once, without an id.
 */
export function phoneWarnings(
  holders: readonly string[],
  visible: ReadonlySet<string>,
): HouseholdWarning[] {
  const named = holders.filter((holder) => visible.has(holder));
  const warnings: HouseholdWarning[] = named.slice(0, MAX_PHONE_WARNINGS).map((holder) => ({
    code: 'phone-shared',
    field: 'phone',
    message: 'is also registered to another household',
    household_id: holder,
  }));
  if (named.length < holders.length) {
    warnings.push({
      code: 'phone-shared',
      field: 'phone',
      message: 'is also registered to a household outside your scope',
      outside_scope: true,
    });
  }
  return warnings;
}

export type UniqueIdentifier = 'national_id' | 'card_number';

/**
 * The 409 of an identifier held by a household outside the actor's scope: it says the family
 * is registered (so it is not registered twice) but names no household.
 */
export function duplicateOutsideScope(field: UniqueIdentifier): ConflictError {
  return field === 'national_id'
    ? new ConflictError(
        'duplicate-national-id',
        'This national id is already registered outside your scope.',
        { outside_scope: true },
      )
    : new ConflictError(
        'duplicate-card-number',
        'This card number is already issued outside your scope.',
        { outside_scope: true },
      );
}

/**
 * The audit event of a lookup that found an identifier held outside the actor's scope: one
 * per input, so a sweep of many identifiers (an import's dry run) shows in the log row by row.
 */
export function outsideScopeLookup(
  actor: Actor,
  householdId: string,
  field: UniqueIdentifier,
): AuditEventInput {
  return {
    actor,
    action: 'household.lookup_outside_scope',
    entity: 'household',
    entityId: householdId,
    fields: [field],
  };
}
