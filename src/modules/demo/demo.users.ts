/** One demo user per role, all with the same published password, scoped to the demo branch. */
import type { Storage } from '../../db/connect.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { roles, type Role } from '../../shared/roles.js';
import { createUser, globalRoles } from '../users/users.service.js';

/** Published in README and printed by `npm start`: demo databases are not for real data. */
export const demoPassword = 'awn-demo-2026';

export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
}

const displayNames: Record<Role, string> = {
  admin: 'مدير النظام',
  coordinator: 'منسق الفرع',
  registrar: 'أمين السجل',
  storekeeper: 'أمين المستودع',
  inspector: 'مفتش مديرية الصحة',
  team_leader: 'قائد الفريق',
  volunteer: 'متطوع',
  outlet_clerk: 'موظف المنفذ',
  auditor: 'المدقق',
};

export function demoLogins(): DemoLogin[] {
  return roles.map((role) => ({ role, username: role.replace('_', '-'), password: demoPassword }));
}

/** Creates the demo users; the branch id scopes every role that is not global. */
export async function seedDemoUsers(
  storage: Storage,
  branchId: string,
  clock: Clock,
): Promise<DemoLogin[]> {
  const logins = demoLogins();
  for (const login of logins) {
    await createUser(
      storage,
      systemActor,
      {
        username: login.username,
        displayName: displayNames[login.role],
        role: login.role,
        password: login.password,
        scope: globalRoles.includes(login.role) ? [] : [branchId],
      },
      clock,
    );
  }
  return logins;
}
