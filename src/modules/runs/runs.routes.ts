/** /runs: plan, dispatch, follow and close door-to-door delivery runs; printable manifests. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { runManifest } from './runs.manifest.js';
import { moveStop, planDay, planRun, setRunOrder } from './runs.planning.js';
import {
  CloseRunResponse,
  DispatchBlocked,
  MoveStopBody,
  MoveStopResponse,
  PlanDayBody,
  PlanDayResponse,
  PlanRunBody,
  Run,
  RunList,
  RunOrderBody,
  RunListQuery,
  StopParams,
} from './runs.schema.js';
import { closeRun, dispatchRun, getRun, listRuns } from './runs.service.js';

export async function runRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/runs',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'planRun',
        tags: ['runs'],
        summary: 'Plan a run for a team on a day of an open cycle',
        body: PlanRunBody,
        response: { 201: Run },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await planRun(app.awn.storage, actorOf(request), request.body, app.awn.clock)),
  );

  app.post(
    '/runs/plan-day',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'planRunDay',
        tags: ['runs'],
        summary:
          'Plan a day: split the eligible households of the areas into one run per team, within each team’s capacity',
        body: PlanDayBody,
        response: { 201: PlanDayResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await planDay(app.awn.storage, actorOf(request), request.body, app.awn.clock)),
  );

  app.post(
    '/runs/:id/stops/:stop_id/move',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'moveRunStop',
        tags: ['runs'],
        summary:
          'Move a stop to another planned run of the same cycle and date, within its team’s capacity; both runs are re-ordered',
        params: StopParams,
        body: MoveStopBody,
        response: { 200: MoveStopResponse },
      },
    },
    async (request) =>
      moveStop(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        request.params.stop_id,
        request.body,
        app.awn.clock,
      ),
  );

  app.put(
    '/runs/:id/order',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'setRunOrder',
        tags: ['runs'],
        summary:
          'Keep an order of a planned run’s stops (e.g. the run page’s preview): every stop once; the length is measured again',
        params: IdParams,
        body: RunOrderBody,
        response: { 200: Run },
      },
    },
    async (request) =>
      setRunOrder(
        app.awn.storage,
        actorOf(request),
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );

  app.get(
    '/runs',
    {
      config: { access: 'runs.read' },
      schema: {
        operationId: 'listRuns',
        tags: ['runs'],
        summary: 'Runs from service points in your scope, with progress by stop',
        querystring: RunListQuery,
        response: { 200: RunList },
      },
    },
    async (request) => ({
      items: await listRuns(app.awn.storage.db, actorOf(request), request.query),
    }),
  );

  app.get(
    '/runs/:id',
    {
      config: { access: 'runs.read' },
      schema: {
        operationId: 'getRun',
        tags: ['runs'],
        summary: 'A run with each stop’s state',
        params: IdParams,
        response: { 200: Run },
      },
    },
    async (request) => getRun(app.awn.storage.db, actorOf(request), request.params.id),
  );

  app.get(
    '/runs/:id/manifest',
    {
      config: { access: 'runs.manifest' },
      schema: {
        operationId: 'printRunManifest',
        tags: ['runs'],
        summary: 'The printable A4 manifest (HTML, Arabic)',
        params: IdParams,
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          await runManifest(app.awn.storage, actorOf(request), request.params.id, app.awn.clock),
        ),
  );

  app.post(
    '/runs/:id/dispatch',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'dispatchRun',
        tags: ['runs'],
        summary:
          'Dispatch: reserve every stop’s entitlement and load the team; 409 dispatch-blocked lists what is missing',
        params: IdParams,
        response: { 200: Run, 409: DispatchBlocked },
      },
    },
    async (request) =>
      dispatchRun(app.awn.storage, actorOf(request), request.params.id, app.awn.clock),
  );

  app.post(
    '/runs/:id/close',
    {
      config: { access: 'runs.write' },
      schema: {
        operationId: 'closeRun',
        tags: ['runs'],
        summary: 'Close: void what was not delivered, return the goods, record hours',
        params: IdParams,
        response: { 200: CloseRunResponse },
      },
    },
    async (request) => ({
      id: request.params.id,
      status: 'closed' as const,
      ...(await closeRun(app.awn.storage, actorOf(request), request.params.id, app.awn.clock)),
    }),
  );
}
