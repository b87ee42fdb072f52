/**
 * The sender against a real HTTP gateway on a local port that fails a fifth of sends with 500,
 * lets some time out and answers 400 for invalid numbers: every message reaches a final state,
 * none goes out under two ids, and workers stopped, crashed and restarted mid-way lose none.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { systemActor } from '../../domain/actor.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemClock } from '../../shared/clock.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { buildTestApp } from '../../../test/helpers/app.js';
import type { AwnApp } from '../../server/app.js';
import { queueMessages, type MessageInput } from './messaging.service.js';
import { startMessageWorker } from './messaging.worker.js';
import { claimDue } from './messaging.repository.js';
import {
  seededRandom,
  startGateway,
  testMessagingConfig,
  type Gateway,
} from './messaging.fixtures.js';

const total = 300;
const invalidEvery = 30;

async function waitFor(check: () => Promise<boolean>, timeout_ms: number): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeEachDialect('message worker against a flaky gateway', (storage) => {
  let gateway: Gateway;
  let app: AwnApp;
  const random = seededRandom(13);
  const receipts: string[] = [];

  beforeAll(async () => {
    const config = testMessagingConfig(null);
    app = await buildTestApp(storage(), { messaging: config });
    gateway = await startGateway({
      answer: (request) => {
        if (request.to.endsWith('000')) return 400;
        const roll = random();
        if (roll < 0.2) return 500;
        if (roll < 0.27) return 'hang';
        return 202;
      },
      hang_ms: 800,
      // Half the accepted get a receipt, sent before the gateway answers (an early receipt).
      onAccepted: async (request) => {
        if (random() < 0.5) return;
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/messaging/receipts',
          headers: { authorization: 'Bearer gateway-secret' },
          payload: { id: request.id, status: 'delivered' },
        });
        if (response.statusCode === 200) receipts.push(request.id);
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await app.close();
  });

  it('brings every message to a final state through stops, a crash and restarts', async () => {
    const inputs: MessageInput[] = Array.from({ length: total }, (_, index) => ({
      channel: 'sms',
      to:
        index % invalidEvery === 0
          ? `+96399${String(index).padStart(4, '0')}000`
          : `+96393${String(index).padStart(7, '0')}`,
      body: `رسالة اختبار رقم ${index}`,
      language: 'ar',
      source_kind: 'test',
      source_id: 'flaky',
    }));
    const queued = await writeTransaction(storage(), (trx) =>
      queueMessages(trx, systemActor, inputs, systemClock),
    );
    expect(queued.ids).toHaveLength(total);
    const config = testMessagingConfig(gateway.url);

    // A process that claims a batch and dies before sending any: its claim runs out.
    const now = Date.now();
    const crashed = await writeTransaction(storage(), (trx) =>
      claimDue(
        trx,
        'sms',
        20,
        new Date(now).toISOString(),
        randomUUID(),
        new Date(now + 500).toISOString(),
      ),
    );
    expect(crashed).toHaveLength(20);

    // Two workers share the work (on PostgreSQL: SKIP LOCKED); the first stops mid-way.
    const options = { storage: storage(), config, poll_ms: 20, sweep_ms: 50, lease_ms: 2000 };
    const first = startMessageWorker(options);
    const second = startMessageWorker(options);
    await waitFor(async () => gateway.requests.length >= 100, 20_000);
    await first.stop();
    const third = startMessageWorker(options);

    const isFinal = async () => {
      const rows = await storage()
        .db.selectFrom('messages')
        .select(['status', 'unconfirmed'])
        .where('source_id', '=', 'flaky')
        .execute();
      return rows.every(
        (row) =>
          row.status === 'delivered' ||
          row.status === 'failed' ||
          (row.status === 'sent' && row.unconfirmed === 1),
      );
    };
    await waitFor(isFinal, 60_000);
    await Promise.all([second.stop(), third.stop()]);

    const rows = await storage()
      .db.selectFrom('messages')
      .selectAll()
      .where('source_id', '=', 'flaky')
      .execute();
    expect(rows).toHaveLength(total);
    const gatewayRequestsFor = (id: string) =>
      gateway.requests.filter((request) => request.id === id).length;
    // Invalid numbers: failed on the 400, permanently (never retried after it).
    const invalid = rows.filter((row) => row.recipient.endsWith('000'));
    expect(invalid).toHaveLength(total / invalidEvery);
    for (const row of invalid) {
      expect(row.status).toBe('failed');
      expect(row.last_error).toBe('http 400');
      // One attempt, unless the 400 came too late on this busy event loop and timed out first.
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.attempts).toBeLessThanOrEqual(gatewayRequestsFor(row.id));
    }
    // Every valid number was accepted by the gateway: the retries got through the 500s and timeouts.
    const valid = rows.filter((row) => !row.recipient.endsWith('000'));
    for (const row of valid) expect(gateway.accepted.has(row.id)).toBe(true);
    // Those with a receipt are delivered, the rest final as sent and unconfirmed.
    const withReceipt = new Set(receipts);
    for (const row of valid) {
      if (withReceipt.has(row.id)) expect(row.status).toBe('delivered');
      else expect([row.status, row.unconfirmed]).toEqual(['sent', 1]);
    }
    // One id per message: the gateway never saw a recipient's text under a second id.
    const idsByRecipient = new Map<string, Set<string>>();
    for (const request of gateway.requests) {
      const ids = idsByRecipient.get(request.to) ?? new Set();
      ids.add(request.id);
      idsByRecipient.set(request.to, ids);
      expect(request.authorization).toBe('Bearer gateway-secret');
    }
    for (const ids of idsByRecipient.values()) expect(ids.size).toBe(1);
    expect(idsByRecipient.size).toBe(total);
    // Some sends failed and were retried; the claims of the crashed process were taken again.
    expect(gateway.requests.length).toBeGreaterThan(total);
    expect(rows.some((row) => row.attempts > 1 && row.status !== 'failed')).toBe(true);
    for (const row of crashed) {
      expect(rows.find((message) => message.id === row.id)?.status).not.toBe('queued');
    }
    expect(rows.every((row) => row.claim_id === null)).toBe(true);
  }, 90_000);
});
