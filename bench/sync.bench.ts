/**
 * Field sync ingest over HTTP: `POST /api/v1/sync` on the real app (`buildApp`, listening on
 * 127.0.0.1) with a coordinator's session, batches of 500 delivery ops (each posts a stop's two
 * reservations and moves its goods from the team: four linked transfers, the stop update, the
 * op log), one batch after another, on SQLite (file, WAL, synchronous=FULL). Target: >= 20,000
 * ops/s. The ledger is verified afterwards (not timed). AWN_BENCH_SYNC_RUNS sets how many runs
 * of 500 stops are synced (default 8).
 */
import type { AddressInfo } from 'node:net';
import { systemActor } from '../src/domain/actor.js';
import { verifyLedger } from '../src/modules/ledger/ledger.service.js';
import { buildFieldWorld } from '../src/modules/runs/runs.fixtures.js';
import { planRun } from '../src/modules/runs/runs.planning.js';
import { dispatchRun } from '../src/modules/runs/runs.service.js';
import { createUser } from '../src/modules/users/users.service.js';
import { buildApp } from '../src/server/app.js';
import {
  formatCount,
  markdownTable,
  openBenchStorage,
  timeOrderedId,
  type Benchmark,
} from './harness.js';

const batchSize = 500;
const target = 20_000;

export const syncBenchmark: Benchmark = {
  name: 'sync',
  async run() {
    const runCount = Number(process.env.AWN_BENCH_SYNC_RUNS ?? 8);
    const clock = () => new Date('2026-12-05T09:00:00.000Z');
    const storage = await openBenchStorage('sqlite');
    try {
      const world = await buildFieldWorld(storage, clock, {
        households: runCount * batchSize,
        members: 1,
        maxStops: batchSize,
      });
      const runs = [];
      for (let index = 0; index < runCount; index++) {
        const run = await planRun(
          storage,
          systemActor,
          {
            cycle_id: world.cycleId,
            team_id: world.teamId,
            date: '2026-12-05',
            source_service_point_id: world.servicePointId,
            area_pcodes: ['SY0600'],
          },
          clock,
        );
        await dispatchRun(storage, systemActor, run.id, clock);
        runs.push(run);
      }
      await createUser(storage, systemActor, {
        username: 'bench-coordinator',
        displayName: 'Bench',
        role: 'coordinator',
        password: 'bench-password-1',
        scope: ['SY06'],
      });
      const app = await buildApp({ storage, logger: false, clock });
      await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        const login = await fetch(`${origin}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'bench-coordinator', password: 'bench-password-1' }),
        });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const bodies = runs.map((run) =>
          JSON.stringify({
            ops: run.stops.map((stop) => ({
              id: timeOrderedId(),
              kind: 'delivery',
              run_id: run.id,
              stop_id: stop.id,
              items: stop.items,
              at: '2026-12-05T10:00:00.000Z',
            })),
          }),
        );
        const timings: number[] = [];
        let applied = 0;
        // CPU time of this process (server and client alike) is steadier than wall time on a
        // shared machine: ops per CPU-second is the figure to compare across runs.
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        for (const body of bodies) {
          const before = performance.now();
          const response = await fetch(`${origin}/api/v1/sync`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, origin },
            body,
          });
          const answer = (await response.json()) as { results: { status: string }[] };
          applied += answer.results.filter((result) => result.status === 'applied').length;
          timings.push(performance.now() - before);
        }
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        const opsPerSecond = (runCount * batchSize) / seconds;
        const report = await verifyLedger(storage.db);
        const sorted = [...timings].sort((a, b) => a - b);
        return [
          '## Field sync ingest over HTTP',
          '',
          `\`POST /api/v1/sync\` on the app from \`buildApp\` listening on 127.0.0.1 with a coordinator's session cookie: ${runCount} batches of ${batchSize} delivery ops (one dispatched run of ${batchSize} stops each; every op posts the stop's bread and sugar reservations and moves the goods from the team's stock: four linked transfers, the stop's update and the op log), sent one after another, on SQLite (file, WAL, synchronous=FULL). Target: at least ${formatCount(target)} ops/s.`,
          '',
          markdownTable(
            [
              'ops',
              'applied',
              'seconds',
              'ops/s',
              'CPU s',
              'ops per CPU-second',
              'batch p50 ms',
              'batch max ms',
              'target met',
              'ledger verify',
            ],
            [
              [
                formatCount(runCount * batchSize),
                formatCount(applied),
                seconds.toFixed(2),
                formatCount(opsPerSecond),
                cpuSeconds.toFixed(2),
                formatCount((runCount * batchSize) / cpuSeconds),
                (sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1),
                (sorted.at(-1) ?? 0).toFixed(1),
                opsPerSecond >= target ? 'yes' : 'no',
                report.ok ? 'clean' : 'DISCREPANCIES',
              ],
            ],
          ),
        ].join('\n');
      } finally {
        await app.close();
      }
    } finally {
      await storage.close();
    }
  },
};
