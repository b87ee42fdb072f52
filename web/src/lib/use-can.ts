/** The permissions table read for the signed-in user (see src/shared/permissions.ts). */
import { useMe } from '../api/session';
import { can, type Permission } from '../../../src/shared/permissions.js';

/** Whether the signed-in user holds the permission (false while nobody is signed in). */
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data ? can(me.data.role, permission) : false;
}
