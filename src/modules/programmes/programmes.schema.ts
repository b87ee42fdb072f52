/** Programmes on the wire: rules that turn households into entitlements (docs/programme-rules.md). */
import { Type, type Static } from '@sinclair/typebox';
import { householdStatuses, maxRuleQuantity, maxTierSize } from '../../domain/entitlement/rules.js';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';
import { CommodityCode, StringEnum } from '../commodities/commodities.schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Quantity = Type.Integer({ minimum: 0, maximum: maxRuleQuantity });
const Tag = Type.String({ minLength: 1, maxLength: 40 });
const tagList = (description: string) =>
  Type.Array(Tag, { minItems: 1, maxItems: 50, uniqueItems: true, description });

export const Eligibility = StrictObject(
  {
    statuses: Type.Optional(
      Type.Array(StringEnum(householdStatuses), {
        minItems: 1,
        uniqueItems: true,
        description: "Household statuses that qualify; default ['active'].",
      }),
    ),
    tags_any: Type.Optional(tagList('At least one of these tags.')),
    tags_all: Type.Optional(tagList('Every one of these tags.')),
    tags_none: Type.Optional(tagList('None of these tags.')),
    area_pcodes: Type.Optional(
      Type.Array(Pcode, {
        minItems: 1,
        maxItems: 500,
        uniqueItems: true,
        description: 'Only households in these areas or beneath them.',
      }),
    ),
  },
  { description: 'Every key is optional; an absent key does not restrict.' },
);

export const Tier = StrictObject({
  size_max: Type.Optional(Type.Integer({ minimum: 1, maximum: maxTierSize })),
  quantity: Quantity,
});

export const ItemRule = StrictObject(
  {
    commodity: CommodityCode,
    per_person: Type.Optional(Type.Integer({ minimum: 1, maximum: maxRuleQuantity })),
    min: Type.Optional(Quantity),
    max: Type.Optional(Quantity),
    tiers: Type.Optional(Type.Array(Tier, { minItems: 1, maxItems: 50 })),
    per_day_max: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxRuleQuantity,
        description: 'The most handed over per day (in the deployment time zone), base units.',
      }),
    ),
    per_visit_max: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxRuleQuantity,
        description: 'The most handed over in one hand-over, base units.',
      }),
    ),
  },
  {
    description:
      'Exactly one of `per_person` (times household size, clamped to [min, max]) or `tiers` ' +
      '(the first tier whose size_max is at least the household size; the last tier has no ' +
      'size_max and takes every larger household). Quantities are in base units. Optional ' +
      '`per_day_max` and `per_visit_max` limit what one hand-over and one day take of the ' +
      "cycle's total.",
  },
);

export const Rules = StrictObject(
  {
    eligibility: Type.Optional(Eligibility),
    items: Type.Array(ItemRule, { minItems: 1, maxItems: 50 }),
  },
  {
    description:
      'Who qualifies and what each qualifying household is entitled to. Example: ' +
      '{"eligibility": {"tags_any": ["elderly"]}, "items": [{"commodity": "sugar", "per_person": 1000, ' +
      '"min": 1000, "max": 5000}, {"commodity": "bread", "tiers": [{"size_max": 3, "quantity": 1}, ' +
      '{"size_max": 6, "quantity": 2}, {"quantity": 3}]}]}',
  },
);
export type RulesInput = Static<typeof Rules>;

const ProgrammeCode = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' });

const OwnerArea = Type.Union([Pcode, Type.Null()], {
  description:
    'The area that owns the programme: only users whose scope covers it may change it. ' +
    'Null (only for users who see every area): the whole organisation.',
});
const LateRegistrationsJoin = Type.Boolean({
  description:
    'True (the default): a household registered while a cycle of the programme is open joins ' +
    'it when eligible. False: it waits for the next cycle.',
});

export const CreateProgrammeBody = StrictObject({
  code: ProgrammeCode,
  name_ar: Name,
  name_en: Name,
  rules: Rules,
  owner_area_pcode: Type.Optional(OwnerArea),
  late_registrations_join: Type.Optional(LateRegistrationsJoin),
});
export type CreateProgrammeInput = Static<typeof CreateProgrammeBody>;

export const UpdateProgrammeBody = StrictObject(
  {
    name_ar: Type.Optional(Name),
    name_en: Type.Optional(Name),
    rules: Type.Optional(Rules),
    owner_area_pcode: Type.Optional(OwnerArea),
    late_registrations_join: Type.Optional(LateRegistrationsJoin),
  },
  {
    minProperties: 1,
    description:
      'Only the fields given change; the code never does. Rules are checked as at creation and ' +
      'cannot change while a cycle of the programme is opening, open or closing.',
  },
);
export type UpdateProgrammeInput = Static<typeof UpdateProgrammeBody>;

export const Programme = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  rules: Rules,
  owner_area_pcode: Type.Union([Type.String(), Type.Null()]),
  late_registrations_join: Type.Boolean(),
  created_at: Type.String(),
});
export type ProgrammeView = Static<typeof Programme>;

export const ProgrammeList = Type.Object({ items: Type.Array(Programme) });

const PreviewAreas = Type.Array(Pcode, {
  minItems: 1,
  maxItems: 500,
  uniqueItems: true,
  description: 'Only households in these areas or beneath them (as a cycle would).',
});

export const PreviewBody = StrictObject({ area_pcodes: Type.Optional(PreviewAreas) });
export type PreviewInput = Static<typeof PreviewBody>;

export const PreviewRulesBody = StrictObject({
  rules: Rules,
  area_pcodes: Type.Optional(PreviewAreas),
});
export type PreviewRulesInput = Static<typeof PreviewRulesBody>;

export const Preview = Type.Object({
  households: Type.Integer({ description: 'Households in your scope that qualify.' }),
  totals: Type.Array(Type.Object({ commodity: Type.String(), quantity: Type.Integer() }), {
    description: 'What those households would be entitled to, per commodity, in base units.',
  }),
});
export type PreviewView = Static<typeof Preview>;
