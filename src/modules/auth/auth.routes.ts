/** POST /auth/login, POST /auth/logout, GET /me and POST /me/password. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, sessionIdOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { changeOwnPassword } from '../users/users.service.js';
import { ChangePasswordBody, LoginAnswer, LoginBody, MeAnswer } from './auth.schema.js';
import {
  currentUser,
  login,
  logout,
  sessionCookieName,
  sessionLifetime_ms,
} from './auth.service.js';
import { refuseWhileHashingFull } from './password.js';
import { LoginThrottle } from './login-throttle.js';
import { hashSecret } from './secret.js';

export async function authRoutes(app: AwnApp): Promise<void> {
  // Counts attempts in the database, across processes (see login-throttle.ts); sign-in and
  // the password change's current-password check share it.
  const throttle = new LoginThrottle(app.awn.throttleLimits);

  const cookieOptions = (request: FastifyRequest) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: app.awn.secureCookies || request.protocol === 'https',
  });
  const clearSessionCookie = (request: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(sessionCookieName, cookieOptions(request));

  app.post(
    '/auth/login',
    {
      config: { access: 'public', background: true },
      // A flood is refused before its body is read, validated or looked up.
      onRequest: async () => refuseWhileHashingFull(),
      schema: {
        operationId: 'signIn',
        tags: ['auth'],
        summary: 'Sign in: answers the user and sets the awn_session cookie',
        security: [],
        body: LoginBody,
        response: { 200: LoginAnswer },
      },
    },
    async (request, reply) => {
      const result = await login(
        app.awn.storage,
        throttle,
        {
          username: request.body.username,
          password: request.body.password,
          address: request.ip,
          previousSessionId: sessionIdOf(request) ?? undefined,
          requestId: request.id,
        },
        app.awn.clock,
      );
      reply.setCookie(sessionCookieName, result.sessionId, {
        ...cookieOptions(request),
        maxAge: Math.floor(sessionLifetime_ms / 1000),
      });
      return { user: result.user };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'signOut',
        tags: ['auth'],
        summary: 'Sign out: ends the session and clears the cookie',
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const sessionId = sessionIdOf(request);
      if (sessionId !== null) await logout(app.awn.storage, sessionId, request.id, app.awn.clock);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'getCurrentUser',
        tags: ['auth'],
        summary: 'Who is signed in, and whether this is a demo',
        response: { 200: MeAnswer },
      },
    },
    async (request) => ({
      user: await currentUser(app.awn.storage.db, actorOf(request)),
      demo: app.awn.demo,
    }),
  );

  app.post(
    '/me/password',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'changeOwnPassword',
        tags: ['auth'],
        summary:
          'Change your own password (your other sessions end, your other tokens are revoked)',
        body: ChangePasswordBody,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const sessionId = sessionIdOf(request);
      const actor = actorOf(request);
      await changeOwnPassword(
        app.awn.storage,
        actor,
        {
          currentPassword: request.body.current_password,
          newPassword: request.body.new_password,
        },
        {
          throttle,
          address: request.ip,
          keepSessionIdHash:
            actor.kind === 'user' && sessionId !== null ? hashSecret(sessionId) : undefined,
        },
        app.awn.clock,
      );
      return reply.code(204).send();
    },
  );
}
