/**
 * Circulars and the outbox on SQLite (file, WAL, synchronous=FULL):
 * - publishing a circular whose public version goes to 100,000 households (every household of
 *   Lattakia with a phone) queues every message, each audited, in one transaction; target 5 s;
 * - the sender sends at the gateway's pace: against a fast local gateway (the stand-in of
 *   scripts/sms-gateway-stand-in.mjs, in a process of its own), at least 500 messages/s.
 * AWN_BENCH_MESSAGING_HOUSEHOLDS changes the registry's size (three quarters have a phone).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../src/domain/actor.js';
import { loadShippedAreas } from '../src/modules/areas/areas.service.js';
import { createCircular, publishCircular } from '../src/modules/circulars/circulars.service.js';
import { messagingConfigFromEnv } from '../src/modules/messaging/messaging.config.js';
import { startMessageWorker } from '../src/modules/messaging/messaging.worker.js';
import { systemClock } from '../src/shared/clock.js';
import { formatCount, markdownTable, openBenchStorage, type Benchmark } from './harness.js';
import { loadHouseholds } from './households.generate.js';

const households = Number(process.env.AWN_BENCH_MESSAGING_HOUSEHOLDS ?? 134_000);
const publishTarget_ms = 5000;
const sendTarget_per_s = 500;
const sendSample = Number(process.env.AWN_BENCH_MESSAGING_SENDS ?? 20_000);

async function startStandIn(): Promise<{ url: string; stop(): void }> {
  const child = fork(
    fileURLToPath(new URL('../scripts/sms-gateway-stand-in.mjs', import.meta.url)),
    [],
    {
      env: { ...process.env, PORT: '0', AWN_URL: '', AWN_SMS_GATEWAY_TOKEN: 'bench' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}/send`, stop: () => child.kill() };
}

export const messagingBenchmark: Benchmark = {
  name: 'messaging',
  async run() {
    const storage = await openBenchStorage('sqlite');
    const gateway = await startStandIn();
    try {
      await loadShippedAreas(storage, systemClock);
      const subdistricts = (
        await storage.db
          .selectFrom('areas')
          .select('pcode')
          .where('level', '=', 'subdistrict')
          .where('pcode', 'like', 'SY06%')
          .orderBy('pcode')
          .execute()
      ).map((area) => area.pcode);
      const load = await loadHouseholds(storage, {
        count: households,
        subdistricts,
        clock: systemClock,
        withTokens: false,
        deferIndexes: true,
      });
      const branch = randomUUID();
      await storage.db
        .insertInto('org_units')
        .values({
          id: branch,
          parent_id: null,
          kind: 'branch',
          name_ar: 'فرع اللاذقية',
          name_en: 'Lattakia branch',
          path: `/${branch}/`,
          created_at: systemClock().toISOString(),
        })
        .execute();
      const circular = await createCircular(
        storage,
        systemActor,
        {
          title: 'مواعيد توزيع الخبز',
          body: 'تعميم داخلي',
          from_org_unit_id: branch,
          ack_required: false,
          public: {
            body: 'مواعيد توزيع الخبز الجديدة من الثامنة حتى الثانية عشرة.',
            area_pcodes: ['SY06'],
          },
        },
        systemClock,
      );
      const publishStarted = performance.now();
      const published = await publishCircular(
        storage,
        systemActor,
        circular.id,
        { public_url: 'http://localhost' },
        systemClock,
      );
      const publish_ms = performance.now() - publishStarted;

      const config = messagingConfigFromEnv({});
      const sendConfig = {
        ...config,
        sms: { gateway_url: gateway.url, gateway_token: 'bench', timeout_ms: 10_000 },
        rate_per_s: { ...config.rate_per_s, sms: 100_000 },
        concurrency: 128,
      };
      const sendStarted = performance.now();
      const worker = startMessageWorker({ storage, config: sendConfig, poll_ms: 50 });
      const sent = async () =>
        Number(
          (
            await storage.db
              .selectFrom('messages')
              .select((eb) => eb.fn.countAll<number>().as('count'))
              .where('status', '=', 'sent')
              .executeTakeFirstOrThrow()
          ).count,
        );
      let count = 0;
      while ((count = await sent()) < Math.min(sendSample, published.public_queued)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (performance.now() - sendStarted > 300_000) break;
      }
      const send_s = (performance.now() - sendStarted) / 1000;
      await worker.stop();
      const rate = count / send_s;
      const rows = [
        [
          'publish: public version queued',
          `${formatCount(published.public_queued)} messages (${formatCount(load.households)} households)`,
          `${(publish_ms / 1000).toFixed(2)} s`,
          `${(publish_ms / 1000).toFixed(2)} s <= 5 s: ${publish_ms <= publishTarget_ms ? 'met' : 'NOT met'}`,
        ],
        [
          'sender against the local stand-in',
          `${formatCount(count)} sent`,
          `${send_s.toFixed(2)} s`,
          `${Math.round(rate)} msg/s >= ${sendTarget_per_s}: ${rate >= sendTarget_per_s ? 'met' : 'NOT met'}`,
        ],
      ];
      return [
        '## Messaging: publishing to households and sending (SQLite)',
        '',
        `A circular whose public version goes to every Lattakia household with a phone (${formatCount(load.households)} generated households, three quarters with a phone): \`publishCircular\` queues one SMS per household in one transaction, each with its audit event (no text), after checking opt-outs. Then the outbox's sender (\`startMessageWorker\`, 128 sends in flight, no rate limit) against the SMS gateway stand-in (scripts/sms-gateway-stand-in.mjs in a child process, answering 202 at once) until ${formatCount(sendSample)} messages are \`sent\`.`,
        '',
        markdownTable(['step', 'work', 'time', 'target'], rows),
      ].join('\n');
    } finally {
      gateway.stop();
      await storage.close();
    }
  },
};
