/** The audit log's HTTP schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { RoleSchema } from '../users/users.schema.js';

const Day = (description: string) => Type.String({ format: 'date', description });

const auditFilters = {
  entity: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  actor_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  from: Type.Optional(Day('First day (deployment time zone), included')),
  to: Type.Optional(Day('Last day (deployment time zone), included')),
};

export const AuditEventListQuery = StrictObject({
  ...auditFilters,
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export type AuditEventListQuery = Static<typeof AuditEventListQuery>;

export const AuditExportQuery = StrictObject(auditFilters);

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor_id: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entity_id: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  request_id: Type.Union([Type.String(), Type.Null()]),
  token_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The device or integration token the action was made with, if any',
  }),
  hash: Type.String(),
  actor: Type.Union([Type.Object({ display_name: Type.String(), role: RoleSchema }), Type.Null()], {
    description: "The acting user's name and role; null for the system or a deleted user",
  }),
  record: Type.Union(
    [Type.Object({ label_ar: Type.String(), label_en: Type.String() }), Type.Null()],
    {
      description:
        "The record's name (area, partner, service point, programme, cycle, commodity, org unit, user); null for households and records without one",
    },
  ),
});

export const AuditEventPage = Type.Object({
  items: Type.Array(AuditEvent),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  events: Type.Integer(),
  head: Type.Union([
    Type.String({ description: '<seq>:<hash> of the newest event checked' }),
    Type.Null(),
  ]),
  first_bad: Type.Optional(
    Type.Object({
      seq: Type.Integer(),
      reason: Type.Union([
        Type.Literal('hash-mismatch'),
        Type.Literal('chain-broken'),
        Type.Literal('sequence-gap'),
        Type.Literal('head-missing'),
        Type.Literal('head-mismatch'),
      ]),
    }),
  ),
});

export const AuditVerifyQuery = Type.Object(
  {
    head: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}:[0-9a-f]{64}$',
        description:
          'A head printed by an earlier verify (`<seq>:<hash>`): the chain must still hold that event',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AuditActorList = Type.Object({
  items: Type.Array(
    Type.Object({ id: Type.String(), display_name: Type.String(), role: RoleSchema }),
  ),
});
