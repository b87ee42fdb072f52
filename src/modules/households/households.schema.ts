/**
 * Households on the wire. Field names are those of the CSV template. Bodies name every field
 * they accept (unknown fields are refused) but leave values loose where people type digits in
 * Arabic-Indic or numbers as text: `validateHouseholdInput` then checks each value and names
 * the field and a code for every problem.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, StrictObject } from '../../shared/schema.js';
import { StringEnum } from '../commodities/commodities.schema.js';
import {
  duplicateStatuses,
  editableStatuses,
  householdStatuses,
  memberRelations,
  memberSexes,
} from '../../shared/vocabulary.js';

export { editableStatuses, householdStatuses };

const Text = (maxLength: number) => Type.String({ maxLength });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
/** A whole number, or digits as text (ASCII or Arabic-Indic). */
const Digits = Type.Union([Type.Integer(), Type.String({ maxLength: 20 })]);
const Decimal = Type.Union([Type.Number(), Type.String({ maxLength: 30 })]);

const Member = StrictObject({
  name: Text(200),
  sex: Type.Optional(Nullable(Type.Union(memberSexes.map((sex) => Type.Literal(sex))))),
  birth_year: Type.Optional(Nullable(Digits)),
  relation: Type.Optional(
    Nullable(Type.Union(memberRelations.map((relation) => Type.Literal(relation)))),
  ),
});

const householdFields = {
  head_grandfather_name: Type.Optional(Nullable(Text(200))),
  head_name_latin: Type.Optional(Nullable(Text(400))),
  national_id: Type.Optional(Nullable(Text(64))),
  phone: Type.Optional(Nullable(Text(64))),
  household_size: Type.Optional(Nullable(Digits)),
  // Typed in a text area; validation folds its line breaks into spaces.
  address: Type.Optional(Nullable(MultilineText({ maxLength: 1000 }))),
  tags: Type.Optional(Type.Array(Text(100), { maxItems: 50 })),
  members: Type.Optional(Type.Array(Member, { maxItems: 50 })),
  latitude: Type.Optional(Nullable(Decimal)),
  longitude: Type.Optional(Nullable(Decimal)),
  consent_date: Type.Optional(Nullable(Text(20))),
};

export const CreateHouseholdBody = StrictObject(
  {
    /** Assigned when empty; when given it must carry valid check digits and be unused. */
    card_number: Type.Optional(Nullable(Text(64))),
    head_given_name: Text(200),
    head_father_name: Text(200),
    head_family_name: Text(200),
    area_pcode: Text(40),
    ...householdFields,
    confirm_not_duplicate: Type.Optional(
      Type.Boolean({
        description:
          'Save although likely duplicates were shown (409 `likely-duplicate`); needs `duplicate_reason`, kept on each candidate and audited.',
      }),
    ),
    duplicate_reason: Type.Optional(Text(500)),
  },
  { description: 'A household as in the CSV template; `household_size` defaults to 1 + members.' },
);
export type CreateHouseholdInput = Static<typeof CreateHouseholdBody>;

export const UpdateHouseholdBody = StrictObject(
  {
    head_given_name: Type.Optional(Text(200)),
    head_father_name: Type.Optional(Text(200)),
    head_family_name: Type.Optional(Text(200)),
    area_pcode: Type.Optional(Text(40)),
    ...householdFields,
    status: Type.Optional(Type.Union(editableStatuses.map((status) => Type.Literal(status)))),
    /** Required when `status` changes. */
    status_reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** YYYY-MM-DD; defaults to today when `status` changes. */
    status_changed_on: Type.Optional(Text(20)),
  },
  { minProperties: 1 },
);
export type UpdateHouseholdInput = Static<typeof UpdateHouseholdBody>;

export const HouseholdListQuery = StrictObject({
  /** A name in any spelling, a card number, a phone number or a national id. */
  q: Type.Optional(Type.String({ maxLength: 200 })),
  /** Only households in this area or beneath it. */
  area: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  status: Type.Optional(Type.Union(householdStatuses.map((status) => Type.Literal(status)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type HouseholdListInput = Static<typeof HouseholdListQuery>;

const MemberView = Type.Object({
  name: Type.String(),
  sex: Nullable(StringEnum(memberSexes)),
  birth_year: Nullable(Type.Integer()),
  relation: Nullable(StringEnum(memberRelations)),
});

const NullableString = Nullable(Type.String());

/**
 * A household as presented. Fields marked optional are left out for roles that do not need
 * them (an outlet clerk sees who the household is, not how to reach it).
 */
export const Household = Type.Object({
  id: Type.String(),
  card_number: Type.String(),
  head_given_name: Type.String(),
  head_father_name: Type.String(),
  head_grandfather_name: NullableString,
  head_family_name: Type.String(),
  head_full_name: Type.String(),
  head_name_latin: Type.Optional(NullableString),
  national_id: Type.Optional(NullableString),
  phone: Type.Optional(NullableString),
  household_size: Type.Integer(),
  area_pcode: Type.String(),
  area_name_ar: Type.Optional(Type.String()),
  area_name_en: Type.Optional(Type.String()),
  address: Type.Optional(NullableString),
  latitude: Type.Optional(Nullable(Type.Number())),
  longitude: Type.Optional(Nullable(Type.Number())),
  tags: Type.Optional(Type.Array(Type.String())),
  members: Type.Optional(Type.Array(MemberView)),
  status: StringEnum(householdStatuses),
  status_reason: Type.Optional(NullableString),
  status_changed_on: Type.Optional(NullableString),
  merged_into: NullableString,
  consent_date: Type.Optional(NullableString),
  consent_recorded_by: Type.Optional(NullableString),
  created_at: Type.Optional(Type.String()),
  updated_at: Type.Optional(Type.String()),
});
export type HouseholdView = Static<typeof Household>;

export const Notice = Type.Object({
  code: Type.String(),
  field: Type.Optional(Type.String()),
  message: Type.String(),
  household_id: Type.Optional(Type.String()),
  outside_scope: Type.Optional(
    Type.Boolean({ description: 'About a household outside your scope, which is not named.' }),
  ),
});

export const DuplicateHint = Type.Object({
  id: Type.String(),
  other_household_id: Type.String(),
  score: Type.Number(),
  reason: Type.String(),
});

export const CreatedHousehold = Type.Intersect([
  Household,
  Type.Object({
    warnings: Type.Array(Notice),
    duplicate_candidates: Type.Array(DuplicateHint),
  }),
]);

export const UpdatedHousehold = Type.Intersect([
  Household,
  Type.Object({ warnings: Type.Array(Notice) }),
]);

export const HouseholdList = Type.Object({
  items: Type.Array(Household),
  next_cursor: NullableString,
});

export const VulnerabilityTag = Type.Object({
  code: Type.String(),
  label_ar: Type.String(),
  label_en: Type.String(),
});

export const VulnerabilityTagList = Type.Object({ items: Type.Array(VulnerabilityTag) });

const TagLabel = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

export const SaveVulnerabilityTagsBody = StrictObject({
  items: Type.Array(
    StrictObject({
      code: Type.String({
        pattern: '^[a-z][a-z0-9_]{0,39}$',
        description: 'Stable: files and exports carry it.',
      }),
      label_ar: TagLabel,
      label_en: TagLabel,
    }),
    { minItems: 1, maxItems: 100 },
  ),
});

// ---- Duplicates ----

export const DuplicateListQuery = StrictObject({
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('kept'), Type.Literal('merged')], {
      default: 'open',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  count: Type.Optional(
    Type.Literal('only', {
      description: 'Only `total`: no items are read (nor logged as reads of personal data).',
    }),
  ),
});
export type DuplicateListInput = Static<typeof DuplicateListQuery>;

export const DuplicateSide = Type.Object({
  id: Type.String(),
  card_number: Type.String(),
  head_full_name: Type.String(),
  household_size: Type.Integer(),
  area_pcode: Type.String(),
  status: StringEnum(householdStatuses),
});

export const DuplicateCandidate = Type.Object({
  id: Type.String(),
  household_id: Type.String(),
  other_household_id: Type.String(),
  score: Type.Number(),
  reason: Type.String(),
  status: StringEnum(duplicateStatuses),
  kept_household_id: NullableString,
  resolved_by: NullableString,
  resolved_at: NullableString,
  created_at: Type.String(),
  saved_anyway_reason: Type.Optional(NullableString),
  household: Type.Optional(DuplicateSide),
  other_household: Type.Optional(DuplicateSide),
});
export type DuplicateCandidateView = Static<typeof DuplicateCandidate>;

export const DuplicateList = Type.Object({
  items: Type.Array(DuplicateCandidate),
  next_cursor: NullableString,
  total: Type.Integer({
    description: 'Candidates with the status whose two households are both in your scope.',
  }),
});

export const ResolveDuplicateBody = StrictObject({
  action: Type.Union([Type.Literal('keep_both'), Type.Literal('merge')]),
  /** For `merge`: the household that stays (one of the pair); the other is merged into it. */
  keep: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type ResolveDuplicateInput = Static<typeof ResolveDuplicateBody>;

export const ResolvedDuplicate = Type.Object({
  candidate: DuplicateCandidate,
  /** Ledger balances carried to the kept household (merge only). */
  transfers: Type.Array(
    Type.Object({
      from_account_id: Type.String(),
      to_account_id: Type.String(),
      commodity: Type.String(),
      amount: Type.Integer(),
    }),
  ),
});
