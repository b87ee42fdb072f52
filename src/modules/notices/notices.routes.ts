/** /notices: templates to households of a cycle or areas; /public/entitlement-check for citizens. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import {
  EntitlementCheck,
  EntitlementCheckBody,
  SendNoticeBody,
  SentNotice,
} from './notices.schema.js';
import { checkEntitlement, sendNotice } from './notices.service.js';

const tags = ['notices'];

export async function noticeRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;

  app.post(
    '/notices',
    {
      config: { access: 'notices.send' },
      schema: {
        operationId: 'sendNotice',
        tags,
        summary:
          'A template by SMS to the households of a cycle or of areas (with a phone, not opted out)',
        body: SendNoticeBody,
        response: { 201: SentNotice },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await sendNotice(storage, actorOf(request), request.body, clock)),
  );

  app.post(
    '/public/entitlement-check',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'checkEntitlementPublic',
        tags,
        summary:
          "A citizen's check of what is left: card number and the phone's last four digits (rate-limited, audited)",
        body: EntitlementCheckBody,
        response: { 200: EntitlementCheck },
      },
    },
    async (request) =>
      checkEntitlement(
        storage,
        request.body,
        { address: request.ip, requestId: request.id },
        clock,
      ),
  );
}
