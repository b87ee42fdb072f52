/**
 * /households/{id}/proxies: people outside the household who may collect for it; and
 * /households/{id}/collectors: who may collect (head, members, proxies), for the counter.
 */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CollectorList,
  CreateProxyBody,
  Proxy,
  ProxyList,
  ProxyParams,
  UpdateProxyBody,
} from './proxies.schema.js';
import {
  createProxy,
  deleteProxy,
  listCollectors,
  listProxies,
  updateProxy,
} from './proxies.service.js';

export async function proxyRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/households/:id/proxies',
    {
      config: { access: 'households.readDetails' },
      schema: {
        operationId: 'listHouseholdProxies',
        tags: ['households'],
        summary: "The household's proxies: people who may collect for it (the read is audited)",
        params: IdParams,
        response: { 200: ProxyList },
      },
    },
    async (request) => ({
      items: await listProxies(app.awn.storage, request.actor!, request.params.id, app.awn.clock),
    }),
  );

  app.post(
    '/households/:id/proxies',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'createHouseholdProxy',
        tags: ['households'],
        summary: 'Register a proxy who may collect for the household',
        params: IdParams,
        body: CreateProxyBody,
        response: { 201: Proxy },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createProxy(
            app.awn.storage,
            request.actor!,
            request.params.id,
            request.body,
            app.awn.clock,
          ),
        ),
  );

  app.patch(
    '/households/:id/proxies/:proxy_id',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'updateHouseholdProxy',
        tags: ['households'],
        summary: "Change a proxy's name, relation or national id",
        params: ProxyParams,
        body: UpdateProxyBody,
        response: { 200: Proxy },
      },
    },
    async (request) =>
      updateProxy(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.params.proxy_id,
        request.body,
        app.awn.clock,
      ),
  );

  app.delete(
    '/households/:id/proxies/:proxy_id',
    {
      config: { access: 'households.write' },
      schema: {
        operationId: 'deleteHouseholdProxy',
        tags: ['households'],
        summary: 'Remove a proxy (hand-overs they collected keep naming them)',
        params: ProxyParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await deleteProxy(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.params.proxy_id,
        app.awn.clock,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/households/:id/collectors',
    {
      config: { access: 'redemptions.write' },
      schema: {
        operationId: 'listHouseholdCollectors',
        tags: ['households'],
        summary:
          "Who may collect for the household (head, members, proxies): the values a hand-over's `collected_by` takes (the read is audited)",
        params: IdParams,
        response: { 200: CollectorList },
      },
    },
    async (request) => ({
      items: await listCollectors(
        app.awn.storage,
        request.actor!,
        request.params.id,
        app.awn.clock,
      ),
    }),
  );
}
