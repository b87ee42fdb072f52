/** /messages, /messaging/*, /message-templates and /inbox: the outbox seen from the office. */
import { renderTemplate, smsLength } from '../../domain/messaging/text.js';
import { actorOf, bearerToken } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import {
  CreatedWebhook,
  InboxList,
  InboxQuery,
  InboxRead,
  Message,
  MessageList,
  MessageListQuery,
  OptOutBody,
  OptOuts,
  Preview,
  PreviewBody,
  ReceiptBody,
  ReceiptResult,
  Template,
  TemplateBody,
  TemplateList,
  WebhookBody,
  WebhookList,
} from './messaging.schema.js';
import {
  applyReceipt,
  changeOptOut,
  createWebhook,
  listInbox,
  listMessages,
  listTemplates,
  listWebhooks,
  markInboxRead,
  resendMessage,
  saveTemplate,
} from './messaging.service.js';

const tags = ['messaging'];

export async function messagingRoutes(app: AwnApp): Promise<void> {
  const { storage, clock } = app.awn;

  app.get(
    '/messages',
    {
      config: { access: 'messages.read' },
      schema: {
        operationId: 'listMessages',
        tags,
        summary: 'Messages with their delivery state, by source and status',
        querystring: MessageListQuery,
        response: { 200: MessageList },
      },
    },
    async (request) => listMessages(storage.db, request.query),
  );

  app.post(
    '/messages/:id/resend',
    {
      config: { access: 'messages.write' },
      schema: {
        operationId: 'resendMessage',
        tags,
        summary: 'Send a final message again (as a new message with its own id)',
        params: IdParams,
        response: { 201: Message },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await resendMessage(storage, actorOf(request), request.params.id, clock)),
  );

  app.post(
    '/messaging/receipts',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'postDeliveryReceipt',
        tags,
        summary: "The SMS gateway's delivery receipt (Authorization: Bearer AWN_SMS_GATEWAY_TOKEN)",
        body: ReceiptBody,
        response: { 200: ReceiptResult },
      },
    },
    async (request) =>
      applyReceipt(storage, app.awn.messaging, bearerToken(request), request.body, clock),
  );

  app.get(
    '/message-templates',
    {
      config: { access: 'messages.read' },
      schema: {
        operationId: 'listMessageTemplates',
        tags,
        summary: 'Message templates with their SMS length in each language',
        response: { 200: TemplateList },
      },
    },
    async () => ({ items: await listTemplates(storage.db) }),
  );

  app.put(
    '/message-templates',
    {
      config: { access: 'messages.write' },
      schema: {
        operationId: 'saveMessageTemplate',
        tags,
        summary: 'Create or replace a template (placeholders as {{name}})',
        body: TemplateBody,
        response: { 200: Template },
      },
    },
    async (request) => saveTemplate(storage, actorOf(request), request.body, clock),
  );

  app.post(
    '/messaging/preview',
    {
      config: { access: 'messages.read' },
      schema: {
        operationId: 'previewMessage',
        tags,
        summary: 'A text with placeholders filled, its SMS encoding and segment count',
        body: PreviewBody,
        response: { 200: Preview },
      },
    },
    async (request) => {
      const rendered = renderTemplate(request.body.text, request.body.values ?? {});
      const text = rendered.ok ? rendered.text : request.body.text;
      return { text, missing: rendered.ok ? [] : rendered.missing, sms: smsLength(text) };
    },
  );

  app.put(
    '/messaging/opt-outs',
    {
      config: { access: 'messages.optOut' },
      schema: {
        operationId: 'changeOptOut',
        tags,
        summary: 'Opt a household out of (or back into) a channel; honoured before every send',
        body: OptOutBody,
        response: { 200: OptOuts },
      },
    },
    async (request) => changeOptOut(storage, actorOf(request), request.body, clock),
  );

  app.post(
    '/messaging/webhooks',
    {
      config: { access: 'messages.configure' },
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: "A partner system's endpoint; bodies are signed x-awn-signature: sha256=HMAC",
        body: WebhookBody,
        response: { 201: CreatedWebhook },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createWebhook(storage, actorOf(request), request.body, clock)),
  );

  app.get(
    '/messaging/webhooks',
    {
      config: { access: 'messages.configure' },
      schema: {
        operationId: 'listWebhooks',
        tags,
        summary: 'Partner endpoints (without their secrets)',
        response: { 200: WebhookList },
      },
    },
    async () => ({ items: await listWebhooks(storage.db) }),
  );

  app.get(
    '/inbox',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listInbox',
        tags,
        summary: "The signed-in user's in-app messages",
        querystring: InboxQuery,
        response: { 200: InboxList },
      },
    },
    async (request) => listInbox(storage.db, actorOf(request), request.query),
  );

  app.post(
    '/inbox/:id/read',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'markInboxRead',
        tags,
        summary: 'Mark an in-app message read',
        params: IdParams,
        response: { 200: InboxRead },
      },
    },
    async (request) => markInboxRead(storage, actorOf(request), request.params.id, clock),
  );
}
