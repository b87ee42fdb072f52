/** /cycles: rounds of a programme; coordinators and admins create, open, credit and close them. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CreateCycleBody,
  Cycle,
  CycleList,
  CycleListQuery,
  CycleProgress,
  CycleRun,
} from './cycles.schema.js';
import {
  addCycleHouseholds,
  closeCycle,
  createCycle,
  getCycle,
  getCycleProgress,
  listCycles,
  openCycle,
} from './cycles.service.js';

export async function cycleRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/cycles',
    {
      config: { access: 'cycles.read' },
      schema: {
        operationId: 'listCycles',
        tags: ['cycles'],
        summary: 'Cycles wholly within your scope, newest first',
        querystring: CycleListQuery,
        response: { 200: CycleList },
      },
    },
    async (request) => ({
      items: await listCycles(app.awn.storage.db, request.actor!, request.query),
    }),
  );

  app.get(
    '/cycles/:id',
    {
      config: { access: 'cycles.read' },
      schema: {
        operationId: 'getCycle',
        tags: ['cycles'],
        summary: 'One cycle and its status (opening while households are being credited)',
        params: IdParams,
        response: { 200: Cycle },
      },
    },
    async (request) => getCycle(app.awn.storage.db, request.actor!, request.params.id),
  );

  app.get(
    '/cycles/:id/progress',
    {
      config: { access: 'cycles.read' },
      schema: {
        operationId: 'getCycleProgress',
        tags: ['cycles'],
        summary:
          'Progress per subdistrict: households entitled and served, per commodity entitled and redeemed (base units)',
        params: IdParams,
        response: { 200: CycleProgress },
      },
    },
    async (request) => getCycleProgress(app.awn.storage.db, request.actor!, request.params.id),
  );

  app.post(
    '/cycles',
    {
      config: { access: 'cycles.write' },
      schema: {
        operationId: 'createCycle',
        tags: ['cycles'],
        summary: 'Create a cycle of a programme over a period and areas (status draft)',
        body: CreateCycleBody,
        response: { 201: Cycle },
      },
    },
    async (request, reply) => {
      const cycle = await createCycle(app.awn.storage, request.actor!, request.body, app.awn.clock);
      return reply.code(201).send(cycle);
    },
  );

  app.post(
    '/cycles/:id/open',
    {
      config: { access: 'cycles.write', background: true },
      schema: {
        operationId: 'openCycle',
        tags: ['cycles'],
        summary:
          "Credit every eligible household's entitlement and open the cycle; answers when done. Safe to repeat.",
        params: IdParams,
        response: { 200: CycleRun },
      },
    },
    async (request) => openCycle(app.awn.storage, request.actor!, request.params.id, app.awn.clock),
  );

  app.post(
    '/cycles/:id/households',
    {
      config: { access: 'cycles.write', background: true },
      schema: {
        operationId: 'addCycleHouseholds',
        tags: ['cycles'],
        summary: 'Credit households that became eligible since the cycle opened',
        params: IdParams,
        response: { 200: CycleRun },
      },
    },
    async (request) =>
      addCycleHouseholds(app.awn.storage, request.actor!, request.params.id, app.awn.clock),
  );

  app.post(
    '/cycles/:id/close',
    {
      config: { access: 'cycles.write', background: true },
      schema: {
        operationId: 'closeCycle',
        tags: ['cycles'],
        summary: 'Stop redemptions and expire every unredeemed entitlement; safe to repeat',
        params: IdParams,
        response: { 200: CycleRun },
      },
    },
    async (request) =>
      closeCycle(app.awn.storage, request.actor!, request.params.id, app.awn.clock),
  );
}
