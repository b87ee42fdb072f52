/**
 * The outbox over HTTP and its channels: receipts (early, unknown, after a failure, wrong
 * token), the message log's filters and pages, resend, templates with SMS segments, opt-outs
 * honoured before sending, signed webhooks, e-mail through a real local SMTP server, the inbox.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/actor.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemClock } from '../../shared/clock.js';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/app.js';
import { buildHouseholdInput, seedTestAreas } from '../households/households.factories.js';
import { queueMessages, type MessageInput } from './messaging.service.js';
import { startMessageWorker } from './messaging.worker.js';
import { startGateway, testMessagingConfig } from './messaging.fixtures.js';
import { smsLength } from '../../domain/messaging/text.js';

async function waitFor(check: () => Promise<boolean>, timeout_ms = 15_000): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SMS length', () => {
  it('counts Arabic at 70 a segment (67 a part) and GSM at 160 (153 a part)', () => {
    expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'gsm', segments: 1 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ encoding: 'gsm', segments: 2 });
    expect(smsLength('{'.repeat(80))).toMatchObject({ characters: 160, segments: 1 });
    expect(smsLength('ب'.repeat(70))).toMatchObject({ encoding: 'ucs2', segments: 1 });
    expect(smsLength('ب'.repeat(71))).toMatchObject({ segments: 2, per_segment: 67 });
    expect(smsLength('ب'.repeat(135))).toMatchObject({ segments: 3 });
  });
});

describeEachDialect('messaging routes', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  const config = testMessagingConfig(null);

  const queue = (inputs: MessageInput[]) =>
    writeTransaction(storage(), (trx) => queueMessages(trx, systemActor, inputs, systemClock));
  const sms = (to: string, extra: Partial<MessageInput> = {}): MessageInput => ({
    channel: 'sms',
    to,
    body: 'مرحبا',
    language: 'ar',
    source_kind: 'routes-test',
    source_id: 'r1',
    ...extra,
  });
  const statusOf = async (id: string) =>
    (
      await storage()
        .db.selectFrom('messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;
  const receipt = (payload: object, token = 'gateway-secret') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/messaging/receipts',
      headers: { authorization: `Bearer ${token}` },
      payload,
    });

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { messaging: config });
    coordinator = await loginAs(app, storage(), 'coordinator');
  });
  afterAll(async () => {
    await app.close();
  });

  it('applies receipts early, ignores unknown ids and failed messages, refuses a wrong token', async () => {
    const { ids } = await queue([sms('+963933000001'), sms('+963933000002')]);
    const [early, failed] = ids as [string, string];
    expect((await receipt({ id: early, status: 'delivered' })).json()).toEqual({ applied: true });
    expect(await statusOf(early)).toBe('delivered');
    await storage()
      .db.updateTable('messages')
      .set({ status: 'failed' })
      .where('id', '=', failed)
      .execute();
    expect((await receipt({ id: failed, status: 'delivered' })).json()).toEqual({ applied: false });
    expect(await statusOf(failed)).toBe('failed');
    expect((await receipt({ id: 'no-such-id', status: 'failed' })).json()).toEqual({
      applied: false,
    });
    const wrong = await receipt({ id: early, status: 'failed' }, 'guess');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('gateway-token-invalid');
    expect(await statusOf(early)).toBe('delivered');
  });

  it('lists messages by source and status, paged, without text or recipient', async () => {
    await queue(
      Array.from({ length: 5 }, (_, index) =>
        sms(`+96393300010${index}`, { source_kind: 'paging', source_id: 'p1' }),
      ),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/messages?source_kind=paging&source_id=p1&status=queued&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie: coordinator.cookie },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json() as {
        items: Record<string, unknown>[];
        next_cursor: string | null;
      };
      for (const item of body.items) {
        expect(Object.keys(item)).toEqual(
          expect.arrayContaining([
            'id',
            'channel',
            'status',
            'attempts',
            'source_kind',
            'source_id',
            'updated_at',
          ]),
        );
        expect(item).not.toHaveProperty('body');
        expect(item).not.toHaveProperty('recipient');
        seen.push(item.id as string);
      }
      cursor = body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    const registrar = await loginAs(app, storage(), 'outlet_clerk');
    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/v1/messages',
      headers: { cookie: registrar.cookie },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('resends a final message under a new id and refuses one still queued', async () => {
    const { ids } = await queue([sms('+963933000201')]);
    const id = ids[0] as string;
    const pending = await app.inject({
      method: 'POST',
      url: `/api/v1/messages/${id}/resend`,
      headers: coordinator.headers,
    });
    expect(pending.statusCode).toBe(409);
    expect(pending.json().code).toBe('message-pending');
    await storage()
      .db.updateTable('messages')
      .set({ status: 'failed' })
      .where('id', '=', id)
      .execute();
    const resent = await app.inject({
      method: 'POST',
      url: `/api/v1/messages/${id}/resend`,
      headers: coordinator.headers,
    });
    expect(resent.statusCode).toBe(201);
    expect(resent.json()).toMatchObject({ status: 'queued', resend_of: id, attempts: 0 });
    expect(resent.json().id).not.toBe(id);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'fields_json'])
      .where('entity_id', '=', resent.json().id)
      .execute();
    expect(audit.map((event) => event.action)).toEqual(['message.resend']);
    expect(audit[0]?.fields_json).not.toContain('body');
  });

  it('keeps templates in both languages with their SMS segments, and previews', async () => {
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/v1/message-templates',
      headers: coordinator.headers,
      payload: {
        code: 'entitlement_ready',
        channel: 'sms',
        body_ar: 'مخصصاتكم جاهزة في {{outlet}} حتى {{date}}',
        body_en: 'Your entitlement is ready at {{outlet}} until {{date}}',
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().sms_ar).toMatchObject({ encoding: 'ucs2', segments: 1 });
    expect(saved.json().sms_en).toMatchObject({ encoding: 'gsm', segments: 1 });
    const preview = await app.inject({
      method: 'POST',
      url: '/api/v1/messaging/preview',
      headers: coordinator.headers,
      payload: { text: 'مرحبا {{name}} {{missing}}', values: { name: 'سعاد' } },
    });
    expect(preview.json()).toMatchObject({ missing: ['missing'], sms: { encoding: 'ucs2' } });
  });

  it('honours a household opt-out when queueing and when sending', async () => {
    const admin = await loginAs(app, storage(), 'admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/households',
      headers: admin.headers,
      payload: buildHouseholdInput({ phone: '0933123456' }),
    });
    expect(created.statusCode).toBe(201);
    const householdId = created.json().id as string;
    const queuedBefore = await queue([sms('+963933123456', { household_id: householdId })]);
    const optOut = await app.inject({
      method: 'PUT',
      url: '/api/v1/messaging/opt-outs',
      headers: admin.headers,
      payload: { household_id: householdId, channel: 'sms', opted_out: true },
    });
    expect(optOut.json()).toEqual({ household_id: householdId, opted_out: ['sms'] });
    const queuedAfter = await queue([sms('+963933123456', { household_id: householdId })]);
    expect(queuedAfter).toEqual({ ids: [], skipped: [{ index: 0, reason: 'opted-out' }] });
    // Queued before the opt-out: the sender checks again and never sends it.
    const gateway = await startGateway({ answer: () => 202 });
    const worker = startMessageWorker({
      storage: storage(),
      config: testMessagingConfig(gateway.url),
      poll_ms: 20,
    });
    const id = queuedBefore.ids[0] as string;
    await waitFor(async () => (await statusOf(id)) !== 'queued');
    await worker.stop();
    await gateway.close();
    expect(await statusOf(id)).toBe('failed');
    expect(gateway.requests.some((request) => request.id === id)).toBe(false);
  });

  it('posts webhooks with an HMAC-SHA256 signature of the body', async () => {
    const received: { body: string; signature: string | undefined }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: request.headers['x-awn-signature'] as string | undefined,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const admin = await loginAs(app, storage(), 'admin');
    const webhook = await app.inject({
      method: 'POST',
      url: '/api/v1/messaging/webhooks',
      headers: admin.headers,
      payload: {
        name: 'Partner',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`,
      },
    });
    expect(webhook.statusCode).toBe(201);
    const { id: webhookId, secret } = webhook.json() as { id: string; secret: string };
    const { ids } = await queue([
      {
        channel: 'webhook',
        to: webhookId,
        body: 'تعميم',
        language: 'ar',
        source_kind: 'hook',
        source_id: 'h1',
      },
    ]);
    const worker = startMessageWorker({ storage: storage(), config, poll_ms: 20 });
    const id = ids[0] as string;
    await waitFor(async () => (await statusOf(id)) !== 'queued');
    await worker.stop();
    await new Promise((resolve) => server.close(resolve));
    expect(await statusOf(id)).toBe('delivered');
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.signature).toBe(
      `sha256=${createHmac('sha256', secret)
        .update(delivery?.body ?? '')
        .digest('hex')}`,
    );
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({ id, body: 'تعميم' });
  });

  it('sends e-mail through a real local SMTP server, and refused recipients fail for good', async () => {
    const mails: { to: string; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
          const error = new Error('no such mailbox') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const mailConfig = testMessagingConfig(null, {
      email: { smtp_url: `smtp://127.0.0.1:${port}`, from: 'awn@example.org' },
    });
    const { ids } = await queue([
      {
        channel: 'email',
        to: 'member@example.org',
        subject: 'تعميم',
        body: 'نص التعميم',
        language: 'ar',
        source_kind: 'mail',
        source_id: 'm1',
      },
      {
        channel: 'email',
        to: 'nobody@example.org',
        subject: 'تعميم',
        body: 'نص',
        language: 'ar',
        source_kind: 'mail',
        source_id: 'm1',
      },
    ]);
    const worker = startMessageWorker({ storage: storage(), config: mailConfig, poll_ms: 20 });
    await waitFor(
      async () =>
        (await statusOf(ids[0] as string)) !== 'queued' &&
        (await statusOf(ids[1] as string)) !== 'queued',
    );
    await worker.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    expect(await statusOf(ids[0] as string)).toBe('sent');
    expect(await statusOf(ids[1] as string)).toBe('failed');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toBe('member@example.org');
    expect(mails[0]?.data).toContain(`<${ids[0]}@awn>`);
  });

  it("shows users their inbox and marks a message read (no one else's)", async () => {
    const member = await loginAs(app, storage(), 'team_leader');
    const { ids } = await queue([
      {
        channel: 'inbox',
        to: member.user.id,
        subject: 'اجتماع',
        body: 'اجتماع الفريق غداً',
        language: 'ar',
        source_kind: 'inbox-test',
        source_id: 'i1',
      },
    ]);
    const worker = startMessageWorker({ storage: storage(), config, poll_ms: 20 });
    await waitFor(async () => (await statusOf(ids[0] as string)) === 'delivered');
    await worker.stop();
    const inbox = await app.inject({
      method: 'GET',
      url: '/api/v1/inbox',
      headers: { cookie: member.cookie },
    });
    expect(inbox.json().items).toEqual([
      expect.objectContaining({ id: ids[0], body: 'اجتماع الفريق غداً', read_at: null }),
    ]);
    const others = await app.inject({
      method: 'POST',
      url: `/api/v1/inbox/${ids[0]}/read`,
      headers: coordinator.headers,
    });
    expect(others.statusCode).toBe(404);
    const read = await app.inject({
      method: 'POST',
      url: `/api/v1/inbox/${ids[0]}/read`,
      headers: member.headers,
    });
    expect(read.statusCode).toBe(200);
  });

  it('keeps each channel under its rate', async () => {
    const gateway = await startGateway({ answer: () => 202 });
    const { ids } = await queue(
      Array.from({ length: 100 }, (_, index) =>
        sms(`+96393350${String(index).padStart(4, '0')}`, { source_kind: 'rate', source_id: 'r' }),
      ),
    );
    const started = Date.now();
    const worker = startMessageWorker({
      storage: storage(),
      config: testMessagingConfig(gateway.url, {
        rate_per_s: { sms: 50, email: 50, webhook: 50, inbox: 50 },
      }),
      poll_ms: 10,
    });
    await waitFor(async () => ids.every((id) => gateway.accepted.has(id)));
    const elapsed_ms = Date.now() - started;
    await worker.stop();
    await gateway.close();
    // A full bucket of 50, then 50 a second: the 100th no sooner than a second in.
    expect(elapsed_ms).toBeGreaterThanOrEqual(900);
  });
});
