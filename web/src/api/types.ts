/** The API's answers as the web app reads them (see /api/openapi.json for the full shapes). */
import type { Role } from '../../../src/shared/roles.js';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Area {
  pcode: string;
  parent_pcode: string | null;
  level: 'governorate' | 'district' | 'subdistrict' | 'community' | string;
  kind: string | null;
  name_ar: string;
  name_en: string;
  latitude: number | null;
  longitude: number | null;
  path: string;
}

export interface Member {
  name: string;
  sex: 'female' | 'male' | null;
  birth_year: number | null;
  relation: string | null;
}

export interface Household {
  id: string;
  card_number: string;
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  head_full_name: string;
  head_name_latin?: string | null;
  national_id?: string | null;
  phone?: string | null;
  household_size: number;
  area_pcode: string;
  area_name_ar?: string;
  area_name_en?: string;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  tags?: string[];
  members?: Member[];
  status: string;
  status_reason?: string | null;
  status_changed_on?: string | null;
  merged_into: string | null;
  consent_date?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface Notice {
  code: string;
  field?: string;
  message: string;
  household_id?: string;
}

export interface DuplicateHint {
  id: string;
  other_household_id: string;
  score: number;
  reason: string;
}

export interface CreatedHousehold extends Household {
  warnings: Notice[];
  duplicate_candidates?: DuplicateHint[];
}

export interface VulnerabilityTag {
  code: string;
  label_ar: string;
  label_en: string;
}

export interface DuplicateSide {
  id: string;
  card_number: string;
  head_full_name: string;
  household_size: number;
  area_pcode: string;
  status: string;
}

export interface DuplicateCandidate {
  id: string;
  household_id: string;
  other_household_id: string;
  score: number;
  reason: string;
  status: 'open' | 'kept' | 'merged' | string;
  kept_household_id: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
  household?: DuplicateSide;
  other_household?: DuplicateSide;
}

export interface Commodity {
  code: string;
  name_ar: string;
  name_en: string;
  base_unit: string;
  display_unit: string;
  display_scale: number;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  fields: string[];
  request_id: string | null;
  token_id: string | null;
  hash: string;
  /** Who did it; null for the system or a deleted user. */
  actor: { display_name: string; role: Role } | null;
  /** The record's name, where it has one that is not personal data. */
  record: { label_ar: string; label_en: string } | null;
}

export interface Tier {
  size_max?: number;
  quantity: number;
}

export interface ItemRule {
  commodity: string;
  per_person?: number;
  min?: number;
  max?: number;
  tiers?: Tier[];
}

export interface Eligibility {
  statuses?: string[];
  tags_any?: string[];
  tags_all?: string[];
  tags_none?: string[];
  area_pcodes?: string[];
}

export interface Rules {
  eligibility?: Eligibility;
  items: ItemRule[];
}

export interface Programme {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  rules: Rules;
  created_at: string;
}

export interface Preview {
  households: number;
  totals: { commodity: string; quantity: number }[];
}

export interface Cycle {
  id: string;
  programme_id: string;
  starts_on: string;
  ends_on: string;
  area_pcodes: string[];
  status: 'draft' | 'opening' | 'open' | 'closing' | 'closed';
  households_credited: number;
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
  households_processed?: number;
}
