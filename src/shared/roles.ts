/** The roles, in one place shared by server, CLI and web app. */
export const roles = [
  'admin',
  'coordinator',
  'registrar',
  'storekeeper',
  'inspector',
  'team_leader',
  'volunteer',
  'outlet_clerk',
  'auditor',
] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
