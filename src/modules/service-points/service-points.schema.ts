/** Service points on the wire: places where households redeem (bakery, shop, distribution centre). */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });

export const CreateServicePointBody = StrictObject({
  name_ar: Name,
  name_en: Name,
  area_pcode: Pcode,
  /** The partner that runs it, if any. */
  partner_id: Type.Optional(Type.Union([Id, Type.Null()])),
});
export type CreateServicePointInput = Static<typeof CreateServicePointBody>;

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
  created_at: Type.String(),
});
export type ServicePointView = Static<typeof ServicePoint>;

export const ServicePointList = Type.Object({ items: Type.Array(ServicePoint) });
