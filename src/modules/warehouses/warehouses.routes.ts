/** /warehouses: stores and their locations. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CreateLocationBody,
  CreateWarehouseBody,
  Warehouse,
  WarehouseList,
  WarehouseLocation,
} from './warehouses.schema.js';
import {
  addLocation,
  createWarehouse,
  getWarehouse,
  listWarehouses,
} from './warehouses.service.js';

export async function warehouseRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/warehouses',
    {
      config: { access: 'warehouses.write' },
      schema: {
        operationId: 'createWarehouse',
        tags: ['warehouses'],
        summary: 'Add a warehouse in an area of your scope',
        body: CreateWarehouseBody,
        response: { 201: Warehouse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createWarehouse(app.awn.storage, request.actor!, request.body, app.awn.clock)),
  );

  app.get(
    '/warehouses',
    {
      config: { access: 'warehouses.read' },
      schema: {
        operationId: 'listWarehouses',
        tags: ['warehouses'],
        summary: 'The warehouses in your scope, with their locations',
        response: { 200: WarehouseList },
      },
    },
    async (request) => ({ items: await listWarehouses(app.awn.storage.db, request.actor!) }),
  );

  app.get(
    '/warehouses/:id',
    {
      config: { access: 'warehouses.read' },
      schema: {
        operationId: 'getWarehouse',
        tags: ['warehouses'],
        summary: 'A warehouse with its locations',
        params: IdParams,
        response: { 200: Warehouse },
      },
    },
    async (request) => getWarehouse(app.awn.storage.db, request.actor!, request.params.id),
  );

  app.post(
    '/warehouses/:id/locations',
    {
      config: { access: 'warehouses.write' },
      schema: {
        operationId: 'addWarehouseLocation',
        tags: ['warehouses'],
        summary: 'Add a location (room, shelf) to a warehouse',
        params: IdParams,
        body: CreateLocationBody,
        response: { 201: WarehouseLocation },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await addLocation(
            app.awn.storage,
            request.actor!,
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );
}
