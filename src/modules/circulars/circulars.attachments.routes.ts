/** /circulars/{id}/attachments: PDF and images stored and served with a circular. */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { ValidationError } from '../../shared/errors.js';
import { StrictObject } from '../../shared/schema.js';
import {
  addAttachment,
  attachmentLimitBytes,
  attachmentTypes,
  listAttachments,
  readAttachment,
  readAttachmentByLink,
} from './circulars.attachments.js';

const tags = ['circulars'];
const Attachment = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  media_type: Type.String(),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  created_at: Type.String(),
});
const Id = Type.String({ minLength: 1, maxLength: 100 });
const AttachmentParams = StrictObject({ id: Id, attachment_id: Id });
const LinkAttachmentParams = StrictObject({
  token: Type.String({ minLength: 10, maxLength: 100 }),
  attachment_id: Id,
});

function send(
  reply: FastifyReply,
  file: { filename: string; media_type: string; content: Buffer },
) {
  // The name is given as UTF-8 (Arabic names) and never as raw header text.
  return reply
    .type(file.media_type)
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .send(file.content);
}

export async function circularAttachmentRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;
  // Scoped to this plugin: only the accepted file types are read here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    Object.keys(attachmentTypes),
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/circulars/:id/attachments',
    {
      bodyLimit: attachmentLimitBytes,
      config: { access: 'circulars.write' },
      schema: {
        operationId: 'addCircularAttachment',
        tags,
        summary: 'Attach a PDF or an image (the body is the file; at most 5 MB)',
        params: StrictObject({ id: Id }),
        querystring: StrictObject({
          filename: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
        }),
        response: { 201: Attachment },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new ValidationError([{ path: '/body', message: 'is empty' }], 'Send the file.');
      }
      const media_type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      return reply
        .code(201)
        .send(
          await addAttachment(
            storage,
            actorOf(request),
            request.params.id,
            { filename: request.query.filename, media_type, content: request.body },
            clock,
          ),
        );
    },
  );

  app.get(
    '/circulars/:id/attachments',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'listCircularAttachments',
        tags,
        summary: "A circular's attachments",
        params: StrictObject({ id: Id }),
        response: { 200: Type.Object({ items: Type.Array(Attachment) }) },
      },
    },
    async (request) => ({ items: await listAttachments(storage.db, request.params.id) }),
  );

  app.get(
    '/circulars/:id/attachments/:attachment_id',
    {
      config: { access: 'circulars.read' },
      schema: {
        operationId: 'getCircularAttachment',
        tags,
        summary: 'One attachment, as its file',
        params: AttachmentParams,
      },
    },
    async (request, reply) =>
      send(
        reply,
        await readAttachment(storage.db, request.params.id, request.params.attachment_id),
      ),
  );

  app.get(
    '/circular-links/:token/attachments/:attachment_id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getCircularAttachmentByLink',
        tags,
        summary: "An attachment through a volunteer's personal link",
        params: LinkAttachmentParams,
      },
    },
    async (request, reply) =>
      send(
        reply,
        await readAttachmentByLink(storage.db, request.params.token, request.params.attachment_id),
      ),
  );
}
