/**
 * The app's type, its context and the route access type. This file imports no module, so
 * modules' routes can name the app without forming a cycle with app.ts (which registers them).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Storage } from '../db/connect.js';
import type { Actor } from '../domain/actor.js';
import type { Clock } from '../shared/clock.js';
import type { Permission } from '../shared/permissions.js';

/**
 * Who may call a route: anyone, any signed-in actor, or the roles holding a permission of
 * the one table in src/shared/permissions.ts. Every route declares one; access.ts enforces
 * it and the access-matrix test checks it.
 */
export type Access = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    awn: AppContext;
  }
}

export interface AppContext {
  storage: Storage;
  clock: Clock;
  demo: boolean;
  secureCookies: boolean;
}

export type AwnApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
