/**
 * Editing a household in the actor's scope: the changed fields are validated as a whole new
 * household would be, the name keys and tokens follow the names, and one audit event names
 * the fields that changed.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { joinOpenCycles } from '../cycles/cycles.service.js';
import { loadHouseholdConfig, type AreaRef } from './households.config.js';
import { nameKeys } from './households.names.js';
import {
  findAreas,
  findByNationalIds,
  findHousehold,
  findMembers,
  findTags,
  householdsInScope,
  replaceMembers,
  replaceTags,
  replaceTokens,
  updateHousehold as updateHouseholdRow,
  type AreaInfo,
  type HouseholdRow,
} from './households.repository.js';
import type { HouseholdView, UpdateHouseholdInput } from './households.schema.js';
import { getHouseholdView } from './households.search.js';
import {
  cleanPcode,
  duplicateOutsideScope,
  memberRows,
  outsideScopeLookup,
  phoneHolders,
  phoneWarnings,
  subdistrictOf,
  todayIso,
  toFieldIssues,
  type HouseholdWarning,
} from './households.shared.js';
import {
  isCalendarDate,
  validateHouseholdInput,
  type InputIssue,
} from './households.validation.js';

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
  const outcome = await writeTransaction(storage, async (trx) => {
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
        const visible = await householdsInScope(trx, actor.scope, [holder.id]);
        if (!visible.has(holder.id)) {
          // Answered, not thrown: the lookup's audit event must commit (nothing else is written).
          await appendAuditEvents(
            trx,
            [outsideScopeLookup(actor, holder.id, 'national_id')],
            clock,
          );
          return duplicateOutsideScope('national_id');
        }
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
      const holders = (await phoneHolders(trx, [value.phone], id)).get(value.phone) ?? [];
      const visible = await householdsInScope(trx, actor.scope, holders);
      warnings.push(...phoneWarnings(holders, visible));
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
    // Active again: it joins the open cycles that take late registrations, as a new one does.
    if (changes.status === 'active') await joinOpenCycles(trx, actor, [id], clock);
    const view = await getHouseholdView(trx, actor, id, true);
    return { ...view, warnings };
  });
  if (outcome instanceof ConflictError) throw outcome;
  return outcome;
}
