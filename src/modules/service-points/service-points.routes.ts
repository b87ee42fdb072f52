/** /service-points: where households redeem; scoped, so each actor sees only those in scope. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CreateServicePointBody,
  ServicePoint,
  ServicePointList,
  ServicePointListQuery,
  UpdateServicePointBody,
} from './service-points.schema.js';
import {
  createServicePoint,
  getServicePoint,
  listServicePoints,
  updateServicePoint,
} from './service-points.service.js';

export async function servicePointRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/service-points',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listServicePoints',
        tags: ['service points'],
        summary: 'Service points in your scope, optionally within an area or of one partner',
        querystring: ServicePointListQuery,
        response: { 200: ServicePointList },
      },
    },
    async (request) => ({
      items: await listServicePoints(app.awn.storage.db, request.actor!, request.query),
    }),
  );

  app.get(
    '/service-points/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'getServicePoint',
        tags: ['service points'],
        summary: 'One service point (404 when outside your scope)',
        params: IdParams,
        response: { 200: ServicePoint },
      },
    },
    async (request) => getServicePoint(app.awn.storage.db, request.actor!, request.params.id),
  );

  app.post(
    '/service-points',
    {
      config: { access: 'servicePoints.write' },
      schema: {
        operationId: 'createServicePoint',
        tags: ['service points'],
        summary: 'Add a service point in an area within your scope',
        body: CreateServicePointBody,
        response: { 201: ServicePoint },
      },
    },
    async (request, reply) => {
      const point = await createServicePoint(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(point);
    },
  );

  app.patch(
    '/service-points/:id',
    {
      config: { access: 'servicePoints.write' },
      schema: {
        operationId: 'updateServicePoint',
        tags: ['service points'],
        summary:
          'Change a service point in your scope: names, partner, and the commodities it hands out (null: every commodity)',
        params: IdParams,
        body: UpdateServicePointBody,
        response: { 200: ServicePoint },
      },
    },
    async (request) =>
      updateServicePoint(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );
}
