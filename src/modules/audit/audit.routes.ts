/** GET /audit-events and POST /audit-events/verify: the tamper-evident trail, for admins and auditors. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/app.js';
import { AuditEventListQuery, AuditEventPage, AuditVerification } from './audit.schema.js';
import { listAuditEvents, verifyAuditLog } from './audit.service.js';

const readers = ['admin', 'auditor'] as const;

export async function auditRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/audit-events',
    {
      config: { access: readers },
      schema: {
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
      config: { access: readers },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain and name the first bad event',
        response: { 200: AuditVerification },
      },
    },
    async () => {
      const result = await verifyAuditLog(app.awn.storage.db);
      return {
        ok: result.ok,
        events: result.events,
        ...(result.firstBad ? { first_bad: result.firstBad } : {}),
      };
    },
  );
}
