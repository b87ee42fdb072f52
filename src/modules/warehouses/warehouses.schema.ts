/** Warehouses on the wire: stores of the organisation (or a partner's), with their locations. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });

export const CreateWarehouseBody = StrictObject({
  name_ar: Name,
  name_en: Name,
  area_pcode: Pcode,
  org_unit_id: Type.Optional(Id),
  partner_id: Type.Optional(Id),
  inspection_partner_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        "The partner whose inspectors pass this warehouse's quarantined lots; absent: any health directorate's.",
    }),
  ),
});
export type CreateWarehouseInput = Static<typeof CreateWarehouseBody>;

export const CreateLocationBody = StrictObject({
  room: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  shelf: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })),
});
export type CreateLocationInput = Static<typeof CreateLocationBody>;

export const WarehouseLocation = Type.Object({
  id: Type.String(),
  warehouse_id: Type.String(),
  room: Type.String(),
  shelf: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type WarehouseLocationView = Static<typeof WarehouseLocation>;

export const Warehouse = Type.Object({
  id: Type.String(),
  name_ar: Type.String(),
  name_en: Type.String(),
  area_pcode: Type.String(),
  org_unit_id: Type.Union([Type.String(), Type.Null()]),
  partner_id: Type.Union([Type.String(), Type.Null()]),
  inspection_partner_id: Type.Union([Type.String(), Type.Null()]),
  locations: Type.Array(WarehouseLocation),
  created_at: Type.String(),
});
export type WarehouseView = Static<typeof Warehouse>;

export const WarehouseList = Type.Object({ items: Type.Array(Warehouse) });
