/** GET /demo/logins: the published demo accounts, for the sign-in page of a demo server only. */
import { Type } from '@sinclair/typebox';
import type { AwnApp } from '../../server/types.js';
import { RoleSchema } from '../users/users.schema.js';
import { demoLogins } from './demo.users.js';

const DemoLogins = Type.Object({
  items: Type.Array(
    Type.Object({ role: RoleSchema, username: Type.String(), password: Type.String() }),
  ),
});

export async function demoRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/demo/logins',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listDemoLogins',
        tags: ['demo'],
        summary: 'The demo accounts (one per role) and their published password',
        description:
          'Only a server started with `--demo` lists them; any other answers an empty list. Demo databases hold no real households.',
        security: [],
        response: { 200: DemoLogins },
      },
    },
    async () => ({ items: app.awn.demo ? demoLogins() : [] }),
  );
}
