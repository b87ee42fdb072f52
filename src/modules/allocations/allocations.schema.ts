/** Allocations on the wire: released stock assigned to a recipient, approved, dispatched, received. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { CommodityCode, StringEnum } from '../commodities/commodities.schema.js';
import { ClientId, maxRequestQuantity } from '../stock/stock.schema.js';

export const recipientKinds = [
  'partner',
  'team',
  'org_unit',
  'service_point',
  'warehouse',
] as const;
export const allocationStatuses = [
  'draft',
  'approved',
  'dispatched',
  'received',
  'cancelled',
] as const;

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Quantity = Type.Integer({
  minimum: 1,
  maximum: maxRequestQuantity,
  description: 'Base units.',
});

export const CreateAllocationBody = StrictObject({
  id: ClientId,
  warehouse_id: Id,
  recipient: StrictObject({ kind: StringEnum(recipientKinds), id: Id }),
  lines: Type.Array(
    StrictObject({
      lot_id: Type.Optional(Id),
      commodity: CommodityCode,
      quantity: Quantity,
    }),
    {
      minItems: 1,
      maxItems: 5000,
      description: 'Without lot_id, the released lots are taken first expiry first out.',
    },
  ),
  purpose: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
});
export type CreateAllocationInput = Static<typeof CreateAllocationBody>;

export const ReceiveAllocationBody = StrictObject({
  lines: Type.Optional(
    Type.Array(
      StrictObject({
        commodity: CommodityCode,
        lot_id: Type.Optional(Id),
        quantity: Type.Integer({ minimum: 0, maximum: maxRequestQuantity }),
      }),
      { maxItems: 5000, description: 'What arrived; absent: everything dispatched.' },
    ),
  ),
});
export type ReceiveAllocationInput = Static<typeof ReceiveAllocationBody>;

export const AllocationLine = Type.Object({
  id: Type.String(),
  line_number: Type.Integer(),
  lot_id: Type.String(),
  lot_number: Type.String(),
  commodity: Type.String(),
  quantity: Type.Integer(),
  received_quantity: Type.Union([Type.Integer(), Type.Null()]),
  lost_in_transit: Type.Union([Type.Integer(), Type.Null()]),
});

export const Allocation = Type.Object({
  id: Type.String(),
  warehouse_id: Type.String(),
  recipient: Type.Object({ kind: Type.String(), id: Type.String() }),
  purpose: Type.String(),
  status: StringEnum(allocationStatuses),
  lines: Type.Array(AllocationLine),
  created_at: Type.String(),
  approved_at: Type.Union([Type.String(), Type.Null()]),
  dispatched_at: Type.Union([Type.String(), Type.Null()]),
  received_at: Type.Union([Type.String(), Type.Null()]),
  cancelled_at: Type.Union([Type.String(), Type.Null()]),
});
export type AllocationView = Static<typeof Allocation>;

export const AllocationList = Type.Object({ items: Type.Array(Allocation) });
export const AllocationListQuery = StrictObject({
  warehouse_id: Type.Optional(Id),
  status: Type.Optional(StringEnum(allocationStatuses)),
});
export type AllocationListInput = Static<typeof AllocationListQuery>;
