/**
 * Attachments of circulars: PDF and images, at most 5 MB each, whose first bytes must be what
 * their media type says (a file named .pdf that is not a PDF is refused); served to the office
 * and through a volunteer's personal link.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import {
  findAttachment,
  findAttachments,
  findCircular,
  findRecipientByLink,
  insertAttachment,
} from './circulars.repository.js';
import { hashLink } from './circulars.service.js';

export const attachmentLimitBytes = 5 * 1024 * 1024;

/** The media types accepted, each with the bytes its files start with. */
export const attachmentTypes: Record<string, (bytes: Buffer) => boolean> = {
  'application/pdf': (bytes) => bytes.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (bytes) =>
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
  'image/webp': (bytes) =>
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP',
};

export interface AttachmentView {
  id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  created_at: string;
}

export async function addAttachment(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  circularId: string,
  file: { filename: string; media_type: string; content: Buffer },
  clock: Clock,
): Promise<AttachmentView> {
  const check = attachmentTypes[file.media_type];
  if (!check) {
    throw new ValidationError([
      { path: '/body', message: 'must be a PDF, PNG, JPEG or WebP file', code: 'not-allowed' },
    ]);
  }
  if (file.content.length === 0 || !check(file.content)) {
    throw new ValidationError([
      { path: '/body', message: `is not a ${file.media_type} file`, code: 'content-mismatch' },
    ]);
  }
  const row = {
    id: randomUUID(),
    circular_id: circularId,
    filename: file.filename,
    media_type: file.media_type,
    size_bytes: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
    content_base64: file.content.toString('base64'),
    created_by: actor.userId,
    created_at: clock().toISOString(),
  };
  await writeTransaction(storage, async (trx) => {
    if (!(await findCircular(trx, circularId))) throw new NotFoundError('circular');
    await insertAttachment(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'circular.attach',
        entity: 'circular',
        entityId: circularId,
        fields: ['filename', 'media_type'],
      },
      clock,
    );
  });
  return {
    id: row.id,
    filename: row.filename,
    media_type: row.media_type,
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    created_at: row.created_at,
  };
}

export async function listAttachments(db: Executor, circularId: string): Promise<AttachmentView[]> {
  if (!(await findCircular(db, circularId))) throw new NotFoundError('circular');
  return (await findAttachments(db, circularId)).map((row) => ({
    id: row.id,
    filename: row.filename,
    media_type: row.media_type,
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    created_at: row.created_at,
  }));
}

export async function readAttachment(
  db: Executor,
  circularId: string,
  id: string,
): Promise<{ filename: string; media_type: string; content: Buffer }> {
  const row = await findAttachment(db, circularId, id);
  if (!row) throw new NotFoundError('attachment');
  return {
    filename: row.filename,
    media_type: row.media_type,
    content: Buffer.from(row.content_base64, 'base64'),
  };
}

/** An attachment of the circular a personal link belongs to. */
export async function readAttachmentByLink(
  db: Executor,
  token: string,
  id: string,
): Promise<{ filename: string; media_type: string; content: Buffer }> {
  const recipient = await findRecipientByLink(db, hashLink(token));
  if (!recipient) throw new NotFoundError('attachment');
  return readAttachment(db, recipient.circular_id, id);
}
