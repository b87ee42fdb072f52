/** Redemptions on the wire: a hand-over at a service point, idempotent by the client's id. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { CommodityCode } from '../commodities/commodities.schema.js';
import { ClientId, maxRequestQuantity } from '../stock/stock.schema.js';

export const RedemptionItem = StrictObject({
  commodity: CommodityCode,
  quantity: Type.Integer({ minimum: 1, maximum: maxRequestQuantity, description: 'Base units.' }),
});

export const RedeemBody = StrictObject({
  id: ClientId,
  card: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: "The card's signed QR payload as scanned, or its number as typed.",
  }),
  service_point_id: Type.String({ minLength: 1, maxLength: 100 }),
  items: Type.Array(RedemptionItem, { minItems: 1, maxItems: 20 }),
  collected_by: Type.Optional(
    Type.String({
      pattern: '^(head|member:[0-9]{1,4}|proxy:[A-Za-z0-9-]{1,100})$',
      description:
        "Who collected: 'head', 'member:<position>' or 'proxy:<id>' (see GET /households/{id}/collectors); " +
        'anyone else is 400 on `/collected_by`.',
    }),
  ),
  override_reason: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 500,
      pattern: '\\S',
      description:
        'Serve the household away from its home service point (roles with `redemptions.override` only, else 403); the reason is kept and the hand-over audited as an override.',
    }),
  ),
});
export type RedeemInput = Static<typeof RedeemBody>;

export const Remaining = Type.Object({
  cycle_id: Type.String(),
  commodity: Type.String(),
  remaining: Type.Integer(),
});
export type RemainingView = Static<typeof Remaining>;

export const Redemption = Type.Object({
  id: Type.String(),
  household_id: Type.String(),
  service_point_id: Type.String(),
  items: Type.Array(Type.Object({ commodity: Type.String(), quantity: Type.Integer() })),
  remaining: Type.Array(Remaining, {
    description: 'What the household has left in each open cycle after this hand-over.',
  }),
  left_today: Type.Optional(
    Type.Array(Type.Object({ commodity: Type.String(), left_today: Type.Integer() }), {
      description: 'For each item with a daily limit: what is left of it today after this one.',
    }),
  ),
  collected_by: Type.Optional(
    Type.String({ description: "Who collected: 'head', 'member:<position>' or 'proxy:<id>'." }),
  ),
  created_at: Type.String(),
});
export type RedemptionView = Static<typeof Redemption>;

export const Entitlement = Type.Object({
  cycle_id: Type.String(),
  commodity: Type.String(),
  entitled: Type.Integer({ description: 'Credited in the cycle (base units).' }),
  reserved: Type.Integer({ description: 'Held by a dispatched delivery run (base units).' }),
  remaining: Type.Integer({ description: 'Not yet redeemed nor reserved.' }),
  starts_on: Type.String({ description: 'The first day it may be redeemed.' }),
  ends_on: Type.String({ description: 'The last day it may be redeemed.' }),
  per_day_max: Type.Union([Type.Integer(), Type.Null()], {
    description: "The programme's daily limit for the commodity; null: none.",
  }),
  per_visit_max: Type.Union([Type.Integer(), Type.Null()], {
    description: "The programme's limit per hand-over; null: none.",
  }),
  redeemable: Type.Boolean({
    description: "Open, and today (in the deployment's time zone) within its first and last day.",
  }),
});
export type EntitlementView = Static<typeof Entitlement>;

export const Entitlements = Type.Object({
  household_id: Type.String(),
  household_status: Type.String({ description: 'Only active households are served.' }),
  items: Type.Array(Entitlement),
  left_today: Type.Array(Type.Object({ commodity: Type.String(), left_today: Type.Integer() }), {
    description:
      'For each commodity with a daily limit in a cycle redeemable today: what is left today.',
  }),
});
export type EntitlementsView = Static<typeof Entitlements>;

export const RedemptionListQuery = StrictObject({
  household_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  service_point_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Only redemptions at or after this instant (ISO 8601), e.g. midnight today.',
    }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type RedemptionListInput = Static<typeof RedemptionListQuery>;

export const RedemptionSummary = Type.Object({
  id: Type.String(),
  household_id: Type.String(),
  service_point_id: Type.String(),
  items: Type.Array(Type.Object({ commodity: Type.String(), quantity: Type.Integer() })),
  collected_by: Type.Union([Type.String(), Type.Null()], {
    description: "Who collected ('head', 'member:<position>', 'proxy:<id>'); null: not said.",
  }),
  home_override: Type.Boolean({
    description: "Served away from the household's home service point by a coordinator's override.",
  }),
  created_at: Type.String(),
});
export type RedemptionSummaryView = Static<typeof RedemptionSummary>;

export const RedemptionPage = Type.Object({
  items: Type.Array(RedemptionSummary),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  }),
});

export const CardCheckBody = StrictObject({
  card: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: "The card's signed QR payload as scanned, or its number as typed.",
  }),
});

export const CardCheck = Type.Object({
  household_id: Type.String(),
  card_number: Type.String({ description: 'The current card number.' }),
  household_status: Type.String({ description: 'Only active households are served.' }),
});
export type CardCheckView = Static<typeof CardCheck>;
