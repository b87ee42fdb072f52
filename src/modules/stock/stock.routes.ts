/** /service-points/{id}/stock: receive goods into a service point, and read what it holds. */
import { Type } from '@sinclair/typebox';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  DayClose,
  DayCloseBody,
  Alerts,
  AlertsQuery,
  CountParams,
  Pipeline,
  PipelineQuery,
  ReorderLevelBody,
  DayQuery,
  StockCount,
  StockCountBody,
  Holdings,
  HoldingsQuery,
  ReceiveStockBody,
  StockBalances,
  StockReceipt,
} from './stock.schema.js';
import { closeDay, getDayClose, renderDaySheet } from './stock.day-close.js';
import { approveCount, getCount, listCounts, submitCount } from './stock.counts.js';
import { getHoldings } from './stock.holdings.js';
import { getAlerts, getPipeline, setReorderLevel } from './stock.reports.js';
import { getStock, receiveStock } from './stock.service.js';

/** The daily sheet is one document with its style inline: nothing else loads. */
const daySheetPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export async function stockRoutes(app: AwnApp): Promise<void> {
  app.put(
    '/stock/reorder-levels',
    {
      config: { access: 'warehouses.write' },
      schema: {
        operationId: 'setReorderLevel',
        tags: ['stock'],
        summary: 'Set the least a holder should keep of a commodity (alerts below it; 0: none)',
        body: ReorderLevelBody,
        response: { 200: ReorderLevelBody },
      },
    },
    async (request) =>
      setReorderLevel(app.awn.storage, request.actor!, request.body, app.awn.clock),
  );

  app.get(
    '/stock/alerts',
    {
      config: { access: 'stock.overview' },
      schema: {
        operationId: 'getStockAlerts',
        tags: ['stock'],
        summary:
          'Lots expiring within the days given (30 by default) still in stock, and holders below their reorder level',
        querystring: AlertsQuery,
        response: { 200: Alerts },
      },
    },
    async (request) =>
      getAlerts(app.awn.storage.db, request.actor!, request.query.within_days ?? 30, app.awn.clock),
  );

  app.get(
    '/stock/pipeline',
    {
      config: { access: 'stock.overview' },
      schema: {
        operationId: 'getStockPipeline',
        tags: ['stock'],
        summary:
          'Per commodity, from the ledger: donated, inspected, released, allocated, dispatched, received by recipients, issued, handed to households',
        querystring: PipelineQuery,
        response: { 200: Pipeline },
      },
    },
    async (request) => getPipeline(app.awn.storage.db, request.query.commodity),
  );

  app.post(
    '/warehouses/:id/counts',
    {
      config: { access: 'counts.write' },
      schema: {
        operationId: 'submitStockCount',
        tags: ['stock'],
        summary:
          'Count lots in a warehouse against the books; nothing moves until a second person approves (201; same id and body: 200)',
        params: IdParams,
        body: StockCountBody,
        response: { 200: StockCount, 201: StockCount },
      },
    },
    async (request, reply) => {
      const { created, count } = await submitCount(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(count);
    },
  );

  app.get(
    '/warehouses/:id/counts',
    {
      config: { access: 'stock.overview' },
      schema: {
        operationId: 'listStockCounts',
        tags: ['stock'],
        summary: "A warehouse's latest counts (50), newest first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(StockCount) }) },
      },
    },
    async (request) => ({
      items: await listCounts(app.awn.storage.db, request.actor!, request.params.id),
    }),
  );

  app.get(
    '/warehouses/:id/counts/:countId',
    {
      config: { access: 'stock.overview' },
      schema: {
        operationId: 'getStockCount',
        tags: ['stock'],
        summary: 'A warehouse count with its differences',
        params: CountParams,
        response: { 200: StockCount },
      },
    },
    async (request) =>
      getCount(app.awn.storage.db, request.actor!, request.params.id, request.params.countId),
  );

  app.post(
    '/warehouses/:id/counts/:countId/approve',
    {
      config: { access: 'counts.write' },
      schema: {
        operationId: 'approveStockCount',
        tags: ['stock'],
        summary:
          'Approve a count (not by the person who counted it: 409 second-person-required); its differences become adjustment transfers',
        description: '409 count-below-held when a shortfall is more than the lot has available.',
        params: CountParams,
        response: { 200: StockCount },
      },
    },
    async (request) =>
      approveCount(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.params.countId,
        app.awn.clock,
      ),
  );

  app.get(
    '/stock',
    {
      config: { access: 'stock.overview' },
      schema: {
        operationId: 'listStockHoldings',
        tags: ['stock'],
        summary:
          'What every holder (warehouse, partner, team, org unit, service point, volunteer) holds, per lot and state, from the ledger',
        querystring: HoldingsQuery,
        response: { 200: Holdings },
      },
    },
    async (request) =>
      getHoldings(app.awn.storage.db, request.actor!, request.query, app.awn.clock),
  );

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

  app.post(
    '/service-points/:id/day-close',
    {
      config: { access: 'stock.dayClose' },
      schema: {
        operationId: 'closeServicePointDay',
        tags: ['stock'],
        summary:
          "Close today at a service point: per commodity, received, handed out and on hand by the books against the clerk's count",
        description:
          "Every commodity held must be counted (400 on `/counts` otherwise); `date` must be today in the deployment's time zone (400). Each difference is recorded and posted to the ledger as an adjustment (`count_adjustment`, against the `count_difference` account). A day closes once: 409 day-already-closed; 409 count-below-reserved when a count is below stock held by pending moves.",
        params: IdParams,
        body: DayCloseBody,
        response: { 201: DayClose },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await closeDay(
            app.awn.storage,
            request.actor!,
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );

  app.get(
    '/service-points/:id/day-close',
    {
      config: { access: 'stock.read' },
      schema: {
        operationId: 'getServicePointDay',
        tags: ['stock'],
        summary: "A service point's day: as closed, or its movements so far",
        params: IdParams,
        querystring: DayQuery,
        response: { 200: DayClose },
      },
    },
    async (request) =>
      getDayClose(
        app.awn.storage.db,
        request.actor!,
        request.params.id,
        request.query.date,
        app.awn.clock,
      ),
  );

  app.get(
    '/service-points/:id/day-sheet',
    {
      config: { access: 'stock.read' },
      schema: {
        operationId: 'printServicePointDaySheet',
        tags: ['stock'],
        summary: 'The printable daily sheet of a service point (Arabic HTML for A4)',
        params: IdParams,
        querystring: DayQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', daySheetPolicy)
        .type('text/html; charset=utf-8')
        .send(
          await renderDaySheet(
            app.awn.storage.db,
            request.actor!,
            request.params.id,
            request.query.date,
            app.awn.clock,
          ),
        ),
  );
}
