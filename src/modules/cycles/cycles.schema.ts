/** Cycles on the wire: one round of a programme over a period and areas. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';
import { StringEnum } from '../commodities/commodities.schema.js';
import { cycleStatuses } from '../../shared/vocabulary.js';

export { cycleStatuses };

const dayPattern = '^\\d{4}-\\d{2}-\\d{2}$';
const Day = Type.String({ pattern: dayPattern, description: 'YYYY-MM-DD' });

export const CreateCycleBody = StrictObject({
  programme_id: Type.String({ minLength: 1, maxLength: 100 }),
  starts_on: Day,
  ends_on: Type.String({
    pattern: dayPattern,
    description: 'YYYY-MM-DD, the last day households may redeem (UTC).',
  }),
  area_pcodes: Type.Array(Pcode, {
    minItems: 1,
    maxItems: 500,
    uniqueItems: true,
    description: 'Households in these areas or beneath them take part.',
  }),
});
export type CreateCycleInput = Static<typeof CreateCycleBody>;

export const CycleListQuery = StrictObject({
  status: Type.Optional(StringEnum(cycleStatuses)),
  programme_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type CycleListInput = Static<typeof CycleListQuery>;

export const Cycle = Type.Object({
  id: Type.String(),
  programme_id: Type.String(),
  starts_on: Type.String(),
  ends_on: Type.String(),
  area_pcodes: Type.Array(Type.String()),
  status: Type.Union(
    cycleStatuses.map((status) => Type.Literal(status)),
    {
      description:
        'draft -> opening (crediting households) -> open (redeemable) -> closing (expiring what is left) -> closed',
    },
  ),
  households_credited: Type.Integer(),
  created_at: Type.String(),
  opened_at: Type.Union([Type.String(), Type.Null()]),
  closed_at: Type.Union([Type.String(), Type.Null()]),
});
export type CycleView = Static<typeof Cycle>;

export const CycleList = Type.Object({ items: Type.Array(Cycle) });

export const CycleRun = Type.Composite([
  Cycle,
  Type.Object({
    households_processed: Type.Integer({
      description: 'Households credited (open, households) or expired (close) by this call.',
    }),
  }),
]);
export type CycleRunView = Static<typeof CycleRun>;

export const CycleCommodityProgress = Type.Object({
  commodity: Type.String(),
  entitled: Type.Integer({ description: 'Credited in the cycle (base units).' }),
  redeemed: Type.Integer({ description: 'Handed over (base units); expiry is not counted.' }),
});

export const CycleAreaProgress = Type.Object({
  area_pcode: Type.String({ description: "The households' subdistrict." }),
  name_ar: Type.String(),
  name_en: Type.String(),
  households_entitled: Type.Integer(),
  households_served: Type.Integer({ description: 'With at least one redemption in the cycle.' }),
  commodities: Type.Array(CycleCommodityProgress),
});

export const CycleProgress = Type.Object({
  cycle_id: Type.String(),
  status: Cycle.properties.status,
  households_entitled: Type.Integer(),
  households_served: Type.Integer(),
  areas: Type.Array(CycleAreaProgress),
  commodities: Type.Array(CycleCommodityProgress, { description: 'Totals over every area.' }),
});
export type CycleProgressView = Static<typeof CycleProgress>;

export const UnservedQuery = StrictObject({
  /** Only households within this area (any level). */
  area_pcode: Type.Optional(Pcode),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});
export type UnservedInput = Static<typeof UnservedQuery>;

export const UnservedHousehold = Type.Object({
  id: Type.String(),
  head_name: Type.String(),
  card_number: Type.String(),
  household_size: Type.Integer(),
  area_pcode: Type.String(),
  area_name_ar: Type.String(),
  area_name_en: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  /** What is left to hand over, per commodity (base units). */
  remaining: Type.Array(Type.Object({ commodity: Type.String(), quantity: Type.Integer() })),
});
export type UnservedHouseholdView = Static<typeof UnservedHousehold>;

export const UnservedList = Type.Object({
  items: Type.Array(UnservedHousehold),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
