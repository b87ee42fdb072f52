/** GET /audit-events and POST /audit-events/verify: the tamper-evident trail, for admins and auditors. */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { formatChainHead, parseChainHead } from './audit.chain.js';
import { exportAuditLog, listAuditActors, readAuditLog } from './audit.log.js';
import {
  AuditActorList,
  AuditEventListQuery,
  AuditEventPage,
  AuditExportQuery,
  AuditVerification,
  AuditVerifyQuery,
} from './audit.schema.js';
import { verifyAuditLog } from './audit.service.js';

export async function auditRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/audit-events',
    {
      config: { access: 'audit.read' },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Audit events, newest first (field names only, never values)',
        description:
          "Each event names its actor (name and role) and its record (by name where it has one). `from` and `to` are days in the deployment's time zone, both included.",
        querystring: AuditEventListQuery,
        response: { 200: AuditEventPage },
      },
    },
    async (request) => readAuditLog(app.awn.storage.db, actorOf(request), request.query),
  );

  app.get(
    '/audit-events/actors',
    {
      config: { access: 'audit.read' },
      schema: {
        operationId: 'listAuditActors',
        tags: ['audit'],
        summary: "The users the log's actor filter offers: id, name and role",
        response: { 200: AuditActorList },
      },
    },
    async (request) => listAuditActors(app.awn.storage.db, actorOf(request)),
  );

  app.get(
    '/exports/audit-events.csv',
    {
      config: { access: 'audit.read' },
      schema: {
        operationId: 'exportAuditEventsCsv',
        tags: ['audit'],
        summary: 'Export the audit events of a filtered log (CSV), newest first',
        description:
          'Same filters as GET /audit-events. The export is itself audited (`audit.export`, naming the filters used). Every CSV field is quoted, and a cell in which = + - @, tab, CR or NUL starts the text or follows a separator or quote gets a leading single quote (OWASP).',
        querystring: AuditExportQuery,
      },
    },
    async (request, reply) => {
      const file = await exportAuditLog(
        app.awn.storage,
        actorOf(request),
        request.query,
        app.awn.clock,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
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
