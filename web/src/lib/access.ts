/**
 * Which screens each role sees in the menu. It mirrors the `access` the API declares on the
 * routes each screen calls, so a menu entry never leads to a screen full of 403s; the API
 * remains the one that enforces it.
 */
import { roles, type Role } from '../../../src/shared/roles.js';

export type ScreenKey =
  | 'home'
  | 'households'
  | 'counter'
  | 'cycles'
  | 'programmes'
  | 'import'
  | 'cards'
  | 'stock'
  | 'users'
  | 'orgUnits'
  | 'areas'
  | 'partners'
  | 'servicePoints'
  | 'tokens'
  | 'audit';

const office: readonly Role[] = ['admin', 'coordinator'];

export const screenRoles: Record<ScreenKey, readonly Role[]> = {
  home: roles,
  // The outlet clerk may read a household, but only at the counter: the registry is not their task.
  households: ['admin', 'coordinator', 'registrar', 'auditor'],
  counter: ['admin', 'coordinator', 'outlet_clerk'],
  cycles: ['admin', 'coordinator', 'auditor'],
  programmes: ['admin', 'coordinator', 'auditor'],
  // Import for registrars and up; auditors see the same screen for the export only.
  import: ['admin', 'coordinator', 'registrar', 'auditor'],
  cards: ['admin', 'coordinator', 'registrar'],
  stock: ['admin', 'coordinator', 'storekeeper', 'auditor'],
  users: ['admin'],
  orgUnits: office,
  areas: office,
  partners: office,
  servicePoints: office,
  tokens: ['admin'],
  audit: ['admin', 'auditor'],
};

export function mayOpen(role: Role, screen: ScreenKey): boolean {
  return screenRoles[screen].includes(role);
}

/** The first screen a role lands on after sign-in. */
export function landingPath(role: Role): string {
  // A clerk's work is the counter; everyone else starts at home.
  return role === 'outlet_clerk' ? '/counter' : '/';
}
