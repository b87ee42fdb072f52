/**
 * Every table's row type, declared once and gathered in one Database interface.
 * Amounts are integers in a commodity's base unit and come back as JS numbers on both
 * dialects (connect.ts parses PostgreSQL's int8 and refuses values past 2^53).
 * Times are ISO-8601 UTC strings (`Date.prototype.toISOString`), which sort as text.
 */
import type { ColumnType, Insertable, Selectable } from 'kysely';

/** A column the database fills with a default when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface CommodityTable {
  code: string;
  name_ar: string;
  name_en: string;
  base_unit: string;
  display_unit: string;
  display_scale: number;
  /** 1 when the commodity's lots stay quarantined until a partner inspector passes them. */
  requires_inspection: Defaulted<number>;
  created_at: string;
}

export interface AccountTable {
  id: string;
  commodity: string;
  owner_kind: string;
  owner_id: string;
  flags: Defaulted<number>;
  debits_posted: Defaulted<number>;
  credits_posted: Defaulted<number>;
  debits_pending: Defaulted<number>;
  credits_pending: Defaulted<number>;
  created_at: string;
}

export interface TransferTable {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  commodity: string;
  code: string;
  flags: number;
  pending_id: string | null;
  timeout_seconds: number;
  actor_id: string | null;
  references_json: string | null;
  created_at: string;
}

/** The mutable state of a pending transfer (the transfer row itself never changes). */
export interface PendingTransferTable {
  id: string;
  status: 'pending' | 'posted' | 'voided' | 'expired';
  expires_at: string | null;
}

/** Ids whose creation failed for a reason that depends on state; they stay failed. */
export interface TransferFailureTable {
  id: string;
  code: string;
  created_at: string;
}

export interface AreaTable {
  pcode: string;
  parent_pcode: string | null;
  level: 'governorate' | 'district' | 'subdistrict' | 'community';
  kind: string | null;
  name_ar: string;
  name_en: string;
  latitude: number | null;
  longitude: number | null;
  /** '/SY06/SY0600/SY060000/': makes "this area and everything under it" a prefix match. */
  path: string;
  created_at: string;
}

export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  kind: 'branch' | 'section' | 'unit';
  name_ar: string;
  name_en: string;
  path: string;
  created_at: string;
}

export interface OrgUnitAreaTable {
  org_unit_id: string;
  area_pcode: string;
}

export interface PartnerTable {
  id: string;
  kind: 'health_directorate' | 'consumer_corporation' | 'bakery' | 'municipality' | 'other';
  name_ar: string;
  name_en: string;
  area_pcode: string;
  created_at: string;
}

export interface ServicePointTable {
  id: string;
  partner_id: string | null;
  name_ar: string;
  name_en: string;
  area_pcode: string;
  /** JSON array of the commodity codes it hands out; null: every commodity. */
  commodities_json: Defaulted<string | null>;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  disabled_at: string | null;
  /** The partner the user works for (an inspector's health directorate), if any. */
  partner_id: Defaulted<string | null>;
  created_at: string;
}

/** One row per scope grant: an org unit or an area, each with its whole subtree. */
export interface UserScopeTable {
  user_id: string;
  org_unit_id: string | null;
  area_pcode: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** One failed sign-in, under the hash of its throttle key (see login-throttle.ts). */
export interface LoginFailureTable {
  key_hash: string;
  failed_at: string;
  /** The attempt that made the row (null on rows from before attempts were counted). */
  attempt_id: Defaulted<string | null>;
}

export interface TokenTable {
  id: string;
  token_hash: string;
  kind: 'device' | 'integration';
  name: string;
  user_id: string;
  revoked_at: string | null;
  created_at: string;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  fields_json: string;
  request_id: string | null;
  /** The token the action was made with, if any. */
  token_id: Defaulted<string | null>;
  previous_hash: string;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

import type {
  CycleStatus,
  DuplicateStatus,
  HouseholdStatus,
  RunStatus,
} from '../shared/vocabulary.js';

export type { CycleStatus, HouseholdStatus, RunStatus } from '../shared/vocabulary.js';

export interface HouseholdTable {
  id: string;
  /** The current card; every card ever issued is in `cards`. */
  card_number: string;
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  head_name_latin: string | null;
  /** normalizeArabic of the head's full name (Arabic and Latin). */
  full_name_normalized: string;
  /** The normalised family name without its article. */
  family_key: string;
  /** Duplicate-blocking keys: two of the given, father and family names, normalised. */
  given_father_key: string;
  family_given_key: Defaulted<string | null>;
  family_father_key: Defaulted<string | null>;
  national_id: string | null;
  /** E.164. */
  phone: string | null;
  household_size: number;
  area_pcode: string;
  /** The area's subdistrict (itself when the area is one): where duplicates are looked for. */
  subdistrict_pcode: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  status: HouseholdStatus;
  status_reason: string | null;
  /** YYYY-MM-DD. */
  status_changed_on: string | null;
  merged_into: string | null;
  consent_date: string | null;
  consent_recorded_by: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** The import that wrote it, while that import may still be undone (see household_imports). */
  import_id: Defaulted<string | null>;
}

/**
 * An import writing households in many short transactions: `writing` until its last one
 * commits; an import that fails, or whose process dies (no heartbeat for a while), is undone:
 * `undoing` while its households are deleted, then `undone`.
 */
export interface HouseholdImportTable {
  id: string;
  status: 'writing' | 'committed' | 'undoing' | 'undone';
  created_by: string | null;
  started_at: string;
  /** Moved forward by every write of the import: an old one means its process is gone. */
  heartbeat_at: string;
  finished_at: string | null;
  /** A committed import's households have joined the open cycles (null: not yet, see sweep). */
  joined_at: string | null;
}

export interface HouseholdMemberTable {
  household_id: string;
  position: number;
  name: string;
  sex: 'female' | 'male' | null;
  birth_year: number | null;
  relation: string | null;
}

export interface HouseholdTagTable {
  household_id: string;
  tag: string;
}

/** One row per distinct normalised token of a household's names: the search index. */
export interface HouseholdNameTokenTable {
  token: string;
  household_id: string;
}

export interface CardTable {
  card_number: string;
  household_id: string;
  /** YYYY-MM-DD. */
  issued_on: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface DuplicateCandidateTable {
  id: string;
  /** The household registered later. */
  household_id: string;
  other_household_id: string;
  score: number;
  reason: string;
  status: DuplicateStatus;
  kept_household_id: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
  /** Why the registrar, shown this likely duplicate before saving, saved anyway. */
  saved_anyway_reason: Defaulted<string | null>;
}

/** Programme rules (docs/programme-rules.md) are stored as JSON text. */
export interface ProgrammeTable {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  rules_json: string;
  /** The area that owns it: only users whose scope covers it may change it (null: unscoped only). */
  owner_area_pcode: Defaulted<string | null>;
  /** 1: a household registered while a cycle is open joins it when eligible. */
  late_registrations_join: Defaulted<number>;
  created_by: string | null;
  created_at: string;
}

/** A household's home service point in a programme: it redeems that programme only there. */
export interface HouseholdServicePointTable {
  programme_id: string;
  household_id: string;
  service_point_id: string;
}

/** The service points a user works at; a user with none may redeem at any in scope. */
export interface UserServicePointTable {
  user_id: string;
  service_point_id: string;
}

/** Someone outside the household who may collect for it. */
export interface HouseholdProxyTable {
  id: string;
  household_id: string;
  name: string;
  relation: string | null;
  national_id: Defaulted<string | null>;
  created_at: string;
}

/** A service point's day close, per commodity (base units); the difference is also posted. */
export interface DayCloseTable {
  service_point_id: string;
  /** YYYY-MM-DD in the deployment's time zone. */
  day: string;
  commodity: string;
  received: number;
  handed_out: number;
  /** What the ledger says is on hand at the close, before the adjustment. */
  on_hand_books: number;
  counted: number;
  /** counted - on_hand_books. */
  difference: number;
  closed_by: string | null;
  closed_at: string;
}

export interface CycleTable {
  id: string;
  programme_id: string;
  /** YYYY-MM-DD. */
  starts_on: string;
  /** YYYY-MM-DD, the last day households may redeem. */
  ends_on: string;
  status: CycleStatus;
  credit_batches: Defaulted<number>;
  households_credited: Defaulted<number>;
  created_by: string | null;
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
}

export interface CycleAreaTable {
  cycle_id: string;
  area_pcode: string;
}

/** A household credited in a cycle, with the size its entitlement was computed from. */
export interface CycleHouseholdTable {
  cycle_id: string;
  household_id: string;
  household_size: number;
  batch: number;
}

export interface RedemptionTable {
  /** Chosen by the client. */
  id: string;
  household_id: string;
  service_point_id: string;
  /** SHA-256 of the request body, to tell a retry from another request reusing the id. */
  request_hash: string;
  /** The first answer, returned again to retries. */
  result_json: string;
  actor_id: string | null;
  /** Who collected: null or 'head', 'member:<position>', 'proxy:<id>'. */
  collected_by: Defaulted<string | null>;
  /** Why a coordinator served the household away from its home service point. */
  override_reason: Defaulted<string | null>;
  created_at: string;
}

export interface TrainingTable {
  code: string;
  name_ar: string;
  name_en: string;
  valid_days: number;
  created_at: string;
}

export type VolunteerStatus = 'active' | 'paused' | 'left';

export interface VolunteerTable {
  id: string;
  given_name: string;
  family_name: string;
  name_latin: string | null;
  /** E.164. */
  phone: string;
  national_id: string | null;
  sex: 'female' | 'male' | null;
  birth_year: number | null;
  area_pcode: string;
  org_unit_id: string;
  /** JSON array of skill codes from the configured list. */
  skills_json: string;
  /** JSON array of {"day": 0-6, "from": "HH:MM", "to": "HH:MM"}. */
  availability_json: string;
  status: VolunteerStatus;
  /** YYYY-MM-DD: when the status was set. */
  status_on: string;
  user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface VolunteerTrainingTable {
  id: string;
  volunteer_id: string;
  training_code: string;
  /** YYYY-MM-DD. */
  completed_on: string;
  /** YYYY-MM-DD, the last day it is valid. */
  expires_on: string;
  trainer: string | null;
  certificate_ref: string | null;
  created_at: string;
}

export interface PermitTable {
  id: string;
  volunteer_id: string;
  number: string;
  issuer_partner_id: string | null;
  /** YYYY-MM-DD, both inclusive. */
  valid_from: string;
  valid_to: string;
  /** "HH:MM-HH:MM", when the permit allows movement. */
  hours: string | null;
  created_at: string;
}

export interface PermitAreaTable {
  permit_id: string;
  area_pcode: string;
}

export interface TeamTable {
  id: string;
  name: string;
  org_unit_id: string;
  leader_id: string;
  max_stops: number;
  /** JSON object commodity -> the most a run carries, in base units. */
  capacity_json: string;
  /** JSON array of training codes every member must hold to be dispatched. */
  required_trainings_json: string;
  created_at: string;
}

export interface TeamMemberTable {
  team_id: string;
  volunteer_id: string;
}

export interface TeamAreaTable {
  team_id: string;
  area_pcode: string;
}

export interface RunTable {
  id: string;
  cycle_id: string;
  team_id: string;
  /** YYYY-MM-DD in the deployment's time zone. */
  date: string;
  source_service_point_id: string;
  area_pcodes_json: string;
  status: RunStatus;
  /** When the run's reservations expire (end of its day plus the grace); set at dispatch. */
  reservation_expires_at: string | null;
  /** The close summary, JSON. */
  summary_json: string | null;
  created_by: string | null;
  created_at: string;
  dispatched_at: string | null;
  closed_at: string | null;
  /** The planned route's length (from the depot through the stops and back), metres. */
  length_metres: number | null;
  /** Where the route starts and ends: the source service point's area centroid. */
  depot_latitude: number | null;
  depot_longitude: number | null;
}

export type StopState = 'planned' | 'reserved' | 'delivered' | 'partial' | 'failed' | 'voided';

export interface RunStopTable {
  id: string;
  run_id: string;
  household_id: string;
  cycle_id: string;
  sequence: number;
  /** JSON [{commodity, quantity}]: what the stop is to receive (and what dispatch reserves). */
  items_json: string;
  state: StopState;
  failed_reason: string | null;
  /** JSON [{commodity, quantity}] actually handed over. */
  delivered_json: string | null;
  /** The field op that delivered it. */
  op_id: string | null;
  updated_at: string;
  /** The point the route passes: the household's location, else its community's centroid. */
  latitude: number | null;
  longitude: number | null;
}

export interface FieldDeviceTable {
  id: string;
  token_id: string;
  token_hash: string;
  volunteer_id: string;
  name: string;
  ops_received: Defaulted<number>;
  wiped_at: string | null;
  last_sync_at: string | null;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export type SyncStatus = 'applied' | 'exception' | 'rejected';

export interface SyncOpTable {
  /** Chosen by the phone (time-ordered). */
  id: string;
  /** SHA-256 of the op's canonical JSON: what "the same op" means. */
  content_hash: string;
  kind: string;
  run_id: string | null;
  stop_id: string | null;
  device_id: string | null;
  actor_id: string | null;
  status: SyncStatus;
  code: string | null;
  message: string | null;
  /** JSON [{commodity, quantity}]: the goods this op moved out of the team's stock. */
  goods_json: string | null;
  /** When the phone says it happened. */
  at: string | null;
  received_at: string;
}

export interface FieldExceptionTable {
  id: string;
  op_id: string;
  run_id: string;
  stop_id: string | null;
  household_id: string | null;
  items_json: string;
  code: string;
  goods_held: 'team' | 'none';
  status: 'open' | 'approved' | 'rejected';
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface VolunteerHoursTable {
  volunteer_id: string;
  run_id: string;
  minutes: number;
  created_at: string;
}

/** Protective equipment handed to a volunteer (a plain record until the warehouse issue). */
export interface PpeIssueTable {
  id: string;
  volunteer_id: string;
  item: string;
  quantity: number;
  issued_on: string;
  note: string | null;
  issued_by: string | null;
  created_at: string;
  /** The team lot it was issued from (a ledger transfer), when issued from stock. */
  lot_id: Defaulted<string | null>;
  team_id: Defaulted<string | null>;
}

export interface WarehouseTable {
  id: string;
  name_ar: string;
  name_en: string;
  area_pcode: string;
  org_unit_id: string | null;
  /** The partner the warehouse belongs to, when it is theirs. */
  partner_id: string | null;
  /** The partner whose inspectors pass this warehouse's quarantined lots; null: any health directorate. */
  inspection_partner_id: string | null;
  created_at: string;
}

export interface WarehouseLocationTable {
  id: string;
  warehouse_id: string;
  room: string;
  shelf: string | null;
  created_at: string;
}

export interface DonorTable {
  id: string;
  kind: 'member' | 'person' | 'organisation' | 'anonymous';
  name: string | null;
  phone: string | null;
  email: string | null;
  created_at: string;
}

export interface NumberSeriesTable {
  series: string;
  year: number;
  last_number: number;
}

export interface DonationTable {
  /** The client's id (idempotency key). */
  id: string;
  /** Canonical JSON hash of the request body: same id with another body is a conflict. */
  request_hash: string;
  receipt_number: string;
  warehouse_id: string;
  donor_id: string;
  received_by: string | null;
  received_at: string;
  /** The first answer, given again to a retry with the same id and body. */
  answer_json: string;
}

export type LotStatus = 'quarantined' | 'released' | 'rejected' | 'expired';

export interface LotTable {
  id: string;
  number: string;
  commodity: string;
  expires_on: string | null;
  source: 'donation' | 'purchase' | 'transfer' | 'split';
  status: LotStatus;
  warehouse_id: string;
  location_id: string | null;
  donation_id: string | null;
  line_number: number | null;
  /** The quantity the lot was received (or split off) with. */
  quantity: number;
  condition: string | null;
  inspection_partner_id: string | null;
  /** The lot a part-pass split this one from. */
  parent_lot_id: string | null;
  created_at: string;
}

export interface InspectionTable {
  id: string;
  request_hash: string;
  lot_id: string;
  partner_id: string;
  inspector_id: string;
  result: 'pass' | 'fail' | 'partial';
  sample_size: number | null;
  passed_quantity: number;
  rejected_quantity: number;
  sterilisation_method: string | null;
  sterilised_on: string | null;
  sterilised_by: string | null;
  certificate_ref: string | null;
  notes: string | null;
  /** A part pass: the lot split off with the rejected quantity. */
  rejected_lot_id: string | null;
  created_at: string;
}

export type AllocationStatus = 'draft' | 'approved' | 'dispatched' | 'received' | 'cancelled';

export interface AllocationTable {
  id: string;
  request_hash: string;
  warehouse_id: string;
  recipient_kind: 'partner' | 'team' | 'org_unit' | 'service_point' | 'warehouse';
  recipient_id: string;
  purpose: string;
  status: AllocationStatus;
  created_by: string | null;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  dispatched_by: string | null;
  dispatched_at: string | null;
  received_by: string | null;
  received_at: string | null;
  cancelled_at: string | null;
}

export interface StockCountTable {
  id: string;
  request_hash: string;
  warehouse_id: string;
  /** submitted: counted, nothing posted; approved: a second person posted the differences. */
  status: 'submitted' | 'approved';
  counted_by: string | null;
  counted_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface StockCountLineTable {
  count_id: string;
  lot_id: string;
  commodity: string;
  /** On the shelf by the books when counted (every state but in transit). */
  books: number;
  counted: number;
  /** counted - books; posted to the lot's available account on approval. */
  difference: number;
}

export interface ReorderLevelTable {
  holder_kind: string;
  holder_id: string;
  commodity: string;
  level: number;
  updated_at: string;
}

export interface AllocationLineTable {
  id: string;
  allocation_id: string;
  line_number: number;
  lot_id: string;
  commodity: string;
  quantity: number;
  received_quantity: number | null;
}

import type { MessageChannel, MessageStatus } from '../shared/vocabulary.js';

export type { MessageChannel, MessageStatus } from '../shared/vocabulary.js';

/** One message of the outbox; the worker claims it (claim_id, claimed_until) while sending. */
export interface MessageTable {
  /** Stable across attempts: the gateway drops a repeat by it. */
  id: string;
  channel: MessageChannel;
  /** E.164 (sms), an address (email), a webhook id (webhook) or a user id (inbox). */
  recipient: string;
  household_id: string | null;
  user_id: string | null;
  subject: string | null;
  body: string;
  language: 'ar' | 'en';
  template_code: string | null;
  source_kind: string;
  source_id: string | null;
  /** The message this one sends again (a resend from the office gets a new id). */
  resend_of: string | null;
  status: MessageStatus;
  /** 1 once a `sent` message waited out the receipt window: final, shown as unconfirmed. */
  unconfirmed: Defaulted<number>;
  attempts: Defaulted<number>;
  last_error: string | null;
  next_attempt_at: string;
  claim_id: string | null;
  claimed_until: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  read_at: string | null;
}

export interface MessageTemplateTable {
  code: string;
  channel: MessageChannel;
  subject_ar: string | null;
  subject_en: string | null;
  body_ar: string;
  body_en: string;
  created_at: string;
  updated_at: string;
}

export interface MessageOptOutTable {
  household_id: string;
  channel: MessageChannel;
  created_at: string;
}

export interface MessageWebhookTable {
  id: string;
  name: string;
  url: string;
  /** The HMAC-SHA256 key of the signature header. */
  secret: string;
  created_at: string;
}

export interface VenueTable {
  id: string;
  name_ar: string;
  name_en: string | null;
  area_pcode: string;
  floor_area_m2: number;
  seats: number;
  created_at: string;
}

/** A meeting or seminar; `confirmed_count` never passes `capacity` (CHECK). */
export interface MeetingTable {
  id: string;
  kind: 'meeting' | 'seminar';
  title: string;
  venue_id: string;
  org_unit_id: string;
  starts_at: string;
  ends_at: string;
  m2_per_person: number;
  capacity: number;
  confirmed_count: Defaulted<number>;
  /** Registrations ever taken: the next one's `seq`. */
  registered_count: Defaulted<number>;
  agenda: string | null;
  minutes: string | null;
  /** JSON array of decision texts. */
  decisions_json: Defaulted<string>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface MeetingRegistrationTable {
  id: string;
  meeting_id: string;
  seq: number;
  name: string;
  phone: string | null;
  user_id: string | null;
  volunteer_id: string | null;
  status: RegistrationStatus;
  /** The secret in the registration's QR code, shown at the door. */
  checkin_code: string;
  checked_in_at: string | null;
  promoted_at: string | null;
  cancelled_at: string | null;
  created_at: string;
}

export interface MeetingActionItemTable {
  id: string;
  meeting_id: string;
  title: string;
  owner_user_id: string | null;
  owner_name: string | null;
  /** YYYY-MM-DD. */
  due_on: string;
  status: 'open' | 'done' | 'dropped';
  reminded_before_at: string | null;
  reminded_after_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CircularTable {
  id: string;
  title: string;
  /** The internal body, for members. */
  body: string;
  from_org_unit_id: string;
  /** JSON array of chosen org unit ids (each with its subtree); null: the issuing unit's subtree. */
  audience_json: string | null;
  ack_required: number;
  due_at: string | null;
  /** The public version for citizens, and the areas whose households get it. */
  public_body: string | null;
  public_area_pcodes_json: string | null;
  status: 'draft' | 'published';
  published_at: string | null;
  reminded_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CircularUnitTable {
  circular_id: string;
  org_unit_id: string;
  parent_org_unit_id: string | null;
  depth: number;
  relayed_at: string | null;
  relayed_by: string | null;
}

export interface CircularRecipientTable {
  circular_id: string;
  member_kind: 'user' | 'volunteer';
  member_id: string;
  org_unit_id: string;
  link_hash: string | null;
  acknowledged_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export interface CircularAttachmentTable {
  id: string;
  circular_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content_base64: string;
  created_by: string | null;
  created_at: string;
}

export interface Database {
  commodities: CommodityTable;
  accounts: AccountTable;
  transfers: TransferTable;
  pending_transfers: PendingTransferTable;
  transfer_failures: TransferFailureTable;
  areas: AreaTable;
  org_units: OrgUnitTable;
  org_unit_areas: OrgUnitAreaTable;
  partners: PartnerTable;
  service_points: ServicePointTable;
  users: UserTable;
  user_scopes: UserScopeTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  tokens: TokenTable;
  audit_events: AuditEventTable;
  settings: SettingTable;
  households: HouseholdTable;
  household_imports: HouseholdImportTable;
  household_members: HouseholdMemberTable;
  household_tags: HouseholdTagTable;
  household_name_tokens: HouseholdNameTokenTable;
  cards: CardTable;
  duplicate_candidates: DuplicateCandidateTable;
  programmes: ProgrammeTable;
  cycles: CycleTable;
  cycle_areas: CycleAreaTable;
  cycle_households: CycleHouseholdTable;
  redemptions: RedemptionTable;
  trainings: TrainingTable;
  volunteers: VolunteerTable;
  volunteer_trainings: VolunteerTrainingTable;
  permits: PermitTable;
  permit_areas: PermitAreaTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  team_areas: TeamAreaTable;
  runs: RunTable;
  run_stops: RunStopTable;
  field_devices: FieldDeviceTable;
  sync_ops: SyncOpTable;
  field_exceptions: FieldExceptionTable;
  volunteer_hours: VolunteerHoursTable;
  ppe_issues: PpeIssueTable;
  household_service_points: HouseholdServicePointTable;
  user_service_points: UserServicePointTable;
  household_proxies: HouseholdProxyTable;
  day_closes: DayCloseTable;
  warehouses: WarehouseTable;
  warehouse_locations: WarehouseLocationTable;
  donors: DonorTable;
  number_series: NumberSeriesTable;
  donations: DonationTable;
  lots: LotTable;
  inspections: InspectionTable;
  allocations: AllocationTable;
  allocation_lines: AllocationLineTable;
  stock_counts: StockCountTable;
  stock_count_lines: StockCountLineTable;
  reorder_levels: ReorderLevelTable;
  messages: MessageTable;
  message_templates: MessageTemplateTable;
  message_opt_outs: MessageOptOutTable;
  message_webhooks: MessageWebhookTable;
  venues: VenueTable;
  meetings: MeetingTable;
  meeting_registrations: MeetingRegistrationTable;
  meeting_action_items: MeetingActionItemTable;
  circulars: CircularTable;
  circular_units: CircularUnitTable;
  circular_recipients: CircularRecipientTable;
  circular_attachments: CircularAttachmentTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
