/** GET /audit-events and POST /audit-events/verify: the tamper-evident trail, for admins and auditors. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { formatChainHead, parseChainHead } from './audit.chain.js';
import {
  AuditEventListQuery,
  AuditEventPage,
  AuditVerification,
  AuditVerifyQuery,
} from './audit.schema.js';
import { listAuditEvents, verifyAuditLog } from './audit.service.js';

export async function auditRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/audit-events',
    {
      config: { access: 'audit.read' },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Audit events, newest first (field names only, never values)',
        querystring: AuditEventListQuery,
        response: { 200: AuditEventPage },
      },
    },
    async (request) => listAuditEvents(app.awn.storage.db, actorOf(request), request.query),
  );

  app.post(
    '/audit-events/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        operationId: 'verifyAuditLog',
        tags: ['audit'],
        summary: 'Recompute the hash chain and name the first bad event',
        description:
          'Answers the newest event as `head`; keep it outside the database and pass it back as `?head=` later: deleting the newest events is then caught too (`head-missing`).',
        querystring: AuditVerifyQuery,
        response: { 200: AuditVerification },
      },
    },
    async (request) => {
      const recorded = request.query.head ? parseChainHead(request.query.head) : null;
      const result = await verifyAuditLog(app.awn.storage.db, recorded ?? undefined);
      return {
        ok: result.ok,
        events: result.events,
        head: result.head ? formatChainHead(result.head) : null,
        ...(result.firstBad ? { first_bad: result.firstBad } : {}),
      };
    },
  );
}
