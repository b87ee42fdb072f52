/** Every module's routes under /api/v1; a new module adds one line here. */
import type { AwnApp } from './types.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { tokenRoutes } from '../modules/tokens/tokens.routes.js';
import { userRoutes } from '../modules/users/users.routes.js';
import { areaRoutes } from '../modules/areas/areas.routes.js';
import { orgUnitRoutes } from '../modules/org-units/org-units.routes.js';
import { partnerRoutes } from '../modules/partners/partners.routes.js';
import { servicePointRoutes } from '../modules/service-points/service-points.routes.js';
import { householdRoutes } from '../modules/households/households.routes.js';
import { cardRoutes } from '../modules/cards/cards.routes.js';
import { commodityRoutes } from '../modules/commodities/commodities.routes.js';
import { programmeRoutes } from '../modules/programmes/programmes.routes.js';
import { cycleRoutes } from '../modules/cycles/cycles.routes.js';
import { stockRoutes } from '../modules/stock/stock.routes.js';
import { redemptionRoutes } from '../modules/redemptions/redemptions.routes.js';
import { householdFileRoutes } from '../modules/household-files/household-files.routes.js';
import { trainingRoutes } from '../modules/trainings/trainings.routes.js';
import { volunteerRoutes } from '../modules/volunteers/volunteers.routes.js';
import { teamRoutes } from '../modules/teams/teams.routes.js';
import { runRoutes } from '../modules/runs/runs.routes.js';
import { syncRoutes } from '../modules/sync/sync.routes.js';

export async function moduleRoutes(app: AwnApp): Promise<void> {
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes);
  await app.register(auditRoutes);
  await app.register(areaRoutes);
  await app.register(orgUnitRoutes);
  await app.register(partnerRoutes);
  await app.register(servicePointRoutes);
  await app.register(householdRoutes);
  await app.register(cardRoutes);
  await app.register(commodityRoutes);
  await app.register(programmeRoutes);
  await app.register(cycleRoutes);
  await app.register(stockRoutes);
  await app.register(redemptionRoutes);
  await app.register(householdFileRoutes);
  await app.register(trainingRoutes);
  await app.register(volunteerRoutes);
  await app.register(teamRoutes);
  await app.register(runRoutes);
  await app.register(syncRoutes);
  void app;
}
