/** Household notices and the public entitlement check on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

export const SendNoticeBody = StrictObject({
  template_code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' }),
  language: Type.Optional(Type.Union([Type.Literal('ar'), Type.Literal('en')])),
  values: Type.Optional(
    Type.Record(
      Type.String({ maxLength: 60 }),
      Type.Union([Type.String({ maxLength: 500 }), Type.Number()]),
    ),
  ),
  area_pcodes: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
      minItems: 1,
      maxItems: 500,
      uniqueItems: true,
    }),
  ),
  cycle_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type SendNoticeInput = Static<typeof SendNoticeBody>;

export const SentNotice = Type.Object({
  id: Type.String({
    description: 'source_id of its messages (GET /messages?source_kind=notice&source_id=)',
  }),
  households: Type.Integer(),
  queued: Type.Integer(),
  skipped: Type.Integer({ description: 'opted out of SMS, or a phone that is not E.164' }),
  sms: Type.Object({
    encoding: Type.String(),
    characters: Type.Integer(),
    segments: Type.Integer(),
  }),
});

export const EntitlementCheckBody = StrictObject({
  card_number: Type.String({ minLength: 4, maxLength: 40 }),
  phone_last4: Type.String({ pattern: '^[0-9٠-٩]{4}$' }),
});

export const EntitlementCheck = Type.Object({
  items: Type.Array(
    Type.Object({
      commodity: Type.String(),
      remaining: Type.Integer(),
      ends_on: Type.Union([Type.String(), Type.Null()]),
      redeemable: Type.Boolean(),
    }),
  ),
});
