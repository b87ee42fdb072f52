/**
 * The one permissions table: which roles may do what. Routes declare their access by a
 * permission name (`config: { access: 'households.write' }`), the web app shows what a role
 * may use (`useCan('households.write')`), and presenters decide which fields a role reads
 * (`can(role, 'households.readDetails')`). test/access-matrix.test.ts checks every route x
 * role against the table. A new action adds one line here, never a role list elsewhere.
 */
import { roles, type Role } from './roles.js';

const registry = ['admin', 'coordinator', 'registrar'] as const;
const office = ['admin', 'coordinator'] as const;

export const permissions = {
  // Users, tokens, audit
  'users.manage': ['admin'],
  /** See and revoke everyone's API tokens (others see their own). */
  'tokens.manageAll': ['admin'],
  'audit.read': ['admin', 'auditor'],
  /** GET /metrics (besides the scraper addresses `awn serve --metrics-addresses` names). */
  'metrics.read': ['admin'],
  /** Roles whose scope is everything, whatever areas they are given. */
  'scope.global': ['admin', 'auditor'],

  // Geography and organisation
  'areas.write': office,
  'orgUnits.read': office,
  'orgUnits.write': ['admin'],
  'partners.write': office,
  'servicePoints.write': office,
  'commodities.write': office,

  // Registry
  'households.read': [...registry, 'auditor', 'outlet_clerk'],
  /** The full record (contact details, tags, members); others read who a household is. */
  'households.readDetails': [...registry, 'auditor'],
  'households.write': registry,
  /** The registry's configurable lists (vulnerability tags). */
  'households.configure': office,
  'duplicates.read': [...registry, 'auditor'],
  'cards.issue': registry,
  'householdFiles.import': registry,
  'householdFiles.export': [...registry, 'auditor'],

  // Programmes, cycles, distribution
  'programmes.read': [...office, 'auditor'],
  'programmes.write': office,
  'cycles.read': [...office, 'auditor'],
  'cycles.write': office,
  'redemptions.write': [...office, 'outlet_clerk'],
  /** Serve a household away from its home service point (with a reason, audited). */
  'redemptions.override': office,
  'redemptions.read': [...registry, 'outlet_clerk', 'auditor'],
  'entitlements.read': [...registry, 'outlet_clerk', 'team_leader', 'auditor'],

  // Stock
  'stock.receive': [...office, 'storekeeper'],
  'stock.read': [...office, 'storekeeper', 'outlet_clerk', 'auditor'],
  /** Close a service point's day with a count of what is on hand. */
  'stock.dayClose': [...office, 'storekeeper', 'outlet_clerk'],
  /** Stock across service points (the stock screen); the clerk reads it at the counter. */
  'stock.overview': [...office, 'storekeeper', 'auditor'],

  // Warehouses, donations, lots, inspection, allocations
  'warehouses.read': [...office, 'storekeeper', 'inspector', 'auditor'],
  'warehouses.write': office,
  'donors.write': [...office, 'storekeeper'],
  'donations.write': [...office, 'storekeeper'],
  'donations.read': [...office, 'storekeeper', 'auditor'],
  'lots.read': [...office, 'storekeeper', 'inspector', 'auditor'],
  /** Record the disposal of rejected stock. */
  'lots.dispose': [...office, 'storekeeper'],
  /** Only a partner's inspector passes or fails a quarantined lot (never an office role). */
  'inspections.write': ['inspector'],
  'allocations.read': [...office, 'storekeeper', 'auditor'],
  /** Draft an allocation; dispatch and confirm receipt of an approved one. */
  'allocations.write': [...office, 'storekeeper'],
  /** Approve (hold the stock) or cancel an allocation. */
  'allocations.approve': office,
  /** Count a warehouse, and approve another person's count. */
  'counts.write': [...office, 'storekeeper'],
  /** Issue protective equipment from a team's stock to its volunteers. */
  'ppe.issue': [...office, 'storekeeper', 'team_leader'],

  // Volunteers, teams, delivery runs and the field app
  'volunteers.read': [...office, 'team_leader', 'auditor'],
  'volunteers.write': office,
  'runs.read': [...office, 'team_leader', 'volunteer', 'auditor'],
  /** Plan, dispatch and close runs; enrol devices; resolve field exceptions. */
  'runs.write': office,
  'runs.manifest': [...office, 'team_leader'],
  'field.sync': [...office, 'team_leader', 'volunteer'],
  'fieldExceptions.read': [...office, 'auditor'],

  // Messaging, circulars, meetings
  /** The message log with delivery states, templates, previews. */
  'messages.read': [...office, 'auditor'],
  /** Resend a message; write templates. */
  'messages.write': office,
  /** Opt a household out of a channel (the registry records what the household asks). */
  'messages.optOut': registry,
  /** Partner webhook endpoints (their secrets). */
  'messages.configure': ['admin'],
  /** Write, publish and remind circulars. */
  'circulars.write': office,
  /** Circulars and their reach. */
  'circulars.read': [...office, 'team_leader', 'auditor'],
  /** Send a template to the households of a cycle or of areas. */
  'notices.send': office,
  /** Say that one's unit relayed a circular. */
  'circulars.relay': [...office, 'team_leader'],
  'meetings.read': [...registry, 'team_leader', 'auditor'],
  /** Venues, meetings, minutes and action items. */
  'meetings.write': office,
  /** Register people, cancel registrations, check them in at the door. */
  'meetings.register': [...registry, 'team_leader'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

/** Whether the role holds the permission. */
export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** The roles holding the permission, in the order of `roles`. */
export function rolesWith(permission: Permission): readonly Role[] {
  return roles.filter((role) => can(role, permission));
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(permissions, value);
}
