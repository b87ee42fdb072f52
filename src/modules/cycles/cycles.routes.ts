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
  UnservedList,
  UnservedQuery,
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
import { readUnservedHouseholds, unservedSignatureSheet } from './cycles.unserved.js';

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

  app.get(
    '/cycles/:id/unserved',
    {
      config: { access: 'households.readDetails' },
      schema: {
        operationId: 'listUnservedHouseholds',
        tags: ['cycles'],
        summary: "The cycle's households not yet served, with what is left to hand over",
        description:
          'Households in scope (within `area_pcode` when given) for which nothing of the cycle has been redeemed yet; paged by `next_cursor`. Audit-logged as a read of personal data.',
        params: IdParams,
        querystring: UnservedQuery,
        response: { 200: UnservedList },
      },
    },
    async (request) =>
      readUnservedHouseholds(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.query,
        app.awn.clock,
      ),
  );

  app.get(
    '/cycles/:id/signature-sheet',
    {
      config: { access: 'households.readDetails' },
      schema: {
        operationId: 'printUnservedSignatureSheet',
        tags: ['cycles'],
        summary: 'A printable A4 signature sheet (HTML, Arabic) of the households not yet served',
        description:
          'Same filters and paging as GET /cycles/{id}/unserved; when more households are left than `limit`, the `x-next-cursor` header gives the next sheet.',
        params: IdParams,
        querystring: UnservedQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const sheet = await unservedSignatureSheet(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.query,
        app.awn.clock,
      );
      if (sheet.next_cursor !== null) reply.header('x-next-cursor', sheet.next_cursor);
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(sheet.html);
    },
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
