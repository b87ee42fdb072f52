/** Volunteers on the wire: profiles, training records, movement permits, readiness and history. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Pcode } from '../areas/areas.schema.js';

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 100 });
/** YYYY-MM-DD; Arabic-Indic digits are accepted. */
const Day = Type.String({ minLength: 8, maxLength: 20, description: 'YYYY-MM-DD' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const volunteerStatuses = ['active', 'paused', 'left'] as const;
const Status = Type.Union(volunteerStatuses.map((status) => Type.Literal(status)));

const Availability = Type.Array(
  StrictObject({
    day: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }),
    from: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
    to: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
  }),
  { maxItems: 21 },
);

export const CreateVolunteerBody = StrictObject({
  given_name: Name,
  family_name: Name,
  name_latin: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  phone: Type.String({ minLength: 1, maxLength: 40 }),
  national_id: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  sex: Type.Optional(Nullable(Type.Union([Type.Literal('female'), Type.Literal('male')]))),
  birth_year: Type.Optional(Nullable(Type.Union([Type.Integer(), Type.String({ maxLength: 10 })]))),
  org_unit_id: Id,
  area_pcode: Pcode,
  skills: Type.Optional(
    Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30, uniqueItems: true }),
  ),
  availability: Type.Optional(Availability),
  status: Type.Optional(Status),
  user_id: Type.Optional(Nullable(Id)),
});
export type CreateVolunteerInput = Static<typeof CreateVolunteerBody>;

export const VolunteerListQuery = StrictObject({
  status: Type.Optional(Status),
  /** Only volunteers without a permit valid today. */
  without_permit: Type.Optional(Type.Boolean()),
});
export type VolunteerListInput = Static<typeof VolunteerListQuery>;

export const Volunteer = Type.Object({
  id: Type.String(),
  given_name: Type.String(),
  family_name: Type.String(),
  name_latin: Type.Union([Type.String(), Type.Null()]),
  /** Only for admins and coordinators. */
  phone: Type.Optional(Type.String()),
  national_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  sex: Type.Union([Type.String(), Type.Null()]),
  birth_year: Type.Union([Type.Integer(), Type.Null()]),
  org_unit_id: Type.String(),
  area_pcode: Type.String(),
  skills: Type.Array(Type.String()),
  availability: Type.Array(
    Type.Object({ day: Type.Integer(), from: Type.String(), to: Type.String() }),
  ),
  status: Type.String(),
  status_on: Type.String(),
  user_id: Type.Union([Type.String(), Type.Null()]),
  /** Trainings required by default that the volunteer does not hold valid today. */
  missing_trainings: Type.Array(Type.String()),
  /** True when a permit is valid today. */
  has_valid_permit: Type.Boolean(),
  created_at: Type.String(),
});
export type VolunteerView = Static<typeof Volunteer>;

export const VolunteerList = Type.Object({ items: Type.Array(Volunteer) });

export const AddTrainingBody = StrictObject({
  training_code: Type.String({ minLength: 1, maxLength: 40 }),
  completed_on: Day,
  trainer: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  certificate_ref: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});
export type AddTrainingInput = Static<typeof AddTrainingBody>;

export const TrainingRecord = Type.Object({
  id: Type.String(),
  volunteer_id: Type.String(),
  training_code: Type.String(),
  completed_on: Type.String(),
  expires_on: Type.String(),
  trainer: Type.Union([Type.String(), Type.Null()]),
  certificate_ref: Type.Union([Type.String(), Type.Null()]),
});
export type TrainingRecordView = Static<typeof TrainingRecord>;

export const AddPermitBody = StrictObject({
  number: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  valid_from: Day,
  valid_to: Day,
  area_pcodes: Type.Array(Pcode, { minItems: 1, maxItems: 100, uniqueItems: true }),
  issuer_partner_id: Type.Optional(Nullable(Id)),
  hours: Type.Optional(Nullable(Type.String({ pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$' }))),
});
export type AddPermitInput = Static<typeof AddPermitBody>;

export const Permit = Type.Object({
  id: Type.String(),
  volunteer_id: Type.String(),
  number: Type.String(),
  issuer_partner_id: Type.Union([Type.String(), Type.Null()]),
  valid_from: Type.String(),
  valid_to: Type.String(),
  area_pcodes: Type.Array(Type.String()),
  hours: Type.Union([Type.String(), Type.Null()]),
});
export type PermitView = Static<typeof Permit>;

export const StatusBody = StrictObject({
  status: Status,
  /** The day the status took effect; today when left out. */
  on: Type.Optional(Day),
});
export type StatusInput = Static<typeof StatusBody>;

export const PpeIssueBody = StrictObject({
  /** What was handed over, e.g. mask, gloves, gown. */
  item: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  quantity: Type.Union([
    Type.Integer({ minimum: 1, maximum: 100000 }),
    Type.String({ minLength: 1, maxLength: 10 }),
  ]),
  issued_on: Day,
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
export type PpeIssueInput = Static<typeof PpeIssueBody>;

export const PpeIssue = Type.Object({
  id: Type.String(),
  volunteer_id: Type.String(),
  item: Type.String(),
  quantity: Type.Integer(),
  issued_on: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  team_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The team whose stock it came from (a ledger transfer), if any.',
  }),
  lot_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The lot it came from, when one lot covered it.',
  }),
});
export type PpeIssueView = Static<typeof PpeIssue>;

export const VolunteerDetail = Type.Object({
  volunteer: Volunteer,
  trainings: Type.Array(TrainingRecord),
  permits: Type.Array(Permit),
  ppe: Type.Array(PpeIssue),
  runs: Type.Array(
    Type.Object({ run_id: Type.String(), date: Type.String(), minutes: Type.Integer() }),
  ),
  total_minutes: Type.Integer(),
});

export const ExpiringQuery = StrictObject({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })),
});

export const ExpiringList = Type.Object({
  items: Type.Array(
    Type.Object({
      volunteer_id: Type.String(),
      given_name: Type.String(),
      family_name: Type.String(),
      training_code: Type.String(),
      expires_on: Type.String(),
    }),
  ),
});

export const SkillList = Type.Object({
  items: Type.Array(
    Type.Object({ code: Type.String(), label_ar: Type.String(), label_en: Type.String() }),
  ),
});
