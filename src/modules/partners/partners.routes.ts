/** /partners: outside institutions; every role reads them, administrators and coordinators add them. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CreatePartnerBody, Partner, PartnerList, PartnerListQuery } from './partners.schema.js';
import { createPartner, getPartner, listPartners } from './partners.service.js';

export async function partnerRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/partners',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listPartners',
        tags: ['partners'],
        summary: 'Partners, optionally of one kind',
        querystring: PartnerListQuery,
        response: { 200: PartnerList },
      },
    },
    async (request) => ({ items: await listPartners(app.awn.storage.db, request.query) }),
  );

  app.get(
    '/partners/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'getPartner',
        tags: ['partners'],
        summary: 'One partner',
        params: IdParams,
        response: { 200: Partner },
      },
    },
    async (request) => getPartner(app.awn.storage.db, request.params.id),
  );

  app.post(
    '/partners',
    {
      config: { access: 'partners.write' },
      schema: {
        operationId: 'createPartner',
        tags: ['partners'],
        summary: 'Add a partner in an area within your scope',
        body: CreatePartnerBody,
        response: { 201: Partner },
      },
    },
    async (request, reply) => {
      const partner = await createPartner(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(partner);
    },
  );
}
