/** /service-points/{id}/stock: receive goods into a service point, and read what it holds. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { ReceiveStockBody, StockBalances, StockReceipt } from './stock.schema.js';
import { getStock, receiveStock } from './stock.service.js';

export async function stockRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/service-points/:id/stock',
    {
      config: { access: 'stock.receive' },
      schema: {
        operationId: 'receiveStock',
        tags: ['stock'],
        summary:
          'Receive stock into a service point (201; the same id and body again: 200 with the first receipt; another body: 409 id-conflict)',
        params: IdParams,
        body: ReceiveStockBody,
        response: { 200: StockReceipt, 201: StockReceipt },
      },
    },
    async (request, reply) => {
      const result = await receiveStock(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(result.created ? 201 : 200).send(result.receipt);
    },
  );

  app.get(
    '/service-points/:id/stock',
    {
      config: { access: 'stock.read' },
      schema: {
        operationId: 'getServicePointStock',
        tags: ['stock'],
        summary: 'What a service point holds, per commodity (base units)',
        params: IdParams,
        response: { 200: StockBalances },
      },
    },
    async (request) => getStock(app.awn.storage.db, request.actor!, request.params.id),
  );
}
