/**
 * The sender: a loop inside `awn serve` that claims due messages, hands each to its channel
 * (many in flight at once, each channel under its rate limit) and writes what came of them in
 * batches. Several processes may run it on one PostgreSQL database: a claim locks its rows
 * FOR UPDATE SKIP LOCKED and lasts a lease; a process that dies leaves claims that run out
 * and are taken again, with the same message id, which the gateway uses to drop a repeat. A
 * result is written only under the claim that sent it, so a late answer never overwrites a
 * newer attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import type { MessageChannel } from '../../db/database.js';
import { writeTransaction } from '../../db/transaction.js';
import { afterAttempt, type SendOutcome } from '../../domain/messaging/outbox.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { closeMailTransports, sendEmail, sendSms, sendWebhook } from './messaging.channels.js';
import type { MessagingConfig } from './messaging.config.js';
import {
  claimDue,
  findMessageStates,
  findOptedOut,
  findWebhooks,
  hasDue,
  markUnconfirmed,
  updateMessage,
  type MessageRecord,
} from './messaging.repository.js';

export interface MessageWorkerOptions {
  storage: Pick<Storage, 'db' | 'dialect'>;
  config: MessagingConfig;
  clock?: Clock;
  /** Errors of the loop (never a message's text or recipient). */
  log?: (error: unknown, what: string) => void;
  /** How long to wait when nothing is due (default 1 s). */
  poll_ms?: number;
  /** How long results may wait to be written together (default 20 ms). */
  flush_ms?: number;
  /** How often sent messages past the receipt window are made final (default 10 s). */
  sweep_ms?: number;
  random?: () => number;
  /** How long a claim lasts (default: the longest send timeout and a minute). */
  lease_ms?: number;
}

export interface MessageWorker {
  /** Sends nothing more, waits for the sends in flight and writes their results. */
  stop(): Promise<void>;
  /** Looks for due messages now (a message was just queued). */
  wake(): void;
}

interface Result {
  id: string;
  claimId: string;
  outcome: SendOutcome;
}

const channels: readonly MessageChannel[] = ['inbox', 'webhook', 'sms', 'email'];
const flushRows = 256;

/** A token bucket: `rate` a second, bursts of up to one second's worth. */
class RateLimit {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly rate: number) {
    this.tokens = rate;
  }

  available(): number {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return Math.floor(this.tokens);
  }

  take(count: number): void {
    this.tokens -= count;
  }

  /** Milliseconds until one token is there. */
  wait_ms(): number {
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
  }
}

/** Starts the sender; it runs until stop(). */
export function startMessageWorker(options: MessageWorkerOptions): MessageWorker {
  const { storage, config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const poll_ms = options.poll_ms ?? 1000;
  const flush_ms = options.flush_ms ?? 20;
  const sweep_ms = options.sweep_ms ?? 10_000;
  const lease_ms =
    options.lease_ms ?? Math.max(config.sms.timeout_ms, config.webhook_timeout_ms, 30_000) + 60_000;
  const limits = new Map(
    channels.map((channel) => [channel, new RateLimit(config.rate_per_s[channel])]),
  );
  const enabled = channels.filter(
    (channel) =>
      (channel !== 'sms' || config.sms.gateway_url !== null) &&
      (channel !== 'email' || config.email.smtp_url !== null),
  );

  let stopping = false;
  let wakeUp: (() => void) | null = null;
  const inFlight = new Set<Promise<void>>();
  let results: Result[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let lastSweep = 0;
  /** The loop waits for a send to end (every slot is taken), not for new messages. */
  let waitingForRoom = false;

  const wake = () => {
    const resolve = wakeUp;
    wakeUp = null;
    resolve?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = results;
    results = [];
    if (batch.length === 0) return flushing;
    flushing = flushing.then(() =>
      writeResults(batch).catch((error: unknown) => log(error, 'writing message results failed')),
    );
    return flushing;
  };
  const scheduleFlush = () => {
    if (results.length >= flushRows) void flush();
    else flushTimer ??= setTimeout(() => void flush(), flush_ms);
  };

  async function writeResults(batch: Result[]): Promise<void> {
    const now = clock();
    await writeTransaction(storage, async (trx) => {
      const states = new Map(
        (
          await findMessageStates(
            trx,
            batch.map((result) => result.id),
          )
        ).map((row) => [row.id, row]),
      );
      for (const result of batch) {
        const state = states.get(result.id);
        // Claimed again by someone else after our lease ran out: their attempt counts.
        if (!state || state.claim_id !== result.claimId) continue;
        const patch = afterAttempt(state, result.outcome, config.retry, now.getTime(), random());
        const at = now.toISOString();
        await updateMessage(
          trx,
          result.id,
          {
            status: patch.status,
            attempts: patch.attempts,
            last_error: patch.last_error,
            claim_id: null,
            claimed_until: null,
            updated_at: at,
            ...(patch.retry_at_ms !== null
              ? { next_attempt_at: new Date(patch.retry_at_ms).toISOString() }
              : {}),
            ...(patch.sent && state.sent_at === null ? { sent_at: at } : {}),
            ...(patch.delivered ? { delivered_at: at } : {}),
            ...(patch.failed ? { failed_at: at } : {}),
          },
          result.claimId,
        );
      }
    });
  }

  async function claim(
    channel: MessageChannel,
    limit: number,
  ): Promise<{ rows: MessageRecord[]; claimId: string }> {
    const now = clock();
    const claimId = randomUUID();
    if (!(await hasDue(storage.db, channel, now.toISOString()))) return { rows: [], claimId };
    const rows = await writeTransaction(storage, (trx) =>
      claimDue(
        trx,
        channel,
        limit,
        now.toISOString(),
        claimId,
        new Date(now.getTime() + lease_ms).toISOString(),
      ),
    );
    return { rows, claimId };
  }

  async function dispatch(channel: MessageChannel, rows: MessageRecord[], claimId: string) {
    const optedOut = await findOptedOut(
      storage.db,
      rows.flatMap((row) => (row.household_id ? [row.household_id] : [])),
      channel,
    );
    const webhooks =
      channel === 'webhook'
        ? new Map(
            (
              await findWebhooks(
                storage.db,
                rows.map((row) => row.recipient),
              )
            ).map((w) => [w.id, w]),
          )
        : new Map();
    for (const row of rows) {
      const send = async (): Promise<SendOutcome> => {
        if (row.household_id && optedOut.has(row.household_id))
          return { kind: 'permanent', error: 'opted-out' };
        switch (channel) {
          case 'sms':
            return sendSms(row, config);
          case 'email':
            return sendEmail(row, config);
          case 'webhook':
            return sendWebhook(row, webhooks.get(row.recipient), config);
          case 'inbox':
            return { kind: 'delivered' };
        }
      };
      const running: Promise<void> = send()
        .catch((error: unknown): SendOutcome => ({
          kind: 'temporary',
          error: error instanceof Error ? error.name : 'error',
        }))
        .then((outcome) => {
          results.push({ id: row.id, claimId, outcome });
          scheduleFlush();
        })
        .finally(() => {
          inFlight.delete(running);
          if (waitingForRoom) wake();
        });
      inFlight.add(running);
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        if (Date.now() - lastSweep >= sweep_ms) {
          lastSweep = Date.now();
          const now = clock();
          await markUnconfirmed(
            storage.db,
            new Date(now.getTime() - config.receipt_wait_ms).toISOString(),
            now.toISOString(),
          );
        }
        let claimed = 0;
        let limitedWait = 0;
        for (const channel of enabled) {
          const room = config.concurrency - inFlight.size;
          if (room <= 0 || stopping) break;
          const limit = limits.get(channel);
          const allowance = Math.min(room, limit?.available() ?? room);
          if (allowance <= 0) {
            limitedWait = Math.max(limitedWait, limit?.wait_ms() ?? 0);
            continue;
          }
          const { rows, claimId } = await claim(channel, allowance);
          if (rows.length === 0) continue;
          limit?.take(rows.length);
          claimed += rows.length;
          await dispatch(channel, rows, claimId);
        }
        if (stopping) break;
        if (claimed === 0) {
          await sleep(limitedWait > 0 ? Math.min(limitedWait, poll_ms) : poll_ms);
        } else if (inFlight.size >= config.concurrency) {
          waitingForRoom = true;
          await sleep(poll_ms);
          waitingForRoom = false;
        }
      } catch (error) {
        log(error, 'message worker step failed');
        await sleep(poll_ms);
      }
    }
  }

  const running = loop();
  return {
    wake,
    async stop() {
      stopping = true;
      wake();
      await running;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await flush();
      closeMailTransports();
    },
  };
}
