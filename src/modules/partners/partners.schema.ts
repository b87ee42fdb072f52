/** Partners on the wire: outside institutions (health directorate, bakeries, ...), each in an area. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

export const partnerKinds = [
  'health_directorate',
  'consumer_corporation',
  'bakery',
  'municipality',
  'other',
] as const;
export type PartnerKind = (typeof partnerKinds)[number];

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const PartnerKindSchema = Type.Union(partnerKinds.map((kind) => Type.Literal(kind)));

export const CreatePartnerBody = StrictObject({
  kind: PartnerKindSchema,
  name_ar: Name,
  name_en: Name,
  area_pcode: Pcode,
});
export type CreatePartnerInput = Static<typeof CreatePartnerBody>;

export const PartnerListQuery = StrictObject({ kind: Type.Optional(PartnerKindSchema) });
export type PartnerListInput = Static<typeof PartnerListQuery>;

export const Partner = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  area_pcode: Type.String(),
  created_at: Type.String(),
});
export type PartnerView = Static<typeof Partner>;

export const PartnerList = Type.Object({ items: Type.Array(Partner) });
