/**
 * Access control for every route, in one place:
 * - at startup, a route without `config.access` is refused (registration throws, naming it),
 *   so no route can forget to say who may call it;
 * - on each request (onRequest, before body parsing and validation), the actor is resolved
 *   from `Authorization: Bearer <token>` or else the `awn_session` cookie, then the route's
 *   access is enforced: 401 `unauthenticated` without an actor, 403 `csrf-rejected` for a
 *   cookie-authenticated write (POST, PUT, PATCH, DELETE) whose Origin (or, without one,
 *   Referer) is not this server's own Host, or for any other write that names a foreign
 *   Origin, then 403 `forbidden` for a role not listed. Bearer requests are exempt from the
 *   CSRF rule: browsers never add that header by themselves. A route's `allowAddress` lets
 *   the addresses it names in whatever their credentials (GET /metrics for a scraper).
 * A route names a permission of src/shared/permissions.ts; the route table lists the roles it
 * resolves to.
 *   Behind a reverse proxy, the proxy must pass the browser's Host header through.
 */
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { authenticateSession, sessionCookieName } from '../modules/auth/auth.service.js';
import { authenticateToken } from '../modules/tokens/tokens.service.js';
import { can, isPermission, rolesWith } from '../shared/permissions.js';
import type { Role } from '../shared/roles.js';
import type { Access, AwnApp } from './types.js';
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js';

/** A route's access with its permission resolved to the roles holding it. */
export type RouteRoles = 'public' | 'authenticated' | readonly Role[];

export interface RouteAccess {
  method: string;
  url: string;
  access: RouteRoles;
}

/** Swagger UI's own routes (registered by the plugin, which cannot declare access): public. */
const documentationPrefix = '/api/docs';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Route tables by app context (the `app.awn` object is shared by every encapsulated child). */
const routeTables = new WeakMap<object, RouteAccess[]>();

function isAccess(value: unknown): value is Access {
  return value === 'public' || value === 'authenticated' || isPermission(value);
}

/** Installs the route check and the request hook; call before any route is registered. */
export function registerAccess(app: AwnApp): void {
  const table: RouteAccess[] = [];
  routeTables.set(app.awn, table);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith(documentationPrefix) && route.config?.access === undefined) {
      route.config = { ...route.config, access: 'public' };
    }
    const access: unknown = route.config?.access;
    if (!isAccess(access)) {
      throw new Error(
        `route ${methods.join(',')} ${route.url} must declare config.access: 'public', 'authenticated' or a permission of src/shared/permissions.ts (e.g. config: { access: 'households.write' }; add a line there for a new action)`,
      );
    }
    for (const method of methods) {
      // Fastify adds a HEAD twin for every GET; it inherits the GET's config.
      if (method !== 'HEAD') table.push({ method, url: route.url, access: resolveAccess(access) });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    // No access: the not-found handler (no route matched), which answers 404 by itself.
    if (access === undefined) return;
    const { actor, credential } = await resolveActor(app, request);
    request.actor = actor;
    if (request.routeOptions.config.allowAddress?.(request.ip) === true) return;
    if (access !== 'public' && !actor) throw new UnauthorizedError();
    // Cookie writes must prove their origin; any other write that names a foreign Origin
    // (a page elsewhere posting to sign-in, say) is refused too. Bearer requests are exempt.
    if (
      unsafeMethods.has(request.method) &&
      credential !== 'bearer' &&
      ((credential === 'cookie' && actor) || request.headers.origin !== undefined)
    ) {
      checkSameOrigin(request);
    }
    if (actor && isPermission(access) && !can(actor.role, access)) throw new ForbiddenError();
  });
}

function resolveAccess(access: Access): RouteRoles {
  return isPermission(access) ? rolesWith(access) : access;
}

/** Every registered route with its access (HEAD twins left out), for the access-matrix test. */
export function listRoutes(app: AwnApp): RouteAccess[] {
  return [...(routeTables.get(app.awn) ?? [])];
}

/** The actor of a request that passed access control (a route that is not public). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError();
  return request.actor;
}

/** The bearer token of the request, if it carries one. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The session id in the request's cookie, if any. */
export function sessionIdOf(request: FastifyRequest): string | null {
  const value = request.cookies?.[sessionCookieName];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

async function resolveActor(
  app: AwnApp,
  request: FastifyRequest,
): Promise<{ actor: Actor | null; credential: 'bearer' | 'cookie' | null }> {
  const { storage, clock } = app.awn;
  const token = bearerToken(request);
  if (token !== null) {
    return { actor: await authenticateToken(storage.db, token, request.id), credential: 'bearer' };
  }
  const sessionId = sessionIdOf(request);
  if (sessionId === null) return { actor: null, credential: null };
  return {
    actor: await authenticateSession(storage.db, sessionId, request.id, clock),
    credential: 'cookie',
  };
}

/**
 * The CSRF rule: the write must say it comes from a page of this very server. Browsers send
 * Origin on cross-site and same-site POSTs alike; the host (with port) must equal Host.
 */
function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin ?? request.headers.referer;
  const host = request.headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string' || !sameHost(origin, host)) {
    throw new ForbiddenError(
      'csrf-rejected',
      'This write must come from a page of this server (Origin does not match Host).',
    );
  }
}

function sameHost(origin: string, host: string): boolean {
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Parsing Host under the origin's scheme drops a default port on both sides alike.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}
