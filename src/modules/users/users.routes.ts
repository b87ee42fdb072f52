/** /users: accounts, roles and scope grants; administrators only. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CreateUserBody, SetPasswordBody, UpdateUserBody, User, UserList } from './users.schema.js';
import { createUser, getUser, listUsers, setUserPassword, updateUser } from './users.service.js';

export async function userRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/users',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'Every user',
        response: { 200: UserList },
      },
    },
    async (request) => ({ items: await listUsers(app.awn.storage.db, actorOf(request)) }),
  );

  app.post(
    '/users',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Create a user with a role and scope (org unit ids and/or area p-codes)',
        body: CreateUserBody,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const user = await createUser(
        app.awn.storage,
        actorOf(request),
        {
          username: body.username,
          displayName: body.display_name,
          role: body.role,
          password: body.password,
          scope: body.scope ?? [],
          servicePoints: body.service_points ?? [],
          ...(body.partner_id !== undefined ? { partnerId: body.partner_id } : {}),
        },
        app.awn.clock,
      );
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'getUser',
        tags: ['users'],
        summary: 'One user',
        params: IdParams,
        response: { 200: User },
      },
    },
    async (request) => getUser(app.awn.storage.db, actorOf(request), request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'updateUser',
        tags: ['users'],
        summary:
          'Change role, display name, scope, service points or disabled (disabling ends their sessions)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
    },
    async (request) => {
      const body = request.body;
      return updateUser(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        {
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
          ...(body.scope !== undefined ? { scope: body.scope } : {}),
          ...(body.service_points !== undefined ? { servicePoints: body.service_points } : {}),
          ...(body.partner_id !== undefined ? { partnerId: body.partner_id } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        },
        app.awn.clock,
      );
    },
  );

  app.post(
    '/users/:id/password',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'setUserPassword',
        tags: ['users'],
        summary: "Set a user's password (ends their sessions)",
        params: IdParams,
        body: SetPasswordBody,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await setUserPassword(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        request.body.password,
        app.awn.clock,
      );
      return reply.code(204).send();
    },
  );
}
