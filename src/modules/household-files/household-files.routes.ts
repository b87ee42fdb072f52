/**
 * POST /imports/households (a CSV or XLSX body), GET /imports/households/template.{csv,xlsx} and
 * GET /exports/households.{csv,xlsx}. The file media types are parsed to a Buffer in this plugin
 * only, under a 50 MiB limit on the import route alone.
 */
import type { FastifyReply } from 'fastify';
import type { AwnApp } from '../../server/types.js';
import { actorOf } from '../../server/access.js';
import { ValidationError } from '../../shared/errors.js';
import { mediaTypes, type FileFormat } from './household-files.formats.js';
import { ExportQuery, ImportQuery, ImportReport, TemplateQuery } from './household-files.schema.js';
import {
  exportHouseholdFile,
  householdTemplate,
  importHouseholdFile,
} from './household-files.service.js';

export const importBodyLimitBytes = 50 * 1024 * 1024;

/** Who may take personal data out in bulk: those who may read full household records. */

function formatOf(contentType: string | undefined): FileFormat | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === mediaTypes.csv) return 'csv';
  if (type === mediaTypes.xlsx) return 'xlsx';
  return undefined;
}

function attachment(reply: FastifyReply, mediaType: string, filename: string): FastifyReply {
  return reply
    .type(mediaType)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store');
}

export async function householdFileRoutes(app: AwnApp): Promise<void> {
  // Scoped to this plugin: only the file media types are read here (anything else is a 415),
  // and other routes keep refusing them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [mediaTypes.csv, mediaTypes.xlsx],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/imports/households',
    {
      bodyLimit: importBodyLimitBytes,
      config: { access: 'householdFiles.import', background: true },
      schema: {
        operationId: 'importHouseholds',
        tags: ['household files'],
        summary: 'Import households from a CSV or XLSX file, with a row-level report',
        description:
          'The body is the file (`text/csv` or the XLSX media type). All or nothing by default; `skip_invalid=true` commits the valid rows; `dry_run=true` writes nothing. A missing required column is a 400 naming it.',
        querystring: ImportQuery,
        response: { 200: ImportReport },
      },
    },
    async (request) => {
      const format = formatOf(request.headers['content-type']);
      if (format === undefined || !Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw new ValidationError([{ path: '/body', message: 'is empty' }], 'Send the file.');
      }
      return importHouseholdFile(
        app.awn.storage,
        actorOf(request),
        { format, content: request.body },
        {
          clock: app.awn.clock,
          dryRun: request.query.dry_run ?? false,
          skipInvalid: request.query.skip_invalid ?? false,
        },
      );
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/imports/households/template.${format}`,
      {
        config: { access: 'authenticated' },
        schema: {
          operationId: `downloadHouseholdTemplate${capitalized(format)}`,
          tags: ['household files'],
          summary: `The blank household import template (${format.toUpperCase()})`,
          querystring: TemplateQuery,
        },
      },
      async (request, reply) => {
        const file = await householdTemplate(format, { hxl: request.query.hxl ?? false });
        return attachment(reply, mediaTypes[format], `households-template.${format}`).send(file);
      },
    );

    app.get(
      `/exports/households.${format}`,
      {
        config: { access: 'householdFiles.export', background: true },
        schema: {
          operationId: `exportHouseholds${capitalized(format)}`,
          tags: ['household files'],
          summary: `Export the households of a filtered list (${format.toUpperCase()})`,
          description:
            'Same filters as GET /households. Every exported household is audit-logged as a read of personal data; every CSV field is quoted, and a cell in which = + - @, tab, CR or NUL starts the text or follows a separator or quote gets a leading single quote (OWASP).',
          querystring: ExportQuery,
        },
      },
      async (request, reply) => {
        const { hxl, ...filter } = request.query;
        const file = await exportHouseholdFile(app.awn.storage, actorOf(request), filter, {
          format,
          hxl: hxl ?? false,
          clock: app.awn.clock,
        });
        return attachment(reply, file.mediaType, file.filename).send(file.stream);
      },
    );
  }
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
