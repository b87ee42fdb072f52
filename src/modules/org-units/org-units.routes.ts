/** /org-units: the organisation's tree; administrators shape it, coordinators read it. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CreateOrgUnitBody, OrgUnit, OrgUnitList, UpdateOrgUnitBody } from './org-units.schema.js';
import { createOrgUnit, getOrgUnit, listOrgUnits, updateOrgUnit } from './org-units.service.js';

export async function orgUnitRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/org-units',
    {
      config: { access: 'orgUnits.read' },
      schema: {
        operationId: 'listOrgUnits',
        tags: ['org units'],
        summary: 'Every org unit with its areas, parents before children',
        response: { 200: OrgUnitList },
      },
    },
    async () => ({ items: await listOrgUnits(app.awn.storage.db) }),
  );

  app.get(
    '/org-units/:id',
    {
      config: { access: 'orgUnits.read' },
      schema: {
        operationId: 'getOrgUnit',
        tags: ['org units'],
        summary: 'One org unit with its areas',
        params: IdParams,
        response: { 200: OrgUnit },
      },
    },
    async (request) => getOrgUnit(app.awn.storage.db, request.params.id),
  );

  app.post(
    '/org-units',
    {
      config: { access: 'orgUnits.write' },
      schema: {
        operationId: 'createOrgUnit',
        tags: ['org units'],
        summary: "Add an org unit; its areas must lie within its parent's",
        body: CreateOrgUnitBody,
        response: { 201: OrgUnit },
      },
    },
    async (request, reply) => {
      const unit = await createOrgUnit(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(unit);
    },
  );

  app.patch(
    '/org-units/:id',
    {
      config: { access: 'orgUnits.write' },
      schema: {
        operationId: 'updateOrgUnit',
        tags: ['org units'],
        summary: 'Rename an org unit or replace its areas',
        params: IdParams,
        body: UpdateOrgUnitBody,
        response: { 200: OrgUnit },
      },
    },
    async (request) =>
      updateOrgUnit(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );
}
