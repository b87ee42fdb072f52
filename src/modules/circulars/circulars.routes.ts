/** /circulars: write, publish, acknowledge, relay, reach, remind, public text; personal links. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { can } from '../../shared/permissions.js';
import { IdParams } from '../../shared/schema.js';
import { escapeHtml } from '../../shared/html.js';
import { circularReach, remindCircular } from './circulars.reach.js';
import {
  Acknowledgement,
  Circular,
  CircularList,
  CircularListQuery,
  CreateCircularBody,
  LinkedCircular,
  LinkParams,
  Published,
  Reach,
  Relay,
  RelayParams,
  Reminded,
} from './circulars.schema.js';
import {
  acknowledgeByLink,
  acknowledgeCircular,
  createCircular,
  getCircular,
  listCirculars,
  publishCircular,
  readByLink,
  relayCircular,
} from './circulars.service.js';

const tags = ['circulars'];

export async function circularRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;

  app.post(
    '/circulars',
    {
      config: { access: 'circulars.write' },
      schema: {
        operationId: 'createCircular',
        tags,
        summary: 'A draft circular: internal body, audience, acknowledgement, public version',
        body: CreateCircularBody,
        response: { 201: Circular },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCircular(storage, actorOf(request), request.body, clock)),
  );

  app.get(
    '/circulars',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'listCirculars',
        tags,
        summary: 'Circulars, paged',
        querystring: CircularListQuery,
        response: { 200: CircularList },
      },
    },
    async (request) => listCirculars(storage.db, request.query),
  );

  app.get(
    '/circulars/:id',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'getCircular',
        tags,
        summary: 'One circular with both versions and the public SMS length',
        params: IdParams,
        response: { 200: Circular },
      },
    },
    async (request) => getCircular(storage.db, request.params.id),
  );

  app.post(
    '/circulars/:id/publish',
    {
      config: { access: 'circulars.write' },
      schema: {
        operationId: 'publishCircular',
        tags,
        summary:
          'Cascade it down the audience, to every member and the public version to households',
        params: IdParams,
        response: { 200: Published },
      },
    },
    async (request) =>
      publishCircular(storage, actorOf(request), request.params.id, app.awn.messaging, clock),
  );

  app.post(
    '/circulars/:id/acknowledge',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'acknowledgeCircular',
        tags,
        summary: 'A member in the audience acknowledges (404 for anyone else)',
        params: IdParams,
        response: { 200: Acknowledgement },
      },
    },
    async (request) => acknowledgeCircular(storage, actorOf(request), request.params.id, clock),
  );

  app.post(
    '/circulars/:id/units/:org_unit_id/relay',
    {
      config: { access: 'circulars.relay' },
      schema: {
        operationId: 'relayCircular',
        tags,
        summary: 'A unit says it relayed the circular (its member, or the office)',
        params: RelayParams,
        response: { 200: Relay },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return relayCircular(
        storage,
        actor,
        request.params.id,
        request.params.org_unit_id,
        can(actor.role, 'circulars.write'),
        clock,
      );
    },
  );

  app.get(
    '/circulars/:id/reach',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'getCircularReach',
        tags,
        summary: 'Members reached and acknowledged per unit and level, times, public delivery',
        params: IdParams,
        response: { 200: Reach },
      },
    },
    async (request) => circularReach(storage.db, request.params.id),
  );

  app.post(
    '/circulars/:id/remind',
    {
      config: { access: 'circulars.write' },
      schema: {
        operationId: 'remindCircular',
        tags,
        summary: 'Remind those who have not acknowledged; tell parent units which units lag',
        params: IdParams,
        response: { 200: Reminded },
      },
    },
    async (request) =>
      remindCircular(storage, actorOf(request), request.params.id, app.awn.messaging, clock),
  );

  app.get(
    '/circulars/:id/public.txt',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'getCircularPublicText',
        tags,
        summary: 'The public version as text for social media',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const circular = await getCircular(storage.db, request.params.id);
      if (!circular.public) return reply.code(404).type('text/plain').send('');
      return reply
        .type('text/plain; charset=utf-8')
        .send(`${circular.title}\n\n${circular.public.body}\n`);
    },
  );

  app.get(
    '/circulars/:id/notice.html',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'getCircularNotice',
        tags,
        summary: 'The public version as a printable notice',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const circular = await getCircular(storage.db, request.params.id);
      const body = circular.public?.body ?? '';
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>${escapeHtml(circular.title)}</title>` +
            `<style>body{font-family:serif;max-width:170mm;margin:20mm auto;font-size:16pt;line-height:1.6}h1{font-size:22pt}</style></head>` +
            `<body><h1>${escapeHtml(circular.title)}</h1><p>${escapeHtml(body).replaceAll('\n', '<br>')}</p></body></html>`,
        );
    },
  );

  app.get(
    '/circular-links/:token',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'readCircularByLink',
        tags,
        summary: "A volunteer's personal link: the circular, without a password",
        params: LinkParams,
        response: { 200: LinkedCircular },
      },
    },
    async (request) => readByLink(storage.db, request.params.token),
  );

  app.post(
    '/circular-links/:token/acknowledge',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'acknowledgeCircularByLink',
        tags,
        summary: "Acknowledge through a volunteer's personal link",
        params: LinkParams,
        response: { 200: Acknowledgement },
      },
    },
    async (request) => acknowledgeByLink(storage, request.params.token, clock),
  );
}
