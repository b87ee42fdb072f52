/**
 * The outbox's use cases: queue messages in the caller's transaction (every other module
 * sends through queueMessages), list them, resend, take the gateway's receipts, templates,
 * opt-outs, webhook endpoints and the users' inbox.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import type { MessageChannel, MessageStatus } from '../../db/database.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { receiptApplies } from '../../domain/messaging/outbox.js';
import { renderTemplate, smsLength } from '../../domain/messaging/text.js';
import type { Clock } from '../../shared/clock.js';
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../shared/errors.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { decodeCursor, encodeCursor, getHouseholdView } from '../households/households.search.js';
import type { MessagingConfig } from './messaging.config.js';
import { defaultTemplates } from './messaging.defaults.js';
import {
  findMessage,
  findMessages,
  findOptedOut,
  findOptOutsOf,
  findTemplates,
  findWebhooks,
  insertMessages,
  insertWebhook,
  setOptOut,
  updateMessage,
  upsertTemplate,
  type MessageFilter,
  type MessageRecord,
  type NewMessageRow,
  type TemplateRecord,
} from './messaging.repository.js';
import type {
  MessageListQuery,
  MessageView,
  ReceiptBody,
  TemplateBody,
  TemplateView,
  WebhookBody,
} from './messaging.schema.js';

export { countMessagesByStatus } from './messaging.repository.js';

/** A message to queue. */
export interface MessageInput {
  /** Given by the caller when it must know the id before (else a new UUID). */
  id?: string;
  channel: MessageChannel;
  /** E.164 (sms), an e-mail address, a webhook id, or a user id (inbox). */
  to: string;
  household_id?: string | null;
  user_id?: string | null;
  subject?: string | null;
  body: string;
  language: 'ar' | 'en';
  template_code?: string | null;
  source_kind: string;
  source_id?: string | null;
}

export interface QueueResult {
  /** The ids queued, in the order given (opted-out ones left out). */
  ids: string[];
  /** Inputs not queued: the household opted out of the channel, or the address is malformed. */
  skipped: { index: number; reason: 'opted-out' | 'invalid-recipient' }[];
}

const e164 = /^\+[1-9][0-9]{6,14}$/u;
const emailAddress = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

function recipientValid(channel: MessageChannel, to: string): boolean {
  if (channel === 'sms') return e164.test(to);
  if (channel === 'email') return emailAddress.test(to);
  return to.length > 0;
}

/**
 * Queues the messages in the caller's transaction, so they exist exactly when their cause
 * commits; each is audited without its text. Households that opted out of a channel get
 * nothing on it.
 */
export async function queueMessages(
  trx: Executor,
  actor: Actor,
  inputs: readonly MessageInput[],
  clock: Clock,
): Promise<QueueResult> {
  const now = clock().toISOString();
  const optedOut = new Map<MessageChannel, Set<string>>();
  for (const channel of new Set(inputs.map((input) => input.channel))) {
    const households = inputs.flatMap((input) =>
      input.channel === channel && input.household_id ? [input.household_id] : [],
    );
    optedOut.set(channel, await findOptedOut(trx, households, channel));
  }
  const rows: NewMessageRow[] = [];
  const skipped: QueueResult['skipped'] = [];
  inputs.forEach((input, index) => {
    if (input.household_id && optedOut.get(input.channel)?.has(input.household_id)) {
      skipped.push({ index, reason: 'opted-out' });
      return;
    }
    if (!recipientValid(input.channel, input.to)) {
      skipped.push({ index, reason: 'invalid-recipient' });
      return;
    }
    rows.push({
      id: input.id ?? randomUUID(),
      channel: input.channel,
      recipient: input.to,
      household_id: input.household_id ?? null,
      user_id: input.user_id ?? (input.channel === 'inbox' ? input.to : null),
      subject: input.subject ?? null,
      body: input.body,
      language: input.language,
      template_code: input.template_code ?? null,
      source_kind: input.source_kind,
      source_id: input.source_id ?? null,
      resend_of: null,
      status: 'queued',
      last_error: null,
      next_attempt_at: now,
      claim_id: null,
      claimed_until: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      sent_at: null,
      delivered_at: null,
      failed_at: null,
      read_at: null,
    });
  });
  await insertMessages(trx, rows);
  await appendAuditEvents(
    trx,
    rows.map((row) => ({
      actor,
      action: 'message.queue',
      entity: 'message',
      entityId: row.id,
      fields: ['channel', 'recipient', 'source_kind', 'source_id'],
    })),
    clock,
  );
  return { ids: rows.map((row) => row.id), skipped };
}

/** A template's text in a language with its placeholders filled (ValidationError names the missing). */
export async function renderMessage(
  db: Executor,
  code: string,
  language: 'ar' | 'en',
  values: Readonly<Record<string, string | number>>,
): Promise<{ subject: string | null; body: string; channel: MessageChannel }> {
  const [template = defaultTemplates[code]] = await findTemplates(db, code);
  if (!template) throw new NotFoundError('message template', 'template-not-found');
  const body = renderTemplate(language === 'ar' ? template.body_ar : template.body_en, values);
  if (!body.ok) {
    throw new ValidationError(
      body.missing.map((name) => ({
        path: `/values/${name}`,
        message: 'is required by the template',
      })),
    );
  }
  const subjectText = language === 'ar' ? template.subject_ar : template.subject_en;
  const subject = subjectText === null ? null : renderTemplate(subjectText, values);
  return {
    channel: template.channel,
    body: body.text,
    subject: subject === null ? null : subject.ok ? subject.text : subjectText,
  };
}

export function presentMessage(row: MessageRecord): MessageView {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    unconfirmed: row.unconfirmed === 1,
    attempts: row.attempts,
    last_error: row.last_error,
    source_kind: row.source_kind,
    source_id: row.source_id,
    template_code: row.template_code,
    resend_of: row.resend_of,
    created_at: row.created_at,
    updated_at: row.updated_at,
    sent_at: row.sent_at,
    delivered_at: row.delivered_at,
    failed_at: row.failed_at,
  };
}

/** A page of messages (no text and no recipient: neither is needed to follow delivery). */
export async function listMessages(
  db: Executor,
  query: MessageListQuery,
): Promise<{ items: MessageView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 50;
  const filter: MessageFilter = {
    ...(query.source_kind !== undefined ? { source_kind: query.source_kind } : {}),
    ...(query.source_id !== undefined ? { source_id: query.source_id } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
  };
  const after = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
  const rows = await findMessages(db, filter, after, limit);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(presentMessage),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/**
 * Sends a final message again as a new message (new id: the gateway would drop the old one
 * as a repeat); a message still queued is 409 `message-pending`.
 */
export async function resendMessage(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<MessageView> {
  return writeTransaction(storage, async (trx) => {
    const original = await findMessage(trx, id);
    if (!original) throw new NotFoundError('message');
    if (original.status === 'queued') {
      throw new ConflictError('message-pending', 'This message is still being sent.');
    }
    const now = clock().toISOString();
    const copy: MessageRecord = {
      ...original,
      id: randomUUID(),
      resend_of: original.id,
      status: 'queued',
      unconfirmed: 0,
      attempts: 0,
      last_error: null,
      next_attempt_at: now,
      claim_id: null,
      claimed_until: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      sent_at: null,
      delivered_at: null,
      failed_at: null,
      read_at: null,
    };
    await insertMessages(trx, [copy]);
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'message.resend',
          entity: 'message',
          entityId: copy.id,
          fields: ['resend_of', 'channel', 'recipient', 'source_kind', 'source_id'],
        },
      ],
      clock,
    );
    return presentMessage(copy);
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Applies a delivery receipt from the SMS gateway (its bearer token, else 401). A receipt
 * applies whatever the message's state but a final `failed`, so one may come before the
 * sender recorded `sent`; an unknown id is ignored.
 */
export async function applyReceipt(
  storage: Pick<Storage, 'db' | 'dialect'>,
  config: MessagingConfig,
  token: string | null,
  receipt: ReceiptBody,
  clock: Clock,
): Promise<{ applied: boolean }> {
  const expected = config.sms.gateway_token;
  if (expected === null || token === null || !sameSecret(token, expected)) {
    throw new UnauthorizedError('gateway-token-invalid', 'The gateway token is missing or wrong.');
  }
  return writeTransaction(storage, async (trx) => {
    const message = await findMessage(trx, receipt.id, true);
    if (!message || !receiptApplies(message.status)) return { applied: false };
    const now = clock().toISOString();
    const at = receipt.at ?? now;
    const status: MessageStatus = receipt.status;
    await updateMessage(trx, message.id, {
      status,
      unconfirmed: 0,
      updated_at: now,
      ...(status === 'delivered'
        ? { delivered_at: at }
        : { failed_at: at, last_error: 'receipt: failed' }),
    });
    return { applied: true };
  });
}

export function presentTemplate(row: TemplateRecord): TemplateView {
  return {
    code: row.code,
    channel: row.channel,
    subject_ar: row.subject_ar,
    subject_en: row.subject_en,
    body_ar: row.body_ar,
    body_en: row.body_en,
    sms_ar: smsLength(row.body_ar),
    sms_en: smsLength(row.body_en),
    updated_at: row.updated_at,
  };
}

export async function saveTemplate(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: TemplateBody,
  clock: Clock,
): Promise<TemplateView> {
  const now = clock().toISOString();
  return writeTransaction(storage, async (trx) => {
    const [existing] = await findTemplates(trx, input.code);
    const row: TemplateRecord = {
      code: input.code,
      channel: input.channel,
      subject_ar: input.subject_ar ?? null,
      subject_en: input.subject_en ?? null,
      body_ar: input.body_ar,
      body_en: input.body_en,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    await upsertTemplate(trx, row);
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: existing ? 'message_template.update' : 'message_template.create',
          entity: 'message_template',
          entityId: row.code,
          fields: ['channel', 'subject_ar', 'subject_en', 'body_ar', 'body_en'],
        },
      ],
      clock,
    );
    return presentTemplate(row);
  });
}

export async function listTemplates(db: Executor): Promise<TemplateView[]> {
  return (await findTemplates(db)).map(presentTemplate);
}

/** Opts a household in or out of a channel (404 outside the actor's scope); its channels after. */
export async function changeOptOut(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: { household_id: string; channel: MessageChannel; opted_out: boolean },
  clock: Clock,
): Promise<{ household_id: string; opted_out: MessageChannel[] }> {
  await getHouseholdView(storage.db, actor, input.household_id, false);
  return writeTransaction(storage, async (trx) => {
    await setOptOut(trx, input.household_id, input.channel, input.opted_out, clock().toISOString());
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: input.opted_out ? 'household.opt_out' : 'household.opt_in',
          entity: 'household',
          entityId: input.household_id,
          fields: ['channel'],
        },
      ],
      clock,
    );
    return {
      household_id: input.household_id,
      opted_out: await findOptOutsOf(trx, input.household_id),
    };
  });
}

/** Registers a partner's endpoint; the secret is shown once, here. */
export async function createWebhook(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: WebhookBody,
  clock: Clock,
): Promise<{ id: string; name: string; url: string; secret: string }> {
  const row = {
    id: randomUUID(),
    name: input.name,
    url: input.url,
    secret: randomBytes(32).toString('base64url'),
    created_at: clock().toISOString(),
  };
  await writeTransaction(storage, async (trx) => {
    await insertWebhook(trx, row);
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'webhook.create',
          entity: 'webhook',
          entityId: row.id,
          fields: ['name', 'url'],
        },
      ],
      clock,
    );
  });
  return { id: row.id, name: row.name, url: row.url, secret: row.secret };
}

export async function listWebhooks(
  db: Executor,
): Promise<{ id: string; name: string; url: string }[]> {
  return (await findWebhooks(db)).map((row) => ({ id: row.id, name: row.name, url: row.url }));
}

/** The signed-in user's inbox, newest id last, paged. */
export async function listInbox(
  db: Executor,
  actor: Actor,
  query: { limit?: number; cursor?: string },
): Promise<{
  items: {
    id: string;
    subject: string | null;
    body: string;
    source_kind: string;
    source_id: string | null;
    created_at: string;
    read_at: string | null;
  }[];
  next_cursor: string | null;
}> {
  if (!actor.userId) return { items: [], next_cursor: null };
  const limit = query.limit ?? 50;
  const after = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
  const rows = await findMessages(db, { channel: 'inbox', user_id: actor.userId }, after, limit);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      subject: row.subject,
      body: row.body,
      source_kind: row.source_kind,
      source_id: row.source_id,
      created_at: row.created_at,
      read_at: row.read_at,
    })),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/** Marks one of the user's inbox messages read (404 for anyone else's). */
export async function markInboxRead(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<{ id: string; read_at: string }> {
  return writeTransaction(storage, async (trx) => {
    const message = await findMessage(trx, id);
    if (!message || message.channel !== 'inbox' || message.user_id !== actor.userId) {
      throw new NotFoundError('message');
    }
    const read_at = message.read_at ?? clock().toISOString();
    if (message.read_at === null) await updateMessage(trx, id, { read_at });
    return { id, read_at };
  });
}
