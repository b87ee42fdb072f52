/** /programmes: rules that turn households into entitlements; coordinators and admins. */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CreateProgrammeBody,
  Preview,
  PreviewBody,
  PreviewRulesBody,
  Programme,
  ProgrammeList,
  UpdateProgrammeBody,
} from './programmes.schema.js';
import {
  createProgramme,
  getProgramme,
  listProgrammes,
  previewProgramme,
  previewRules,
  updateProgramme,
} from './programmes.service.js';

export async function programmeRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/programmes',
    {
      config: { access: 'programmes.read' },
      schema: {
        operationId: 'listProgrammes',
        tags: ['programmes'],
        summary: 'Every programme',
        response: { 200: ProgrammeList },
      },
    },
    async () => ({ items: await listProgrammes(app.awn.storage.db) }),
  );

  app.get(
    '/programmes/:id',
    {
      config: { access: 'programmes.read' },
      schema: {
        operationId: 'getProgramme',
        tags: ['programmes'],
        summary: 'One programme with its rules',
        params: IdParams,
        response: { 200: Programme },
      },
    },
    async (request) => getProgramme(app.awn.storage.db, request.params.id),
  );

  app.post(
    '/programmes',
    {
      config: { access: 'programmes.write' },
      schema: {
        operationId: 'createProgramme',
        tags: ['programmes'],
        summary: 'Create a programme (rules: see docs/programme-rules.md)',
        body: CreateProgrammeBody,
        response: { 201: Programme },
      },
    },
    async (request, reply) => {
      const programme = await createProgramme(
        app.awn.storage,
        request.actor!,
        request.body,
        app.awn.clock,
      );
      return reply.code(201).send(programme);
    },
  );

  app.patch(
    '/programmes/:id',
    {
      config: { access: 'programmes.write' },
      schema: {
        operationId: 'updateProgramme',
        tags: ['programmes'],
        summary: "Change a programme's names or rules (the code stays)",
        description:
          'Rules are checked as at creation. While a cycle of the programme is opening, open or ' +
          'closing its rules cannot change: 409 `programme-in-use` with `cycle_ids`.',
        params: IdParams,
        body: UpdateProgrammeBody,
        response: { 200: Programme },
      },
    },
    async (request) =>
      updateProgramme(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body,
        app.awn.clock,
      ),
  );

  app.post(
    '/programmes/preview',
    {
      config: { access: 'programmes.write' },
      schema: {
        operationId: 'previewRules',
        tags: ['programmes'],
        summary: 'Households in your scope that unsaved rules would reach, and the totals',
        body: PreviewRulesBody,
        response: { 200: Preview },
      },
    },
    async (request) => previewRules(app.awn.storage.db, request.actor!, request.body),
  );

  app.post(
    '/programmes/:id/preview',
    {
      config: { access: 'programmes.write' },
      schema: {
        operationId: 'previewProgramme',
        tags: ['programmes'],
        summary: 'Households in your scope the programme reaches, and the totals per commodity',
        params: IdParams,
        body: PreviewBody,
        response: { 200: Preview },
      },
      // The body is optional: no body previews over the whole scope.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      previewProgramme(app.awn.storage.db, request.actor!, request.params.id, request.body),
  );
}
