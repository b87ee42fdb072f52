/** Sign-in, sign-out and /me schemas. */
import { Type } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';
import { Password, RoleSchema } from '../users/users.schema.js';
import { maximumPasswordLength } from './password.js';

export const LoginBody = StrictObject({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: maximumPasswordLength }),
});

export const SessionUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: RoleSchema,
  scope: Type.Array(Type.String()),
});

export const LoginAnswer = Type.Object({ user: SessionUser });

export const MeAnswer = Type.Object({ user: SessionUser, demo: Type.Boolean() });

export const ChangePasswordBody = StrictObject({
  current_password: Type.String({ minLength: 1, maxLength: maximumPasswordLength }),
  new_password: Password,
});
