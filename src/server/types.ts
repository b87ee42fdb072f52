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
import type { MessagingConfig } from '../shared/messaging-config.js';
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
    /**
     * The route's requests do not hold back long jobs' slices (shared/pacing.ts) as other
     * requests do: it runs such a job itself (an import, an export, a cycle opening), or it
     * mostly waits elsewhere (a sign-in, on password hashing: else a flood of them would
     * stall every import).
     */
    background?: true;
    /** Lets requests from these addresses in without an actor or role (a metrics scraper). */
    allowAddress?: (address: string) => boolean;
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
  throttleLimits: SignInLimits;
  /** Gateway, SMTP, retries and rates of the outbox (the receipts route checks its token). */
  messaging: MessagingConfig;
}

/** The password-guessing limits (the policy is in src/modules/auth/login-throttle.ts). */
export interface SignInLimits {
  /** Failed attempts from one address (IPv6: its /64) in the window, on any accounts. */
  perAddress: number;
  /** Failures on one account in the window after which failing addresses are slowed. */
  perAccount: number;
  /** The longest an account's slowing makes an address wait. */
  maximumDelay_ms: number;
  window_ms: number;
  /** Checks running at once in a process, per account and per address. */
  concurrentPerAccount: number;
  concurrentPerAddress: number;
}

export type AwnApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
