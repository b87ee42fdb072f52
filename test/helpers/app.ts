/** HTTP test helpers: an app over a test storage, users of any role, and signed-in headers. */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../src/db/connect.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUser, type UserView } from '../../src/modules/users/users.service.js';
import { buildApp, type AppOptions, type AwnApp } from '../../src/server/app.js';
import type { Role } from '../../src/shared/roles.js';

/** The Host header app.inject sends, and the Origin that passes the CSRF check with it. */
export const testHost = 'localhost:80';
export const testOrigin = `http://${testHost}`;

/** An app without a logger over the storage; close it in afterAll. */
export async function buildTestApp(
  storage: Storage,
  options: Omit<AppOptions, 'storage' | 'logger'> = {},
): Promise<AwnApp> {
  const app = await buildApp({ ...options, storage, logger: false });
  await app.ready();
  return app;
}

/** Creates a user of the role (scope: org unit ids and/or area p-codes) with a random password. */
export async function createTestUser(
  storage: Storage,
  options: { role: Role; scope?: string[]; username?: string },
): Promise<{ user: UserView; password: string }> {
  const password = `pw-${randomUUID()}`;
  const user = await createUser(storage, systemActor, {
    username: options.username ?? `${options.role.replace('_', '-')}-${randomUUID().slice(0, 8)}`,
    displayName: `Test ${options.role}`,
    role: options.role,
    password,
    scope: options.scope ?? [],
  });
  return { user, password };
}

export interface SignedIn {
  user: UserView;
  password: string;
  /** The Cookie header value, e.g. 'awn_session=...'. */
  cookie: string;
  /** Ready for app.inject writes: the cookie and a same-origin Origin. */
  headers: { cookie: string; origin: string };
}

/** Signs in through POST /api/v1/auth/login as a new user of the role. */
export async function loginAs(
  app: AwnApp,
  storage: Storage,
  role: Role,
  scope?: string[],
): Promise<SignedIn> {
  const { user, password } = await createTestUser(storage, {
    role,
    ...(scope ? { scope } : {}),
  });
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password },
  });
  const session = response.cookies.find((cookie) => cookie.name === 'awn_session');
  if (response.statusCode !== 200 || !session) {
    throw new Error(`login as ${role} failed: ${response.statusCode} ${response.body}`);
  }
  const cookie = `awn_session=${session.value}`;
  return { user, password, cookie, headers: { cookie, origin: testOrigin } };
}
