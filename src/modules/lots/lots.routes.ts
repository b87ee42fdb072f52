/** /lots: lots in the warehouses of your scope, and their inspection by a partner's inspector. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { correctReceipt } from './lots.corrections.js';
import { disposeRejected } from './lots.disposals.js';
import {
  Correction,
  CorrectionBody,
  Disposal,
  DisposalBody,
  InspectionBody,
  InspectionResult,
  LotDetail,
  LotList,
  LotLabelsQuery,
  LotListQuery,
  TeamPpeIssueBody,
} from './lots.schema.js';
import { PpeIssue } from '../volunteers/volunteers.schema.js';
import { issuePpeFromTeam } from './lots.ppe.js';
import { renderLotLabels } from './lots.labels.js';
import { printPolicy } from '../donations/donations.routes.js';
import { inspectorPartner, recordInspection } from './lots.inspections.js';
import { getLot, listLots } from './lots.service.js';

export async function lotRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/lots',
    {
      config: { access: 'lots.read' },
      schema: {
        operationId: 'listLots',
        tags: ['lots'],
        summary: 'Lots in the warehouses of your scope (inspectors: waiting_for_me=true)',
        querystring: LotListQuery,
        response: { 200: LotList },
      },
    },
    async (request) => {
      const db = app.awn.storage.db;
      const partner = await inspectorPartner(db, request.actor!);
      return {
        items: await listLots(db, request.actor!, request.query, app.awn.clock, partner),
      };
    },
  );

  app.get(
    '/lots/labels',
    {
      config: { access: 'lots.read' },
      schema: {
        operationId: 'printLotLabels',
        tags: ['lots'],
        summary:
          'An A4 sheet of lot labels with a QR code each (awn-lot:<id>), e.g. of one donation (HTML)',
        querystring: LotLabelsQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', printPolicy)
        .type('text/html; charset=utf-8')
        .send(
          await renderLotLabels(app.awn.storage.db, request.actor!, request.query, app.awn.clock),
        ),
  );

  app.get(
    '/lots/:id',
    {
      config: { access: 'lots.read' },
      schema: {
        operationId: 'getLot',
        tags: ['lots'],
        summary: 'A lot with its quantities in its warehouse (from the ledger) and its inspections',
        params: IdParams,
        response: { 200: LotDetail },
      },
    },
    async (request) => getLot(app.awn.storage.db, request.actor!, request.params.id, app.awn.clock),
  );

  app.post(
    '/lots/:id/inspections',
    {
      config: { access: 'inspections.write' },
      schema: {
        operationId: 'inspectLot',
        tags: ['lots'],
        summary:
          "Record a partner's inspection of a quarantined lot: pass releases it, fail rejects it, partial splits it (201; same id and body: 200; other body: 409 id-conflict)",
        description:
          "Only a user with role inspector tied to the lot's inspecting partner (the warehouse's inspection partner when the lot was received; any health directorate when none was named): 403 not-your-lot otherwise. 409 lot-not-quarantined when already inspected.",
        params: IdParams,
        body: InspectionBody,
        response: { 200: InspectionResult, 201: InspectionResult },
      },
    },
    async (request, reply) => {
      const { created, result } = await recordInspection(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/teams/:id/ppe-issues',
    {
      config: { access: 'ppe.issue' },
      schema: {
        operationId: 'issuePpeFromTeamStock',
        tags: ['lots'],
        summary:
          "Issue protective equipment from a team's stock to one of its volunteers (a ledger transfer, on the volunteer's history; 201, same id: 200)",
        description: '409 insufficient-stock when the team holds too little of the commodity.',
        params: IdParams,
        body: TeamPpeIssueBody,
        response: { 200: PpeIssue, 201: PpeIssue },
      },
    },
    async (request, reply) => {
      const { created, issue } = await issuePpeFromTeam(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(issue);
    },
  );

  app.post(
    '/lots/:id/disposals',
    {
      config: { access: 'lots.dispose' },
      schema: {
        operationId: 'disposeRejectedLot',
        tags: ['lots'],
        summary:
          "Record the disposal of a lot's rejected stock (rejected -> disposed; 201, same id: 200)",
        description: '409 nothing-to-dispose when the lot holds less rejected stock than named.',
        params: IdParams,
        body: DisposalBody,
        response: { 200: Disposal, 201: Disposal },
      },
    },
    async (request, reply) => {
      const { created, disposal } = await disposeRejected(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(disposal);
    },
  );

  app.post(
    '/lots/:id/corrections',
    {
      config: { access: 'donations.write' },
      schema: {
        operationId: 'correctLotReceipt',
        tags: ['lots'],
        summary:
          "Correct a released lot's received quantity by a reversing transfer with a reason (201, same id: 200)",
        description:
          '409 lot-not-released for a lot not released; 409 insufficient-stock when less is available than removed.',
        params: IdParams,
        body: CorrectionBody,
        response: { 200: Correction, 201: Correction },
      },
    },
    async (request, reply) => {
      const { created, correction } = await correctReceipt(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      );
      return reply.code(created ? 201 : 200).send(correction);
    },
  );
}
