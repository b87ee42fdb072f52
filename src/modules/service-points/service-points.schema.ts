/** Service points on the wire: places where households redeem (bakery, shop, distribution centre). */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';
import { CommodityCode } from '../commodities/commodities.schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Commodities = Type.Union(
  [Type.Array(CommodityCode, { minItems: 1, maxItems: 50, uniqueItems: true }), Type.Null()],
  {
    description:
      'The commodities it hands out (a bakery: ["bread"]); absent or null: every commodity. ' +
      'A redemption of anything else is refused with 409 commodity-not-served.',
  },
);

export const CreateServicePointBody = StrictObject({
  name_ar: Name,
  name_en: Name,
  area_pcode: Pcode,
  /** The partner that runs it, if any. */
  partner_id: Type.Optional(Type.Union([Id, Type.Null()])),
  commodities: Type.Optional(Commodities),
});
export type CreateServicePointInput = Static<typeof CreateServicePointBody>;

export const UpdateServicePointBody = StrictObject(
  {
    name_ar: Type.Optional(Name),
    name_en: Type.Optional(Name),
    partner_id: Type.Optional(Type.Union([Id, Type.Null()])),
    commodities: Type.Optional(Commodities),
  },
  { minProperties: 1, description: 'Only the fields given change; the area never does.' },
);
export type UpdateServicePointInput = Static<typeof UpdateServicePointBody>;

export const ServicePointListQuery = StrictObject({
  /** Only service points in this area or beneath it. */
  area: Type.Optional(Pcode),
  partner_id: Type.Optional(Id),
});
export type ServicePointListInput = Static<typeof ServicePointListQuery>;

export const ServicePoint = Type.Object({
  id: Type.String(),
  partner_id: Type.Union([Type.String(), Type.Null()]),
  name_ar: Type.String(),
  name_en: Type.String(),
  area_pcode: Type.String(),
  commodities: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'What it hands out; null: every commodity.',
  }),
  created_at: Type.String(),
});
export type ServicePointView = Static<typeof ServicePoint>;

export const ServicePointList = Type.Object({ items: Type.Array(ServicePoint) });

export const AssignHomesBody = StrictObject({
  programme_id: Id,
  area_pcodes: Type.Array(Pcode, {
    minItems: 1,
    maxItems: 200,
    uniqueItems: true,
    description: 'Every household in these areas (each with its subtree) and in your scope.',
  }),
});
export type AssignHomesInput = Static<typeof AssignHomesBody>;

export const AssignedHomes = Type.Object({
  assigned: Type.Integer({ description: 'Households whose home service point this now is.' }),
});

export const SetHomeBody = StrictObject({
  programme_id: Id,
  service_point_id: Type.Union([Id, Type.Null()], {
    description: 'The home service point in the programme; null: none (any service point).',
  }),
});
export type SetHomeInput = Static<typeof SetHomeBody>;

export const HomeServicePoint = Type.Object({
  programme_id: Type.String(),
  programme_code: Type.String(),
  programme_name_ar: Type.String(),
  programme_name_en: Type.String(),
  service_point_id: Type.String(),
  service_point_name_ar: Type.String(),
  service_point_name_en: Type.String(),
});
export type HomeServicePointView = Static<typeof HomeServicePoint>;

export const HomeServicePointList = Type.Object({ items: Type.Array(HomeServicePoint) });
