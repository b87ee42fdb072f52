/** The real Awn server over a fresh SQLite database with the demo seeded, on a random port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Storage } from '../../src/db/connect.js';
import { systemActor } from '../../src/domain/actor.js';
import { seedDemo, type DemoSeed } from '../../src/modules/demo/demo.seed.js';
import { createUser } from '../../src/modules/users/users.service.js';
import { buildApp, type AwnApp } from '../../src/server/app.js';
import { roles, type Role } from '../../src/shared/roles.js';

export interface Login {
  role: Role;
  username: string;
  password: string;
}

export interface E2eServer {
  baseUrl: string;
  storage: Storage;
  app: AwnApp;
  seed: DemoSeed;
  logins: Record<Role, Login>;
  close(): Promise<void>;
}

/** Starts the server; every role gets a user `e2e-<role>` scoped to the demo branch. */
export async function startServer(): Promise<E2eServer> {
  const directory = mkdtempSync(join(tmpdir(), 'awn-e2e-'));
  const storage = await connect(join(directory, 'awn.sqlite'));
  const seed = await seedDemo(storage, () => new Date());
  if (!seed) throw new Error('the demo was not seeded into a fresh database');
  const logins = {} as Record<Role, Login>;
  for (const role of roles) {
    const login = {
      role,
      username: `e2e-${role.replace('_', '-')}`,
      password: `${role}-password-2026`,
    };
    await createUser(storage, systemActor, {
      username: login.username,
      displayName: `E2E ${role}`,
      role,
      password: login.password,
      scope: role === 'admin' || role === 'auditor' ? [] : [seed.branchId],
    });
    logins[role] = login;
  }
  const app = await buildApp({ storage, demo: true, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    storage,
    app,
    seed,
    logins,
    async close() {
      await app.close();
      await storage.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Sugar (counted in g, shown in kg) and bread (bundles), unless the demo has them already. */
export async function ensureCommodities(server: E2eServer): Promise<void> {
  const { createCommodity, listCommodities } =
    await import('../../src/modules/commodities/commodities.service.js');
  const existing = new Set((await listCommodities(server.storage.db)).map((item) => item.code));
  const wanted = [
    {
      code: 'sugar',
      name_ar: 'سكر',
      name_en: 'Sugar',
      base_unit: 'g' as const,
      display_unit: 'kg',
      display_scale: 1000,
    },
    {
      code: 'bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      base_unit: 'bundle' as const,
      display_unit: 'bundle',
      display_scale: 1,
    },
  ];
  for (const commodity of wanted) {
    if (!existing.has(commodity.code))
      await createCommodity(server.storage, systemActor, commodity, () => new Date());
  }
}

/** Registers households straight through the service (not the UI), in a demo community. */
export async function registerHouseholds(
  server: E2eServer,
  households: { given: string; father: string; family: string; size: number; area?: string }[],
): Promise<{ id: string; card_number: string }[]> {
  const { createHousehold } = await import('../../src/modules/households/households.create.js');
  const made = [];
  for (const household of households) {
    const view = await createHousehold(
      server.storage,
      systemActor,
      {
        head_given_name: household.given,
        head_father_name: household.father,
        head_family_name: household.family,
        household_size: household.size,
        area_pcode: household.area ?? server.seed.communityPcodes[0],
        // Fixtures may look alike; the registration UI's own check is tested through the UI.
        confirm_not_duplicate: true,
        duplicate_reason: 'e2e fixture',
      },
      () => new Date(),
    );
    made.push({ id: view.id, card_number: view.card_number });
  }
  return made;
}
