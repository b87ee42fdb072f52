/** GET/POST /areas and GET /areas/{pcode}: admin areas are reference data every role reads. */
import type { AwnApp } from '../../server/types.js';
import { Area, AreaList, AreaListQuery, AreaParams, CreateCommunityBody } from './areas.schema.js';
import { createCommunity, getArea, listAreas } from './areas.service.js';

export async function areaRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/areas',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listAreas',
        tags: ['areas'],
        summary: 'Areas by parent, level and name or p-code',
        querystring: AreaListQuery,
        response: { 200: AreaList },
      },
    },
    async (request) => ({ items: await listAreas(app.awn.storage.db, request.query) }),
  );

  app.get(
    '/areas/:pcode',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'getArea',
        tags: ['areas'],
        summary: 'One area',
        params: AreaParams,
        response: { 200: Area },
      },
    },
    async (request) => getArea(app.awn.storage.db, request.params.pcode),
  );

  app.post(
    '/areas',
    {
      config: { access: 'areas.write' },
      schema: {
        operationId: 'createArea',
        tags: ['areas'],
        summary: 'Add a community (neighbourhood, town, village or farm) under a subdistrict',
        body: CreateCommunityBody,
        response: { 201: Area },
      },
    },
    async (request, reply) => {
      const area = await createCommunity(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(area);
    },
  );
}
