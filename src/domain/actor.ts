/** Who is acting, with the role and the scope every scoped query is filtered by. */
import type { Role } from '../shared/roles.js';

/**
 * `all` sees every area. `areas` sees the listed area paths and everything beneath them
 * (an org unit in a user's scope contributes the paths of the areas it covers).
 */
export type Scope = { kind: 'all' } | { kind: 'areas'; paths: string[] };

export interface Actor {
  kind: 'user' | 'token' | 'system';
  /** The user acting (a token acts for the user who owns it); null for the system. */
  userId: string | null;
  role: Role;
  scope: Scope;
  requestId: string | null;
  /** The token a `token` actor presented (recorded in the audit log beside the user). */
  tokenId?: string;
}

export const systemActor: Actor = {
  kind: 'system',
  userId: null,
  role: 'admin',
  scope: { kind: 'all' },
  requestId: null,
};

/** True when the area with this path lies inside the scope. */
export function areaInScope(scope: Scope, areaPath: string): boolean {
  return scope.kind === 'all' || scope.paths.some((path) => areaPath.startsWith(path));
}
