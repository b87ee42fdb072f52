/** Lots and inspections on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { StringEnum } from '../commodities/commodities.schema.js';
import { ClientId } from '../stock/stock.schema.js';

export const lotStatuses = ['quarantined', 'released', 'rejected', 'expired'] as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const LotQuantities = Type.Object({
  quarantined: Type.Integer(),
  available: Type.Integer({ description: 'Released and not held by an allocation.' }),
  allocated: Type.Integer({ description: 'Held by approved allocations (in transit included).' }),
  in_transit: Type.Integer({ description: 'Dispatched, not yet received.' }),
  rejected: Type.Integer(),
});

export const Lot = Type.Object({
  id: Type.String(),
  number: Type.String(),
  commodity: Type.String(),
  expires_on: Nullable(Type.String()),
  source: Type.String(),
  status: StringEnum(lotStatuses, {
    description: 'A quarantined or released lot past its expiry date is expired.',
  }),
  warehouse_id: Type.String(),
  location_id: Nullable(Type.String()),
  donation_id: Nullable(Type.String()),
  quantity: Type.Integer({ description: 'Received (or split off) with, in base units.' }),
  condition: Nullable(Type.String()),
  inspection_partner_id: Nullable(Type.String()),
  parent_lot_id: Nullable(Type.String()),
  in_warehouse: LotQuantities,
  created_at: Type.String(),
});
export type LotView = Static<typeof Lot>;

export const LotList = Type.Object({ items: Type.Array(Lot) });

export const LotListQuery = StrictObject({
  warehouse_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(StringEnum(lotStatuses)),
  commodity: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  waiting_for_me: Type.Optional(
    Type.Boolean({ description: 'Inspectors: only quarantined lots their partner may inspect.' }),
  ),
});
export type LotListInput = Static<typeof LotListQuery>;

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

export const InspectionBody = StrictObject({
  id: ClientId,
  result: StringEnum(['pass', 'fail', 'partial'] as const),
  passed_quantity: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Required for partial: less than the lot holds.' }),
  ),
  sample_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
  sterilisation: Type.Optional(
    StrictObject({
      method: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
      date: Day,
      by: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    }),
  ),
  certificate_ref: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type InspectionInput = Static<typeof InspectionBody>;

export const Inspection = Type.Object({
  id: Type.String(),
  lot_id: Type.String(),
  partner_id: Type.String(),
  inspector_id: Type.String(),
  result: Type.String(),
  sample_size: Type.Union([Type.Integer(), Type.Null()]),
  passed_quantity: Type.Integer(),
  rejected_quantity: Type.Integer(),
  sterilisation_method: Nullable(Type.String()),
  sterilised_on: Nullable(Type.String()),
  sterilised_by: Nullable(Type.String()),
  certificate_ref: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  rejected_lot_id: Nullable(Type.String()),
  created_at: Type.String(),
});
export type InspectionView = Static<typeof Inspection>;

export const InspectionResult = Type.Object({
  inspection: Inspection,
  lot: Lot,
  rejected_lot: Type.Union([Lot, Type.Null()]),
});
export type InspectionResultView = Static<typeof InspectionResult>;

export const LotDetail = Type.Object({
  lot: Lot,
  inspections: Type.Array(Inspection),
});

export const TeamPpeIssueBody = StrictObject({
  id: ClientId,
  volunteer_id: Type.String({ minLength: 1, maxLength: 100 }),
  commodity: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  issued_on: Day,
  note: Type.Optional(Type.String({ maxLength: 500 })),
});

export const LotLabelsQuery = StrictObject({
  donation_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  warehouse_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(StringEnum(lotStatuses)),
  commodity: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});

export const DisposalBody = StrictObject({
  id: ClientId,
  quantity: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Absent: everything rejected of the lot here.' }),
  ),
  method: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type DisposalInput = Static<typeof DisposalBody>;

export const Disposal = Type.Object({
  id: Type.String(),
  lot_id: Type.String(),
  quantity: Type.Integer(),
  method: Type.String(),
  lot: Lot,
});

export const CorrectionBody = StrictObject({
  id: ClientId,
  quantity: Type.Integer({
    minimum: -1_000_000_000,
    maximum: 1_000_000_000,
    description: 'Positive: more was received than recorded; negative: fewer. Not 0.',
  }),
  reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
});
export type CorrectionInput = Static<typeof CorrectionBody>;

export const Correction = Type.Object({
  id: Type.String(),
  lot_id: Type.String(),
  quantity: Type.Integer(),
  reason: Type.String(),
  lot: Lot,
});
