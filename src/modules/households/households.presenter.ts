/** What leaves the server about a household, by role: only what the reader needs. */
import { can } from '../../shared/permissions.js';
import type { Role } from '../../shared/roles.js';
import type { MemberRelation } from '../../shared/vocabulary.js';
import { fullName } from './households.names.js';
import type { HouseholdRow, MemberRow } from './households.repository.js';
import type { HouseholdView } from './households.schema.js';

/** Roles holding `households.readDetails` see the full record; others (the outlet clerk) see who it is only. */
function readsDetails(role: Role): boolean {
  return can(role, 'households.readDetails');
}

export interface PresentableHousehold extends HouseholdRow {
  area_name_ar?: string;
  area_name_en?: string;
}

/** The personal fields a presentation of this role contains: what a read logs. */
export function personalFieldsFor(role: Role, withMembers: boolean): string[] {
  const identity = [
    'head_given_name',
    'head_father_name',
    'head_grandfather_name',
    'head_family_name',
  ];
  if (!readsDetails(role)) return identity;
  return [
    ...identity,
    'head_name_latin',
    'national_id',
    'phone',
    'address',
    'location',
    'tags',
    ...(withMembers ? ['members'] : []),
  ];
}

/** Presents a household for the role; members only when given (the detail view). */
export function presentHousehold(
  row: PresentableHousehold,
  role: Role,
  tags: readonly string[],
  members?: readonly MemberRow[],
): HouseholdView {
  const identity: HouseholdView = {
    id: row.id,
    card_number: row.card_number,
    head_given_name: row.head_given_name,
    head_father_name: row.head_father_name,
    head_grandfather_name: row.head_grandfather_name,
    head_family_name: row.head_family_name,
    head_full_name: fullName(row),
    household_size: row.household_size,
    area_pcode: row.area_pcode,
    ...(row.area_name_ar !== undefined ? { area_name_ar: row.area_name_ar } : {}),
    ...(row.area_name_en !== undefined ? { area_name_en: row.area_name_en } : {}),
    status: row.status,
    merged_into: row.merged_into,
  };
  if (!readsDetails(role)) return identity;
  return {
    ...identity,
    head_name_latin: row.head_name_latin,
    national_id: row.national_id,
    phone: row.phone,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    tags: [...tags],
    ...(members
      ? {
          members: members.map((member) => ({
            name: member.name,
            sex: member.sex,
            birth_year: member.birth_year,
            relation: member.relation as MemberRelation | null,
          })),
        }
      : {}),
    status_reason: row.status_reason,
    status_changed_on: row.status_changed_on,
    consent_date: row.consent_date,
    consent_recorded_by: row.consent_recorded_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
