/** /allocations: draft, approve, dispatch (with a waybill), receive, cancel. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { printPolicy } from '../donations/donations.routes.js';
import {
  Allocation,
  AllocationList,
  AllocationListQuery,
  CreateAllocationBody,
  ReceiveAllocationBody,
} from './allocations.schema.js';
import {
  approveAllocation,
  cancelAllocation,
  createAllocation,
  dispatchAllocation,
  getAllocation,
  listAllocations,
  receiveAllocation,
} from './allocations.service.js';
import { renderWaybill } from './allocations.waybill.js';

export async function allocationRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;

  app.post(
    '/allocations',
    {
      config: { access: 'allocations.write' },
      schema: {
        operationId: 'createAllocation',
        tags: ['allocations'],
        summary:
          'Draft an allocation from a warehouse to a recipient (201; same id and body: 200; other body: 409 id-conflict)',
        description:
          'Lines without lot_id take released lots first expiry first out. 409 lot-not-released for a named lot that is not released (or is expired); 409 insufficient-stock for more than is available now.',
        body: CreateAllocationBody,
        response: { 200: Allocation, 201: Allocation },
      },
    },
    async (request, reply) => {
      const { created, allocation } = await createAllocation(
        storage,
        request.actor!,
        request.body,
        clock,
      );
      return reply.code(created ? 201 : 200).send(allocation);
    },
  );

  app.get(
    '/allocations',
    {
      config: { access: 'allocations.read' },
      schema: {
        operationId: 'listAllocations',
        tags: ['allocations'],
        summary: 'Allocations from the warehouses of your scope, newest first',
        querystring: AllocationListQuery,
        response: { 200: AllocationList },
      },
    },
    async (request) => ({
      items: await listAllocations(storage.db, request.actor!, request.query),
    }),
  );

  app.get(
    '/allocations/:id',
    {
      config: { access: 'allocations.read' },
      schema: {
        operationId: 'getAllocation',
        tags: ['allocations'],
        summary: 'An allocation with its lines',
        params: IdParams,
        response: { 200: Allocation },
      },
    },
    async (request) => getAllocation(storage.db, request.actor!, request.params.id),
  );

  app.post(
    '/allocations/:id/approve',
    {
      config: { access: 'allocations.approve' },
      schema: {
        operationId: 'approveAllocation',
        tags: ['allocations'],
        summary: 'Approve a draft: hold its stock (available -> allocated)',
        description:
          '409 lot-not-released, 409 insufficient-stock (racing approvals never take more than a lot holds), 409 allocation-state. Approving an approved allocation answers it again.',
        params: IdParams,
        response: { 200: Allocation },
      },
    },
    async (request) => approveAllocation(storage, request.actor!, request.params.id, clock),
  );

  app.post(
    '/allocations/:id/dispatch',
    {
      config: { access: 'allocations.write' },
      schema: {
        operationId: 'dispatchAllocation',
        tags: ['allocations'],
        summary:
          'Dispatch an approved allocation: the goods leave (pending transfers into transit)',
        description: '409 lot-not-released (e.g. expired since approval), 409 allocation-state.',
        params: IdParams,
        response: { 200: Allocation },
      },
    },
    async (request) => dispatchAllocation(storage, request.actor!, request.params.id, clock),
  );

  app.post(
    '/allocations/:id/receive',
    {
      config: { access: 'allocations.write' },
      schema: {
        operationId: 'receiveAllocation',
        tags: ['allocations'],
        summary:
          'Confirm receipt of a dispatched allocation, in part or in full; the shortfall is recorded as loss in transit',
        params: IdParams,
        body: ReceiveAllocationBody,
        response: { 200: Allocation },
      },
    },
    async (request) =>
      receiveAllocation(storage, request.actor!, request.params.id, request.body ?? {}, clock),
  );

  app.post(
    '/allocations/:id/cancel',
    {
      config: { access: 'allocations.approve' },
      schema: {
        operationId: 'cancelAllocation',
        tags: ['allocations'],
        summary:
          'Cancel a draft or approved allocation (its hold is released); 409 once dispatched',
        params: IdParams,
        response: { 200: Allocation },
      },
    },
    async (request) => cancelAllocation(storage, request.actor!, request.params.id, clock),
  );

  app.get(
    '/allocations/:id/waybill',
    {
      config: { access: 'allocations.read' },
      schema: {
        operationId: 'printWaybill',
        tags: ['allocations'],
        summary: 'The printable waybill (Arabic with English, HTML for A4)',
        params: IdParams,
        produces: ['text/html'],
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', printPolicy)
        .type('text/html; charset=utf-8')
        .send(await renderWaybill(storage.db, request.actor!, request.params.id)),
  );
}
