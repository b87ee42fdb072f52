/** /service-points: where households redeem; scoped, so each actor sees only those in scope. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  AssignedHomes,
  AssignHomesBody,
  HomeServicePointList,
  SetHomeBody,
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
import { assignHomesByArea, listHouseholdHomes, setHouseholdHome } from './service-points.homes.js';

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

  app.post(
    '/service-points/:id/households',
    {
      config: { access: 'servicePoints.write' },
      schema: {
        operationId: 'assignHomeServicePoint',
        tags: ['service points'],
        summary:
          'Make this the home service point, in a programme, of every household in some areas (bulk)',
        description:
          "The households then redeem that programme's entitlement only here (elsewhere 409 wrong-service-point, unless a coordinator overrides with a reason). Replaces another home in the same programme; households outside your scope are left alone.",
        params: IdParams,
        body: AssignHomesBody,
        response: { 200: AssignedHomes },
      },
    },
    async (request) =>
      assignHomesByArea(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );

  app.get(
    '/households/:id/home-service-points',
    {
      config: { access: 'households.read' },
      schema: {
        operationId: 'listHouseholdHomeServicePoints',
        tags: ['service points'],
        summary: "The household's home service point in each programme that sets one",
        params: IdParams,
        response: { 200: HomeServicePointList },
      },
    },
    async (request) => ({
      items: await listHouseholdHomes(app.awn.storage.db, request.actor!, request.params.id),
    }),
  );

  app.put(
    '/households/:id/home-service-points',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'setHouseholdHomeServicePoint',
        tags: ['service points'],
        summary:
          "Set (or with null remove) one household's home service point in a programme; answers all its homes",
        params: IdParams,
        body: SetHomeBody,
        response: { 200: HomeServicePointList },
      },
    },
    async (request) => ({
      items: await setHouseholdHome(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
    }),
  );
}
