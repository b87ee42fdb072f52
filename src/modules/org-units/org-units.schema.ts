/** Org units on the wire: the organisation's own tree (branch > sections > units) and the areas each covers. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

export const orgUnitKinds = ['branch', 'section', 'unit'] as const;
export type OrgUnitKind = (typeof orgUnitKinds)[number];

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });
const AreaPcodes = Type.Array(Pcode, { maxItems: 2000, uniqueItems: true });

export const CreateOrgUnitBody = StrictObject({
  /** Absent or null for a root (usually the branch). */
  parent_id: Type.Optional(Type.Union([Id, Type.Null()])),
  kind: Type.Union(orgUnitKinds.map((kind) => Type.Literal(kind))),
  name_ar: Name,
  name_en: Name,
  /** The areas the unit covers; each must lie within the parent's areas. */
  area_pcodes: AreaPcodes,
});
export type CreateOrgUnitInput = Static<typeof CreateOrgUnitBody>;

export const UpdateOrgUnitBody = StrictObject(
  {
    name_ar: Type.Optional(Name),
    name_en: Type.Optional(Name),
    /** Replaces the covered areas. */
    area_pcodes: Type.Optional(AreaPcodes),
  },
  { minProperties: 1 },
);
export type UpdateOrgUnitInput = Static<typeof UpdateOrgUnitBody>;

export const OrgUnit = Type.Object({
  id: Type.String(),
  parent_id: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  /** '/<root id>/<child id>/': the unit and everything under it is a prefix match. */
  path: Type.String(),
  area_pcodes: Type.Array(Type.String()),
});
export type OrgUnitView = Static<typeof OrgUnit>;

/** Every unit, parents before children (ordered by path); build the tree from parent_id. */
export const OrgUnitList = Type.Object({ items: Type.Array(OrgUnit) });
