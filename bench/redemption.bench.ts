/**
 * Online redemption over HTTP: `POST /api/v1/redemptions` on the real app (`buildApp`, listening
 * on 127.0.0.1) with a real session cookie and Origin, schema validation, card lookup, scope,
 * linked transfers (entitlement debit + stock move) and the audit event, on SQLite (file, WAL,
 * synchronous=FULL). Targets: at least half the throughput of the floor, and p99 under 10 ms
 * at 1,000 requests/s.
 *
 * The floor, measured in the same run with the same client and concurrency: a bare Fastify
 * route (no plugins, no schema) running one better-sqlite3 transaction per request (one INSERT
 * and one UPDATE) on its own SQLite file with the same WAL + synchronous=FULL settings.
 *
 * The load generator is this file run again as a child process (AWN_BENCH_LOAD_CLIENT=1), so
 * client and servers do not share one event loop; it keeps HTTP/1.1 connections open and speaks
 * just enough of the protocol for this load (`Connections`).
 * Closed loop: a fixed number of requests in flight, rounds alternating floor and Awn so both
 * see the same machine. Open loop: requests scheduled every 1 ms whatever the answers (a
 * metronome thread keeps the schedule to a fraction of a millisecond), latency counted from the
 * scheduled send time (so queueing is not hidden).
 *
 * AWN_BENCH_REDEMPTION_SECONDS (per round, default 5) and AWN_BENCH_REDEMPTION_RATE_SECONDS
 * (open loop, default 10) shorten the run while profiling.
 */
import { listenBacklog } from '../src/cli/serve.js';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Storage } from '../src/db/connect.js';
import { systemActor } from '../src/domain/actor.js';
import { loadShippedAreas } from '../src/modules/areas/areas.service.js';
import { createCommodity } from '../src/modules/commodities/commodities.service.js';
import { createCycle, openCycle } from '../src/modules/cycles/cycles.service.js';
import { verifyLedger } from '../src/modules/ledger/ledger.service.js';
import { createProgramme } from '../src/modules/programmes/programmes.service.js';
import { createServicePoint } from '../src/modules/service-points/service-points.service.js';
import { receiveStock } from '../src/modules/stock/stock.service.js';
import { createUser } from '../src/modules/users/users.service.js';
import { buildApp, type AppOptions, type AwnApp } from '../src/server/app.js';
import { systemClock } from '../src/shared/clock.js';
import {
  formatCount,
  markdownTable,
  openBenchStorage,
  quantile,
  type Benchmark,
} from './harness.js';
import { loadHouseholds } from './households.generate.js';

const households = Number(process.env.AWN_BENCH_REDEMPTION_HOUSEHOLDS ?? 20_000);
const roundSeconds = Number(process.env.AWN_BENCH_REDEMPTION_SECONDS ?? 5);
const rounds = 3;
const concurrency = 16;
const ratePerSecond = 1000;
const rateSeconds = Number(process.env.AWN_BENCH_REDEMPTION_RATE_SECONDS ?? 10);
const targetShare = 0.5;
/** Open loop: how long after the last scheduled send unanswered requests are still awaited. */
const openLoopGraceSeconds = 30;
const noAnswer = `no answer within ${openLoopGraceSeconds} s`;
const targetP99Milliseconds = 10;

// ---- The load generator (child process) -------------------------------------------------------

/** What the child is asked to do: a closed loop at a concurrency, or an open loop at a rate. */
export type LoadPlan =
  | { mode: 'closed'; concurrency: number; seconds: number }
  | { mode: 'open'; ratePerSecond: number; seconds: number };

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  cards: string[];
  servicePointId: string;
}

export interface LoadResult {
  /** Answers with the expected status (201). */
  ok: number;
  /** Other answers (status -> count), and transport errors as status 0. */
  failures: Record<string, number>;
  seconds: number;
  /** Milliseconds per answered request (from the scheduled send time in an open loop). */
  latencies: number[];
  /** Open loop: requests that left more than 1 ms after their scheduled time. */
  lateStarts: number;
  /** What the server's process saw while the load ran (set by the parent). */
  server?: {
    cpuMilliseconds: number;
    eventLoopUtilization: number;
    /** Milliseconds from each request's arrival to its answer's last byte, at the server. */
    latencies: number[];
  };
}

/**
 * Keep-alive HTTP/1.1 connections that speak just what this load needs: one request at a time per
 * connection, answers framed by content-length. node:http's agent and message objects cost the
 * client several times more CPU per request; the client shares the machine's cores with the
 * servers, so its own cost shows up as late sends and slow reads in every latency it measures.
 */
class Connections {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  /** Sends waiting for a connection while `limit` are busy. */
  private readonly queued: ((connection: Connection) => void)[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly limit: number,
  ) {}

  /** Sends `request` on an idle connection (or a new one) and answers the status, 0 on error. */
  async send(request: string): Promise<number> {
    const connection =
      this.takeIdle() ??
      (this.all.size < this.limit
        ? this.open()
        : await new Promise<Connection>((resolve) => this.queued.push(resolve)));
    const status = await connection.send(request);
    if (!connection.reusable) this.all.delete(connection);
    const next = this.queued.shift();
    if (next) next(connection.reusable ? connection : this.open());
    else if (connection.reusable) this.idle.push(connection);
    return status;
  }

  close(): void {
    for (const connection of this.all) connection.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  /** An idle connection still open (the server may have closed some meanwhile). */
  private takeIdle(): Connection | undefined {
    let connection = this.idle.pop();
    while (connection && !connection.reusable) {
      this.all.delete(connection);
      connection = this.idle.pop();
    }
    return connection;
  }

  private open(): Connection {
    const connection = new Connection(this.host, this.port);
    this.all.add(connection);
    return connection;
  }
}

class Connection {
  private readonly socket: Socket;
  private received: Buffer = Buffer.alloc(0);
  private answer: ((status: number) => void) | undefined;
  reusable = true;

  constructor(host: string, port: number) {
    this.socket = netConnect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', () => this.destroy());
    this.socket.on('close', () => this.destroy());
  }

  send(request: string): Promise<number> {
    return new Promise((resolve) => {
      this.answer = resolve;
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.reusable = false;
    this.socket.destroy();
    this.settle(0);
  }

  private receive(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const headEnd = this.received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.received.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.destroy(); // not framed by content-length: not an answer this client reads
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (this.received.length < end) return;
    this.received = this.received.subarray(end);
    if (/\r\nconnection: *close/i.test(head)) this.reusable = false;
    this.settle(Number(head.slice(9, 12)));
  }

  private settle(status: number): void {
    const answer = this.answer;
    this.answer = undefined;
    answer?.(status);
  }
}

function runLoad(target: LoadTarget, plan: LoadPlan): Promise<LoadResult> {
  const url = new URL(target.url);
  const connections = new Connections(
    url.hostname,
    Number(url.port),
    plan.mode === 'closed' ? plan.concurrency : 256,
  );
  const head =
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\n` +
    Object.entries(target.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    'content-type: application/json\r\n';
  const result: LoadResult = { ok: 0, failures: {}, seconds: 0, latencies: [], lateStarts: 0 };
  const fail = (status: number) => {
    result.failures[status] = (result.failures[status] ?? 0) + 1;
  };
  const send = (): Promise<number> => {
    const card = target.cards[Math.floor(Math.random() * target.cards.length)] ?? '';
    const body = JSON.stringify({
      id: randomUUID(),
      card,
      service_point_id: target.servicePointId,
      items: [{ commodity: 'bread', quantity: 1 }],
    });
    return connections.send(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };

  const started = performance.now();
  if (plan.mode === 'closed') {
    const end = started + plan.seconds * 1000;
    const worker = async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await send();
        if (status === 201) {
          result.ok += 1;
          result.latencies.push(performance.now() - sent);
        } else fail(status);
      }
    };
    return Promise.all(Array.from({ length: plan.concurrency }, worker)).then(() => {
      result.seconds = (performance.now() - started) / 1000;
      connections.close();
      return result;
    });
  }

  const total = plan.ratePerSecond * plan.seconds;
  const interval = 1000 / plan.ratePerSecond;
  // The schedule starts once the metronome's thread is surely up.
  const first = started + metronomeLeadMilliseconds;
  return new Promise((resolve) => {
    let scheduled = 0;
    let answered = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(giveUp);
      // Requests still unanswered when the run gives up count as failures.
      const unanswered = total - answered;
      if (unanswered > 0) result.failures[noAnswer] = unanswered;
      result.seconds = (performance.now() - first) / 1000;
      connections.close();
      void metronome.terminate();
      resolve(result);
    };
    // A server far below the rate would take minutes to drain its queue: stop waiting then.
    const giveUp = setTimeout(
      finish,
      metronomeLeadMilliseconds + (plan.seconds + openLoopGraceSeconds) * 1000,
    );
    const metronome = new Worker(metronomeSource, {
      eval: true,
      workerData: { first: performance.timeOrigin + first, interval, total },
    });
    metronome.on('message', () => {
      const now = performance.now();
      while (scheduled < total && first + scheduled * interval <= now) {
        const due = first + scheduled * interval;
        if (now - due > 1) result.lateStarts += 1;
        scheduled += 1;
        void send().then((status) => {
          if (finished) return;
          if (status === 201) {
            result.ok += 1;
            result.latencies.push(performance.now() - due);
          } else fail(status);
          answered += 1;
          if (answered === total) finish();
        });
      }
    });
  });
}

const metronomeLeadMilliseconds = 500;

/**
 * Posts a message at each scheduled send time, waiting with Atomics.wait on a thread of its
 * own: Node's timers have a resolution of a millisecond, which alone made sends up to 2 ms late.
 */
const metronomeSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { first, interval, total } = workerData;
const cell = new Int32Array(new SharedArrayBuffer(4));
for (let index = 0; index < total; index += 1) {
  const wait = first + index * interval - (performance.timeOrigin + performance.now());
  if (wait > 0) Atomics.wait(cell, 0, 0, wait);
  parentPort.postMessage(index);
}
`;

if (process.env.AWN_BENCH_LOAD_CLIENT === '1') {
  process.on('message', (message: { target: LoadTarget; plan: LoadPlan } | 'exit') => {
    if (message === 'exit') {
      process.exit(0);
    }
    void runLoad(message.target, message.plan).then((result) => process.send?.(result));
  });
}

/** The load generator as a child process; each `run` sends one plan and awaits its result. */
export class LoadClient {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, AWN_BENCH_LOAD_CLIENT: '1' },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  /** Runs the plan against `server`; the result carries what this process saw meanwhile. */
  run(server: Server, target: LoadTarget, plan: LoadPlan): Promise<LoadResult> {
    const cpu = process.cpuUsage();
    const loop = performance.eventLoopUtilization();
    const latencies: number[] = [];
    const onRequest = (_request: unknown, response: ServerResponse) => {
      const arrived = performance.now();
      response.once('finish', () => latencies.push(performance.now() - arrived));
    };
    server.on('request', onRequest);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load client exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (result: LoadResult) => {
        this.child.off('exit', onExit);
        server.off('request', onRequest);
        const used = process.cpuUsage(cpu);
        result.server = {
          cpuMilliseconds: (used.user + used.system) / 1000,
          eventLoopUtilization: performance.eventLoopUtilization(loop).utilization,
          latencies,
        };
        resolve(result);
      });
      this.child.send({ target, plan });
    });
  }

  close(): void {
    this.child.send('exit');
  }
}

// ---- The servers --------------------------------------------------------------------------------

export interface Setup {
  storage: Storage;
  app: AwnApp;
  target: LoadTarget;
}

/** The app over a database of households with an open bread cycle, and a clerk's session. */
export async function setUpAwn(appOptions: Partial<AppOptions> = {}): Promise<Setup> {
  const storage = await openBenchStorage('sqlite');
  const clock = systemClock;
  await loadShippedAreas(storage, clock);
  const subdistricts = (
    await storage.db
      .selectFrom('areas')
      .select('pcode')
      .where('level', '=', 'subdistrict')
      .where('pcode', 'like', 'SY06%')
      .orderBy('pcode')
      .execute()
  ).map((area) => area.pcode);
  await createCommodity(
    storage,
    systemActor,
    {
      code: 'bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      base_unit: 'bundle',
      display_unit: 'bundle',
      display_scale: 1,
    },
    clock,
  );
  await loadHouseholds(storage, { count: households, subdistricts, clock, moduleRows: 200 });
  const servicePoint = await createServicePoint(
    storage,
    systemActor,
    { name_ar: 'فرن الشيخ ضاهر', name_en: 'Sheikh Daher bakery', area_pcode: 'SY060000' },
    clock,
  );
  await receiveStock(
    storage,
    systemActor,
    servicePoint.id,
    { id: randomUUID(), commodity: 'bread', quantity: 100_000_000 },
    clock,
  );
  const programme = await createProgramme(
    storage,
    systemActor,
    {
      code: 'bread',
      name_ar: 'الخبز',
      name_en: 'Bread',
      rules: { items: [{ commodity: 'bread', tiers: [{ quantity: 100_000 }] }] },
    },
    clock,
  );
  const today = clock().toISOString().slice(0, 10);
  const cycle = await createCycle(
    storage,
    systemActor,
    {
      programme_id: programme.id,
      starts_on: today,
      ends_on: new Date(clock().getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
      area_pcodes: ['SY06'],
    },
    clock,
  );
  await openCycle(storage, systemActor, cycle.id, clock);
  const password = `bench-${randomUUID()}`;
  const clerk = await createUser(storage, systemActor, {
    username: 'bench-clerk',
    displayName: 'Bench clerk',
    role: 'outlet_clerk',
    password,
    scope: ['SY06'],
  });
  const cards = (
    await storage.db
      .selectFrom('cards')
      .select('card_number')
      .where('revoked_at', 'is', null)
      .execute()
  ).map((card) => card.card_number);

  const app = await buildApp({ ...appOptions, storage, clock, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0, backlog: listenBacklog });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cookie = await signIn(origin, clerk.username, password);
  return {
    storage,
    app,
    target: {
      url: `${origin}/api/v1/redemptions`,
      headers: { cookie, origin },
      cards,
      servicePointId: servicePoint.id,
    },
  };
}

/** Signs in over HTTP like the web app does and answers the session cookie. */
export async function signIn(origin: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username, password }),
  });
  const session = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('awn_session='));
  if (response.status !== 200 || !session) {
    throw new Error(`bench clerk could not sign in: ${response.status}`);
  }
  return session;
}

interface Floor {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** A bare Fastify route doing one SQLite transaction (one INSERT, one UPDATE) per request. */
async function startFloor(): Promise<Floor> {
  const folder = mkdtempSync(join(tmpdir(), 'awn-bench-floor-'));
  const sqlite = new SqliteDatabase(join(folder, 'floor.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec(`
    create table hand_overs (id text primary key, card text not null, service_point_id text not null,
      quantity integer not null, created_at text not null);
    create table stock (id text primary key, on_hand integer not null);
    insert into stock values ('floor', 1000000000);`);
  const insert = sqlite.prepare(
    'insert into hand_overs (id, card, service_point_id, quantity, created_at) values (?, ?, ?, ?, ?)',
  );
  const update = sqlite.prepare("update stock set on_hand = on_hand - ? where id = 'floor'");
  const handOver = sqlite.transaction((body: FloorBody) => {
    const quantity = body.items[0]?.quantity ?? 1;
    insert.run(body.id, body.card, body.service_point_id, quantity, new Date().toISOString());
    update.run(quantity);
  });
  const app = Fastify({ logger: false });
  app.post('/floor', async (request, reply) => {
    const body = request.body as FloorBody;
    handOver(body);
    return reply.code(201).send({ id: body.id });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/floor`,
    close: async () => {
      await app.close();
      sqlite.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

interface FloorBody {
  id: string;
  card: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
}

// ---- The benchmark ------------------------------------------------------------------------------

function failuresText(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length === 0
    ? '0'
    : entries.map(([status, count]) => `${formatCount(count)} × ${status}`).join(', ');
}

async function run(): Promise<string> {
  const client = new LoadClient();
  const floor = await startFloor();
  const awn = await setUpAwn();
  try {
    const floorTarget: LoadTarget = { ...awn.target, url: floor.url, headers: {} };
    const closed: LoadPlan = { mode: 'closed', concurrency, seconds: roundSeconds };
    // Warm-up of both (JIT, caches), not counted.
    await client.run(floor.app.server, floorTarget, { ...closed, seconds: 1 });
    await client.run(awn.app.server, awn.target, { ...closed, seconds: 1 });

    const floorRounds: LoadResult[] = [];
    const awnRounds: LoadResult[] = [];
    for (let round = 0; round < rounds; round += 1) {
      floorRounds.push(await client.run(floor.app.server, floorTarget, closed));
      awnRounds.push(await client.run(awn.app.server, awn.target, closed));
      console.log(
        `  redemption round ${round + 1}: floor ${formatCount((floorRounds.at(-1)?.ok ?? 0) / roundSeconds)}/s, awn ${formatCount((awnRounds.at(-1)?.ok ?? 0) / roundSeconds)}/s`,
      );
    }
    const open = await client.run(awn.app.server, awn.target, {
      mode: 'open',
      ratePerSecond,
      seconds: rateSeconds,
    });
    const openFloor = await client.run(floor.app.server, floorTarget, {
      mode: 'open',
      ratePerSecond,
      seconds: Math.min(rateSeconds, 5),
    });

    const rate = (results: LoadResult[]) =>
      results.reduce((sum, r) => sum + r.ok, 0) / results.reduce((sum, r) => sum + r.seconds, 0);
    const floorRate = rate(floorRounds);
    const awnRate = rate(awnRounds);
    const share = awnRate / floorRate;
    const openP99 = quantile(open.latencies, 0.99);
    const openFailed = Object.values(open.failures).reduce((sum, count) => sum + count, 0);

    const report = await verifyLedger(awn.storage.db);
    const stored = await awn.storage.db
      .selectFrom('redemptions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();

    /** Server CPU per answered request, and the event loop's utilisation over the runs. */
    const serverCells = (results: LoadResult[]) => {
      const sum = (value: (r: LoadResult) => number) =>
        results.reduce((total, r) => total + value(r), 0);
      const answered = sum((r) => r.ok + Object.values(r.failures).reduce((a, b) => a + b, 0));
      const loop =
        sum((r) => (r.server?.eventLoopUtilization ?? 0) * r.seconds) / sum((r) => r.seconds);
      return [(sum((r) => r.server?.cpuMilliseconds ?? 0) / answered).toFixed(2), loop.toFixed(2)];
    };
    const closedRow = (label: string, results: LoadResult[]) => {
      const latencies = results.flatMap((r) => r.latencies);
      return [
        label,
        formatCount(results.reduce((sum, r) => sum + r.ok, 0)),
        results.map((r) => formatCount(r.ok / r.seconds)).join(' / '),
        formatCount(rate(results)),
        quantile(latencies, 0.5).toFixed(2),
        quantile(latencies, 0.99).toFixed(2),
        ...serverCells(results),
        results.map(failuresText).join(' / '),
      ];
    };
    const openRow = (label: string, result: LoadResult, seconds: number) => [
      label,
      `${formatCount(ratePerSecond)}/s × ${seconds} s`,
      formatCount(result.ok / result.seconds),
      quantile(result.latencies, 0.5).toFixed(2),
      quantile(result.latencies, 0.95).toFixed(2),
      quantile(result.latencies, 0.99).toFixed(2),
      Math.max(0, ...result.latencies).toFixed(1),
      formatCount(result.lateStarts),
      quantile(result.server?.latencies ?? [], 0.99).toFixed(2),
      ...serverCells([result]),
      failuresText(result),
    ];
    const shareMet = share >= targetShare;
    const p99Met = openP99 < targetP99Milliseconds && openFailed === 0;
    return [
      '## Online redemption over HTTP (SQLite)',
      '',
      `\`POST /api/v1/redemptions\` on the app from \`buildApp\` listening on 127.0.0.1: an outlet clerk's session cookie and Origin (access control, CSRF check), schema validation, a typed card number of a random household out of ${formatCount(households)}, 1 bundle of bread, linked transfers (entitlement debit + stock move), the stored answer and the audit event, in one write transaction on SQLite (file, WAL, synchronous=FULL). Each request has a fresh UUID. The floor is a bare Fastify route running one better-sqlite3 transaction (one INSERT + one UPDATE) on its own SQLite file with the same settings. Load generator: a child process (its own event loop) over keep-alive HTTP/1.1 connections of its own (a minimal client: one request at a time per connection), its open-loop schedule kept by a metronome thread (Atomics.wait) rather than Node's millisecond timers; both servers run in the benchmark process.`,
      '',
      `**Target (>= ${targetShare * 100}% of the floor's throughput):** ${shareMet ? 'MET' : 'NOT MET'}: ${formatCount(awnRate)} vs ${formatCount(floorRate)} redemptions/s = ${Math.round(share * 100)}% (closed loop, ${concurrency} in flight, ${rounds} alternating rounds of ${roundSeconds} s each)`,
      '',
      `**Target (p99 < ${targetP99Milliseconds} ms at ${formatCount(ratePerSecond)} requests/s):** ${p99Met ? 'MET' : 'NOT MET'}: p99 ${openP99.toFixed(2)} ms over ${formatCount(ratePerSecond * rateSeconds)} requests scheduled every ${1000 / ratePerSecond} ms (open loop, latency from the scheduled send time)${openFailed > 0 ? `; ${formatCount(openFailed)} requests failed` : ''}`,
      '',
      markdownTable(
        [
          'closed loop',
          'answered 201',
          'per round /s',
          'overall /s',
          'p50 ms',
          'p99 ms',
          'server CPU ms/request',
          'event loop busy',
          'failures',
        ],
        [
          closedRow('floor: bare Fastify + 1 transaction', floorRounds),
          closedRow('Awn redemption', awnRounds),
        ],
      ),
      '',
      markdownTable(
        [
          'open loop',
          'schedule',
          'achieved /s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'late starts',
          'p99 at the server ms',
          'server CPU ms/request',
          'event loop busy',
          'failures',
        ],
        [
          openRow('Awn redemption', open, rateSeconds),
          openRow('floor (for reference)', openFloor, Math.min(rateSeconds, 5)),
        ],
      ),
      '',
      `- ${report.ok ? `ledger verified after the run: ${formatCount(report.transfers)} transfers over ${formatCount(report.accounts)} accounts, no discrepancy` : `LEDGER VERIFY FAILED: ${JSON.stringify(report.discrepancies[0])}`}; ${formatCount(Number(stored.count))} redemptions stored.`,
      '- "late starts": requests the client sent more than 1 ms after their scheduled time (client or machine busy); their delay is included in the latency.',
      "- \"p99 at the server\": from the request's arrival at the server to its answer's last byte, without the client's own delays (the target counts those too).",
      '- "server CPU ms/request": CPU time of the process serving both (every thread: event loop, checkpoint worker, libuv pool) per answered request; "event loop busy": its event loop utilisation over the run (1.00: never idle). Less noisy than latency on a shared machine.',
    ].join('\n');
  } finally {
    client.close();
    await awn.app.close();
    await awn.storage.close();
    await floor.close();
  }
}

export const redemptionBenchmark: Benchmark = { name: 'redemption', run };
