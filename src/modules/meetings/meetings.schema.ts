/** Venues, meetings and seminars, registrations, check-in, minutes and action items on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, StrictObject } from '../../shared/schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

export const CreateVenueBody = StrictObject({
  name_ar: Name,
  name_en: Type.Optional(Name),
  area_pcode: Type.String({ minLength: 1, maxLength: 40 }),
  floor_area_m2: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  seats: Type.Integer({ minimum: 0, maximum: 100_000 }),
});
export type CreateVenueInput = Static<typeof CreateVenueBody>;

export const Venue = Type.Object({
  id: Type.String(),
  name_ar: Type.String(),
  name_en: NullableString,
  area_pcode: Type.String(),
  floor_area_m2: Type.Number(),
  seats: Type.Integer(),
  m2_per_person_default: Type.Number(),
  capacity: Type.Integer({ description: 'under the default distancing rule' }),
  created_at: Type.String(),
});
export type VenueView = Static<typeof Venue>;

export const VenueList = Type.Object({ items: Type.Array(Venue) });

export const CreateMeetingBody = StrictObject({
  kind: Type.Union([Type.Literal('meeting'), Type.Literal('seminar')]),
  title: Name,
  venue_id: Id,
  starts_at: Time,
  ends_at: Time,
  org_unit_id: Id,
  m2_per_person: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
  agenda: Type.Optional(MultilineText({ maxLength: 10_000 })),
});
export type CreateMeetingInput = Static<typeof CreateMeetingBody>;

export const Meeting = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('meeting'), Type.Literal('seminar')]),
  title: Type.String(),
  venue_id: Type.String(),
  org_unit_id: Type.String(),
  starts_at: Type.String(),
  ends_at: Type.String(),
  m2_per_person: Type.Number(),
  capacity: Type.Integer(),
  confirmed: Type.Integer(),
  agenda: NullableString,
  minutes: NullableString,
  decisions: Type.Array(Type.String()),
  created_at: Type.String(),
});
export type MeetingView = Static<typeof Meeting>;

export const MeetingListQuery = StrictObject({
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  org_unit_id: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
});
export type MeetingListInput = Static<typeof MeetingListQuery>;

export const MeetingList = Type.Object({ items: Type.Array(Meeting), next_cursor: NullableString });

export const RegisterBody = StrictObject({
  name: Name,
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  user_id: Type.Optional(Id),
  volunteer_id: Type.Optional(Id),
});
export type RegisterInput = Static<typeof RegisterBody>;

const RegistrationStatus = Type.Union([
  Type.Literal('confirmed'),
  Type.Literal('waitlisted'),
  Type.Literal('cancelled'),
]);

export const Registration = Type.Object({
  id: Type.String(),
  meeting_id: Type.String(),
  status: RegistrationStatus,
  position: Type.Integer({ description: 'order of registration in the meeting' }),
  name: Type.String(),
  user_id: NullableString,
  volunteer_id: NullableString,
  checked_in_at: NullableString,
  promoted_at: NullableString,
  cancelled_at: NullableString,
  created_at: Type.String(),
});
export type RegistrationView = Static<typeof Registration>;

export const CreatedRegistration = Type.Intersect([
  Registration,
  Type.Object({
    checkin_code: Type.String({
      description: 'the secret of the QR code shown at the door (given only here and in the QR)',
    }),
  }),
]);

export const RegistrationParams = StrictObject({ id: Id, registration_id: Id });

export const RegistrationListQuery = StrictObject({
  status: Type.Optional(RegistrationStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
});

export const RegistrationList = Type.Object({
  items: Type.Array(Registration),
  next_cursor: NullableString,
});

export const CheckInBody = StrictObject({
  code: Type.String({ minLength: 1, maxLength: 200, description: "the QR code's text" }),
});

export const Attendance = Type.Object({
  capacity: Type.Integer(),
  confirmed: Type.Integer(),
  waitlisted: Type.Integer(),
  cancelled: Type.Integer(),
  checked_in: Type.Integer(),
});

export const MinutesBody = StrictObject({
  minutes: MultilineText({ maxLength: 50_000 }),
  decisions: Type.Optional(
    Type.Array(MultilineText({ minLength: 1, maxLength: 2000 }), { maxItems: 200 }),
  ),
});

export const CreateActionItemBody = StrictObject({
  title: Name,
  owner_user_id: Type.Optional(Id),
  owner_name: Type.Optional(Name),
  due_on: Day,
});
export type CreateActionItemInput = Static<typeof CreateActionItemBody>;

export const UpdateActionItemBody = StrictObject({
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]),
});

export const ActionItem = Type.Object({
  id: Type.String(),
  meeting_id: Type.String(),
  meeting_title: Type.Optional(Type.String()),
  org_unit_id: Type.Optional(Type.String()),
  title: Type.String(),
  owner_user_id: NullableString,
  owner_name: NullableString,
  due_on: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]),
  late: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type ActionItemView = Static<typeof ActionItem>;

export const ActionItemQuery = StrictObject({
  org_unit_id: Type.Optional(Id),
  meeting_id: Type.Optional(Id),
  state: Type.Optional(
    Type.Union([
      Type.Literal('open'),
      Type.Literal('late'),
      Type.Literal('done'),
      Type.Literal('dropped'),
    ]),
  ),
});

export const ActionItemFollowUp = Type.Object({
  items: Type.Array(ActionItem),
  units: Type.Array(
    Type.Object({ org_unit_id: Type.String(), open: Type.Integer(), late: Type.Integer() }),
  ),
});
