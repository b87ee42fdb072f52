/** Circulars on the wire: draft, publish, acknowledge, relay, reach, reminders. */
import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, StrictObject } from '../../shared/schema.js';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const CreateCircularBody = StrictObject({
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  body: MultilineText({ minLength: 1, maxLength: 20_000 }),
  from_org_unit_id: Id,
  org_unit_ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true })),
  ack_required: Type.Boolean(),
  due_at: Type.Optional(Type.String({ format: 'date-time' })),
  public: Type.Optional(
    StrictObject({
      body: MultilineText({ minLength: 1, maxLength: 1000 }),
      area_pcodes: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        minItems: 1,
        maxItems: 500,
        uniqueItems: true,
      }),
    }),
  ),
});
export type CreateCircularInput = Static<typeof CreateCircularBody>;

export const Circular = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  title: Type.String(),
  body: Type.String(),
  from_org_unit_id: Type.String(),
  org_unit_ids: Type.Union([Type.Array(Type.String()), Type.Null()]),
  ack_required: Type.Boolean(),
  due_at: NullableString,
  public: Type.Union([
    Type.Object({
      body: Type.String(),
      area_pcodes: Type.Array(Type.String()),
      sms: Type.Object({
        encoding: Type.String(),
        characters: Type.Integer(),
        segments: Type.Integer(),
      }),
    }),
    Type.Null(),
  ]),
  published_at: NullableString,
  created_at: Type.String(),
});
export type CircularView = Static<typeof Circular>;

export const CircularList = Type.Object({
  items: Type.Array(Circular),
  next_cursor: NullableString,
});

export const CircularListQuery = StrictObject({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const Published = Type.Object({
  id: Type.String(),
  status: Type.Literal('published'),
  units: Type.Integer(),
  members: Type.Integer(),
  public_queued: Type.Integer(),
});

export const Acknowledgement = Type.Object({
  circular_id: Type.String(),
  acknowledged_at: Type.String(),
});

export const RelayParams = StrictObject({ id: Id, org_unit_id: Id });

export const Relay = Type.Object({
  circular_id: Type.String(),
  org_unit_id: Type.String(),
  relayed_at: Type.String(),
});

const Times = {
  median_ack_ms: Type.Union([Type.Integer(), Type.Null()]),
  p90_ack_ms: Type.Union([Type.Integer(), Type.Null()]),
};

export const Reach = Type.Object({
  members: Type.Integer(),
  acknowledged: Type.Integer(),
  pending: Type.Integer(),
  ...Times,
  units: Type.Array(
    Type.Object({
      org_unit_id: Type.String(),
      parent_org_unit_id: NullableString,
      level: Type.Integer(),
      members: Type.Integer(),
      acknowledged: Type.Integer(),
      relayed_at: NullableString,
    }),
  ),
  levels: Type.Array(
    Type.Object({
      level: Type.Integer(),
      units: Type.Integer(),
      members: Type.Integer(),
      acknowledged: Type.Integer(),
      ...Times,
    }),
  ),
  public: Type.Object({
    queued: Type.Integer(),
    sent: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
  }),
});
export type ReachView = Static<typeof Reach>;

export const Reminded = Type.Object({
  reminded: Type.Integer(),
  lagging_units: Type.Array(Type.String()),
  parents_told: Type.Integer(),
});

export const LinkParams = StrictObject({ token: Type.String({ minLength: 10, maxLength: 100 }) });

export const LinkedCircular = Type.Object({
  title: Type.String(),
  body: Type.String(),
  ack_required: Type.Boolean(),
  acknowledged_at: NullableString,
});
