/** Areas on the wire: the shapes routes validate and answer with, and the import row shape. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

export const areaLevels = ['governorate', 'district', 'subdistrict', 'community'] as const;
export type AreaLevel = (typeof areaLevels)[number];

/** What a community is on the ground; only communities have a kind. */
export const communityKinds = ['neighbourhood', 'town', 'village', 'farm'] as const;
export type CommunityKind = (typeof communityKinds)[number];

/** The level an area's parent must have; governorates have none. */
export const parentLevel: Record<AreaLevel, AreaLevel | null> = {
  governorate: null,
  district: 'governorate',
  subdistrict: 'district',
  community: 'subdistrict',
};

/**
 * OCHA p-codes ('SY06', 'SY060000', community codes like 'C4162') and local codes alike:
 * capital letters, digits, '-' and '_'. No '/', which separates the parts of an area path.
 */
export const pcodePattern = '^[A-Z0-9][A-Z0-9_-]{0,31}$';
export const pcodeMaxLength = 32;
export const areaNameMaxLength = 200;

export const Pcode = Type.String({ pattern: pcodePattern, maxLength: pcodeMaxLength });
const Name = Type.String({ minLength: 1, maxLength: areaNameMaxLength, pattern: '\\S' });
const Latitude = Type.Number({ minimum: -90, maximum: 90 });
const Longitude = Type.Number({ minimum: -180, maximum: 180 });

/** One area as given to an import (CSV row or JSON element) and as shipped in data/areas. */
export interface AreaRow {
  pcode: string;
  parent_pcode: string | null;
  level: AreaLevel;
  name_ar: string;
  name_en: string;
  latitude: number | null;
  longitude: number | null;
  kind?: CommunityKind | null;
}

export const CreateCommunityBody = StrictObject({
  pcode: Pcode,
  parent_pcode: Pcode,
  kind: Type.Union(communityKinds.map((kind) => Type.Literal(kind))),
  name_ar: Name,
  name_en: Name,
  latitude: Type.Optional(Latitude),
  longitude: Type.Optional(Longitude),
});
export type CreateCommunityInput = Static<typeof CreateCommunityBody>;

export const AreaListQuery = StrictObject({
  /** Only the direct children of this area. */
  parent: Type.Optional(Pcode),
  level: Type.Optional(Type.Union(areaLevels.map((level) => Type.Literal(level)))),
  /** Part of a name (Arabic or English) or the start of a p-code. */
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
});
export type AreaListInput = Static<typeof AreaListQuery>;

export const AreaParams = StrictObject({ pcode: Pcode });

export const Area = Type.Object({
  pcode: Type.String(),
  parent_pcode: Type.Union([Type.String(), Type.Null()]),
  level: Type.Union(areaLevels.map((level) => Type.Literal(level))),
  kind: Type.Union([Type.String(), Type.Null()]),
  name_ar: Type.String(),
  name_en: Type.String(),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  path: Type.String(),
});
export type AreaView = Static<typeof Area>;

export const AreaList = Type.Object({ items: Type.Array(Area) });
