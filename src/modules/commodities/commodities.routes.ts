/** /commodities: the goods Awn counts. Anyone signed in reads; coordinators and admins add. */
import type { AwnApp } from '../../server/types.js';
import {
  Commodity,
  CommodityCodeParams,
  CommodityList,
  CreateCommodityBody,
  UpdateCommodityBody,
} from './commodities.schema.js';
import { createCommodity, listCommodities, updateCommodity } from './commodities.service.js';

export async function commodityRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/commodities',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listCommodities',
        tags: ['commodities'],
        summary: 'Every commodity, with its base unit and display unit',
        response: { 200: CommodityList },
      },
    },
    async () => ({ items: await listCommodities(app.awn.storage.db) }),
  );

  app.post(
    '/commodities',
    {
      config: { access: 'commodities.write' },
      schema: {
        operationId: 'createCommodity',
        tags: ['commodities'],
        summary: 'Add a commodity (409 commodity-exists when the code is taken)',
        body: CreateCommodityBody,
        response: { 201: Commodity },
      },
    },
    async (request, reply) => {
      const commodity = await createCommodity(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(commodity);
    },
  );

  app.patch(
    '/commodities/:code',
    {
      config: { access: 'commodities.write' },
      schema: {
        operationId: 'updateCommodity',
        tags: ['commodities'],
        summary: 'Say whether its lots need inspection before release, or rename it',
        params: CommodityCodeParams,
        body: UpdateCommodityBody,
        response: { 200: Commodity },
      },
    },
    async (request) =>
      updateCommodity(
        app.awn.storage,
        request.actor!,
        request.params.code,
        request.body,
        app.awn.clock,
      ),
  );
}
