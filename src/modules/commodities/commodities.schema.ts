/** Commodities on the wire: goods counted in integer base units, shown in a display unit. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

export const baseUnits = ['g', 'ml', 'piece', 'bundle', 'cylinder'] as const;

/** A string from a fixed list, validated as one JSON-schema enum (one clear error, not one per branch). */
export function StringEnum<T extends string>(
  values: readonly T[],
  options: { description?: string } = {},
) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** Lower-case code used in rules, accounts and the API: 'sugar', 'bread', 'gas_cylinder'. */
export const commodityCodePattern = '^[a-z][a-z0-9_]{0,39}$';
export const CommodityCode = Type.String({ pattern: commodityCodePattern, maxLength: 40 });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const CreateCommodityBody = StrictObject({
  code: CommodityCode,
  name_ar: Name,
  name_en: Name,
  base_unit: StringEnum(baseUnits, {
    description: 'The integer unit every quantity is counted in.',
  }),
  display_unit: Type.String({ minLength: 1, maxLength: 20, pattern: '\\S' }),
  display_scale: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    description: 'Base units per display unit: 1000 for sugar counted in g and shown in kg.',
  }),
  requires_inspection: Type.Optional(
    Type.Boolean({
      description: "Its lots stay quarantined until a partner's inspector passes them.",
    }),
  ),
});
export type CreateCommodityInput = Static<typeof CreateCommodityBody>;

export const Commodity = Type.Object({
  code: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  base_unit: Type.String(),
  display_unit: Type.String(),
  display_scale: Type.Integer(),
  requires_inspection: Type.Boolean(),
  created_at: Type.String(),
});
export type CommodityView = Static<typeof Commodity>;

export const UpdateCommodityBody = StrictObject(
  {
    requires_inspection: Type.Optional(Type.Boolean()),
    name_ar: Type.Optional(Name),
    name_en: Type.Optional(Name),
  },
  { minProperties: 1 },
);
export type UpdateCommodityInput = Static<typeof UpdateCommodityBody>;

export const CommodityCodeParams = StrictObject({ code: CommodityCode });

export const CommodityList = Type.Object({ items: Type.Array(Commodity) });
