/** The users API's schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { roles, type Role } from '../../shared/roles.js';
import { maximumPasswordLength, minimumPasswordLength } from '../auth/password.js';

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...roles] });

export const Password = Type.String({
  minLength: minimumPasswordLength,
  maxLength: maximumPasswordLength,
});

const ScopeEntries = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 200,
  description: 'Org unit ids and/or area p-codes; each grants its whole subtree',
});

const ServicePointIds = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 50,
  uniqueItems: true,
  description:
    'The service points the user works at (ids); a clerk tied to some cannot redeem at any other ' +
    '(409 service-point-not-assigned). Empty: any service point in scope.',
});

const PartnerId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'The partner the user works for; an inspector inspects only for it.',
});

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: RoleSchema,
  scope: Type.Array(Type.String()),
  service_points: Type.Array(Type.String(), {
    description: 'The service points the user works at; empty: any in scope.',
  }),
  partner_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The partner the user works for (an inspector inspects for it).',
  }),
  disabled: Type.Boolean(),
  created_at: Type.String(),
});

export const UserList = Type.Object({ items: Type.Array(User) });

export const CreateUserBody = StrictObject({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  display_name: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  password: Password,
  scope: Type.Optional(ScopeEntries),
  service_points: Type.Optional(ServicePointIds),
  partner_id: Type.Optional(PartnerId),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = StrictObject({
  display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  scope: Type.Optional(ScopeEntries),
  service_points: Type.Optional(ServicePointIds),
  partner_id: Type.Optional(Type.Union([PartnerId, Type.Null()])),
  disabled: Type.Optional(Type.Boolean()),
});

export const SetPasswordBody = StrictObject({ password: Password });
