/**
 * What each role sees, from the one permissions table the API's routes declare their access
 * with (src/shared/permissions.ts): a screen opens for the roles holding the permission of the
 * routes it calls, so a menu entry never leads to a screen full of 403s; the API remains the
 * one that enforces it.
 */
import { can, type Permission } from '../../../src/shared/permissions.js';
import type { Role } from '../../../src/shared/roles.js';

export type { Permission } from '../../../src/shared/permissions.js';

export type ScreenKey =
  | 'home'
  | 'households'
  | 'counter'
  | 'cycles'
  | 'runs'
  | 'programmes'
  | 'import'
  | 'cards'
  | 'stock'
  | 'warehouse'
  | 'inspections'
  | 'volunteers'
  | 'trainings'
  | 'teams'
  | 'fieldExceptions'
  | 'fieldDevices'
  | 'users'
  | 'orgUnits'
  | 'areas'
  | 'partners'
  | 'servicePoints'
  | 'tokens'
  | 'audit'
  | 'inbox'
  | 'messages'
  | 'circulars'
  | 'meetings';

/** The permission each screen needs; `null` opens for every signed-in role. */
export const screenPermissions: Record<ScreenKey, Permission | null> = {
  home: null,
  // The outlet clerk may read a household, but only at the counter: the registry is not their task.
  households: 'households.readDetails',
  counter: 'redemptions.write',
  cycles: 'cycles.read',
  runs: 'runs.read',
  programmes: 'programmes.read',
  // Import for registrars and up; auditors see the same screen for the export only.
  import: 'householdFiles.export',
  cards: 'cards.issue',
  stock: 'stock.overview',
  warehouse: 'donations.read',
  // Only a partner's inspector records inspections.
  inspections: 'inspections.write',
  volunteers: 'volunteers.read',
  trainings: 'volunteers.read',
  teams: 'volunteers.read',
  fieldExceptions: 'fieldExceptions.read',
  // Enrolling and revoking phones is the office's; the list shows their secrets' owners.
  fieldDevices: 'runs.write',
  users: 'users.manage',
  orgUnits: 'orgUnits.read',
  areas: 'areas.write',
  partners: 'partners.write',
  servicePoints: 'servicePoints.write',
  tokens: 'tokens.manageAll',
  audit: 'audit.read',
  inbox: null,
  messages: 'messages.read',
  circulars: 'circulars.read',
  meetings: 'meetings.read',
};

export function mayOpen(role: Role, screen: ScreenKey): boolean {
  const permission = screenPermissions[screen];
  return permission === null || can(role, permission);
}

/** The first screen a role lands on after sign-in. */
export function landingPath(role: Role): string {
  // A clerk's work is the counter; everyone else starts at home.
  return role === 'outlet_clerk' ? '/counter' : '/';
}
