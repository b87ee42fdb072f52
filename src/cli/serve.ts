/** `awn serve`: open the database, seed the demo when asked, listen, and shut down gracefully. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect } from '../db/connect.js';
import { loadShippedAreasIfEmpty } from '../modules/areas/areas.service.js';
import { purgeExpiredSignIns } from '../modules/auth/auth.service.js';
import { configurePasswordHashing } from '../modules/auth/password.js';
import { loadCardKeys } from '../modules/cards/cards.service.js';
import { undoAbandonedImports } from '../modules/household-files/household-files.service.js';
import { seedDemoCrew } from '../modules/demo/demo.crew.js';
import { seedDemoStores } from '../modules/demo/demo.stores.js';
import { seedDemo } from '../modules/demo/demo.seed.js';
import { seedDemoRegistry } from '../modules/demo/demo.registry.js';
import { demoLogins, seedDemoUsers } from '../modules/demo/demo.users.js';
import { writeTransaction } from '../db/transaction.js';
import { expirePendingTransfers } from '../modules/ledger/ledger.service.js';
import { remindActionItems } from '../modules/meetings/meetings.actions.js';
import { remindDueCirculars } from '../modules/circulars/circulars.reach.js';
import { messagingConfigFromEnv } from '../modules/messaging/messaging.config.js';
import { seedDemoVoice } from '../modules/demo/demo.voice.js';
import { startMessageWorker } from '../modules/messaging/messaging.worker.js';
import { buildApp } from '../server/app.js';
import { ensureWebBuilt } from '../server/web.js';
import { systemClock } from '../shared/clock.js';

/**
 * Connections waiting to be accepted. Node's default of 511 overflowed under a burst of a few
 * hundred reconnecting clients (a sign-in flood): the kernel then drops new connections' SYNs,
 * and an outlet's request waits out 1, 3, 7 s retransmissions. Linux caps it at somaxconn.
 */
export const listenBacklog = 4096;

export interface ServeOptions {
  database: string;
  port: number;
  host: string;
  demo: boolean;
  /** Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDR ranges). */
  trustProxy: string[];
  /** Always mark the session cookie Secure. */
  secureCookies: boolean;
  /** Addresses or CIDR ranges that may read /metrics without signing in. */
  metricsAddresses: string[];
  /** Password hashing threads and how many checks may wait for them. */
  hashingThreads: number;
  hashingQueue: number;
}

/** Forks scripts/sms-gateway-stand-in.mjs on a free port, posting receipts to Awn's port. */
async function startGatewayStandIn(
  awnPort: number,
): Promise<{ child: ChildProcess; url: string; token: string }> {
  const token = randomBytes(24).toString('base64url');
  const child = fork(
    fileURLToPath(new URL('../../scripts/sms-gateway-stand-in.mjs', import.meta.url)),
    [],
    {
      env: {
        ...process.env,
        PORT: '0',
        AWN_URL: `http://127.0.0.1:${awnPort}`,
        AWN_SMS_GATEWAY_TOKEN: token,
        FAIL_RATE: '0.1',
        RECEIPT_RATE: '0.7',
        RECEIPT_DELAY_MS: '3000',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  // It never outlives the server, whichever way the server ends.
  process.once('exit', () => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
  });
  child.channel?.unref();
  child.unref();
  return { child, url: `http://127.0.0.1:${port}/send`, token };
}

/** Serves until SIGINT or SIGTERM; returns the exit code. */
export async function serve(options: ServeOptions): Promise<number> {
  const storage = await connect(options.database, { backgroundCheckpoints: true });
  await loadShippedAreasIfEmpty(storage);
  // A card signing key that cannot be read should stop the start, not the first card.
  await loadCardKeys(storage.db);
  const userCount = await storage.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  let messaging = messagingConfigFromEnv();
  // The demo sends its SMS to a stand-in gateway of its own unless a real one is configured.
  let standIn: ChildProcess | null = null;
  if (options.demo && messaging.sms.gateway_url === null) {
    const started = await startGatewayStandIn(options.port);
    standIn = started.child;
    messaging = {
      ...messaging,
      sms: { ...messaging.sms, gateway_url: started.url, gateway_token: started.token },
    };
    console.log(
      `Demo SMS go to a local gateway stand-in (${started.url}); it answers receipts too.`,
    );
  }
  if (options.demo) {
    const seeded = await seedDemo(storage, systemClock);
    if (seeded) {
      console.log('Seeding the Lattakia demo (a minute or so the first time)...');
      const households = await seedDemoRegistry(storage, seeded, systemClock);
      console.log(`  ${households} households, an open monthly cycle, stocked service points.`);
    }
    const logins = seeded
      ? await seedDemoUsers(storage, seeded.branchId, systemClock)
      : demoLogins();
    if (seeded) {
      const userIds = await storage.db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username', 'in', ['volunteer', 'team-leader'])
        .execute();
      const idOf = (username: string) => userIds.find((row) => row.username === username)?.id;
      const crew = await seedDemoCrew(
        storage,
        seeded,
        { volunteer: idOf('volunteer'), teamLeader: idOf('team-leader') },
        systemClock,
      );
      console.log(
        `  ${crew.volunteers} volunteers in ${crew.teams} teams; runs: ${crew.runs.planned} planned, ` +
          `${crew.runs.dispatched} dispatched, ${crew.runs.in_progress} in progress, ` +
          `${crew.runs.closed} closed; ${crew.exceptions} exceptions in the queue.`,
      );
      const staff = await storage.db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username', 'in', ['inspector', 'storekeeper', 'coordinator'])
        .execute();
      const staffId = (username: string) => staff.find((row) => row.username === username)?.id;
      const team = await storage.db
        .selectFrom('teams')
        .select(['id', 'leader_id'])
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      const members = team
        ? await storage.db
            .selectFrom('team_members')
            .select('volunteer_id')
            .where('team_id', '=', team.id)
            .orderBy('volunteer_id')
            .execute()
        : [];
      const stores = await seedDemoStores(
        storage,
        seeded,
        {
          inspector: staffId('inspector'),
          storekeeper: staffId('storekeeper'),
          coordinator: staffId('coordinator'),
        },
        team
          ? {
              id: team.id,
              volunteerIds: [
                ...new Set([team.leader_id, ...members.map((row) => row.volunteer_id)]),
              ],
            }
          : null,
        systemClock,
      );
      console.log(
        `  A warehouse with ${stores.donations} donations; lots ${stores.lots.quarantined} quarantined, ` +
          `${stores.lots.released} released, ${stores.lots.rejected} rejected, ${stores.lots.expired} expired; ` +
          `${stores.allocations} allocations.`,
      );
      const voice = await seedDemoVoice(storage, seeded, messaging, systemClock);
      console.log(
        `  A circular to ${voice.members} members (${voice.acknowledged} acknowledged), its public version to ` +
          `${voice.publicQueued} households, a notice to ${voice.noticeQueued}; a seminar with ` +
          `${voice.seminarWaitlisted} on its waiting list and a meeting with open action items.`,
      );
    }
    console.log('Demo mode. Sign in as any of these (username / password):');
    for (const login of logins)
      console.log(`  ${login.role.padEnd(13)} ${login.username} / ${login.password}`);
    const field = logins.find((login) => login.role === 'volunteer');
    if (field) {
      console.log(
        `Field app (/field/, a volunteer of the team whose run is under way): ${field.username} / ${field.password}`,
      );
    }
  } else if (Number(userCount.count) === 0) {
    await storage.close();
    console.error(
      'This database has no users yet. Create the first admin, then serve again:\n' +
        `  npx awn user create --username admin --role admin --database ${storage.description}\n` +
        'or start the demo with: npm start',
    );
    return 1;
  }
  await ensureWebBuilt({ log: (line) => console.log(line) });
  configurePasswordHashing({
    threads: options.hashingThreads,
    queue: options.hashingQueue,
    lowPriority: true,
  });
  const app = await buildApp({
    storage,
    messaging,
    demo: options.demo,
    logger: { level: process.env.AWN_LOG_LEVEL ?? 'info' },
    secureCookies: options.secureCookies,
    trustedProxies: options.trustProxy,
    metricsAddresses: options.metricsAddresses,
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    clearInterval(expiry);
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await sender.stop();
    standIn?.kill();
    await storage.close();
  };
  // The outbox's sender: several processes on one PostgreSQL share the work (messaging.worker.ts).
  const sender = startMessageWorker({
    storage,
    config: messaging,
    log: (error, what) => app.log.error({ err: error }, what),
  });
  // Imports whose process died while writing are undone (so none stays half-written).
  const undoAbandoned = () =>
    undoAbandonedImports(storage, systemClock).catch((error: unknown) =>
      app.log.error({ err: error }, 'undoing abandoned imports failed'),
    );
  void undoAbandoned();
  // Every minute: reservations past their timeout are released even when no new transfer
  // arrives, expired sessions and old failed sign-ins are deleted, abandoned imports undone, and
  // owners of action items due or late and members late on circulars reminded.
  const expiry = setInterval(() => {
    void undoAbandoned();
    writeTransaction(storage, (trx) => expirePendingTransfers(trx, systemClock)).catch(
      (error: unknown) => app.log.error({ err: error }, 'expiring pending transfers failed'),
    );
    purgeExpiredSignIns(storage, systemClock).catch((error: unknown) =>
      app.log.error({ err: error }, 'purging expired sign-ins failed'),
    );
    remindActionItems(storage, systemClock).catch((error: unknown) =>
      app.log.error({ err: error }, 'reminding action items failed'),
    );
    remindDueCirculars(storage, messaging, systemClock).catch((error: unknown) =>
      app.log.error({ err: error }, 'reminding circulars failed'),
    );
  }, 60_000);
  expiry.unref();
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: options.port, host: options.host, backlog: listenBacklog });
  const shown = ['0.0.0.0', '127.0.0.1'].includes(options.host) ? 'localhost' : options.host;
  console.log(
    `Awn is serving ${storage.description} on http://${shown}:${options.port} (API docs: /api/docs)`,
  );
  return 0;
}
