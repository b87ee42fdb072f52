/** Donors and donations on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { CommodityCode, StringEnum } from '../commodities/commodities.schema.js';
import { ClientId, maxRequestQuantity } from '../stock/stock.schema.js';

export const donorKinds = ['member', 'person', 'organisation', 'anonymous'] as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CreateDonorBody = StrictObject({
  kind: StringEnum(donorKinds),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 30, pattern: '^[+0-9٠-٩ -]+$' })),
  email: Type.Optional(
    Type.String({ minLength: 3, maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' }),
  ),
});
export type CreateDonorInput = Static<typeof CreateDonorBody>;

export const Donor = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  created_at: Type.String(),
});
export type DonorView = Static<typeof Donor>;
export const DonorList = Type.Object({ items: Type.Array(Donor) });

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

export const DonationLineBody = StrictObject({
  commodity: CommodityCode,
  quantity: Type.Integer({ minimum: 1, maximum: maxRequestQuantity, description: 'Base units.' }),
  lot_number: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 60,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$',
      description: "The maker's lot number; absent: <receipt number>-<line>.",
    }),
  ),
  expires_on: Type.Optional(Day),
  condition: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
  location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

export const CreateDonationBody = StrictObject({
  id: ClientId,
  warehouse_id: Type.String({ minLength: 1, maxLength: 100 }),
  donor_id: Type.String({ minLength: 1, maxLength: 100 }),
  lines: Type.Array(DonationLineBody, { minItems: 1, maxItems: 5000 }),
});
export type CreateDonationInput = Static<typeof CreateDonationBody>;

export const DonationLot = Type.Object({
  id: Type.String(),
  number: Type.String(),
  commodity: Type.String(),
  quantity: Type.Integer(),
  expires_on: Nullable(Type.String()),
  status: Type.String({
    description: 'quarantined when the commodity requires inspection, else released.',
  }),
});

export const Donation = Type.Object({
  id: Type.String(),
  receipt_number: Type.String({ description: 'One series per year: YYYY-NNNNNN.' }),
  warehouse_id: Type.String(),
  donor_id: Type.String(),
  received_at: Type.String(),
  lots: Type.Array(DonationLot),
});
export type DonationView = Static<typeof Donation>;

export const DonorStatementLine = Type.Object({
  donation_id: Type.String(),
  receipt_number: Type.String(),
  received_at: Type.String(),
  lot_id: Type.String(),
  lot_number: Type.String(),
  commodity: Type.String(),
  status: Type.String(),
  received: Type.Integer(),
  quarantined: Type.Integer(),
  released: Type.Integer({ description: 'Passed (or needing no inspection).' }),
  rejected: Type.Integer(),
  available: Type.Integer(),
  allocated: Type.Integer({ description: 'Held by approved allocations, not yet received.' }),
  delivered: Type.Array(
    Type.Object({
      recipient_kind: Type.String(),
      recipient_id: Type.String(),
      quantity: Type.Integer(),
    }),
    { description: 'Received by recipients of allocations.' },
  ),
  lost_in_transit: Type.Integer(),
});

export const DonorStatement = Type.Object({
  donor: Donor,
  lines: Type.Array(DonorStatementLine),
});
export type DonorStatementView = Static<typeof DonorStatement>;
