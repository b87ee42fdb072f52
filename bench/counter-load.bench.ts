/**
 * The counter beside an import and a flood of failed sign-ins: `POST /api/v1/redemptions` at a
 * fixed rate (open loop, the redemption bench's load client in its own process) on SQLite, first
 * alone, then while (a) 600 failed sign-ins are kept in flight, each from an address of its own
 * behind a trusted proxy (so no per-address limit stops them: only the hashing queue does), (b)
 * a 100,000-row household CSV is imported through the public API (`POST
 * /api/v1/imports/households`), and (c) both at once (the flood for at most twice a phase). Target: the counter's p99 beside each at
 * most 2x its p99 alone, in the same run.
 *
 * The flood and the import are sent by a second child process (this file again, with
 * AWN_BENCH_AUX_CLIENT=1), so neither shares an event loop with the server or the counter's
 * client. The server is set up as `awn serve` sets it up: hashing threads at the lowest CPU
 * priority with the default queue.
 *
 * Beside each phase's latencies, the server's own event loop delay (monitorEventLoopDelay): a
 * long job's slices show there, a client starved of CPU does not.
 *
 * AWN_BENCH_COUNTER_RATE (default 200/s), AWN_BENCH_COUNTER_SECONDS (alone and flood phases,
 * default 15) and AWN_BENCH_IMPORT_ROWS (default 100,000) shorten the run while profiling.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { request as httpRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser } from '../src/modules/users/users.service.js';
import { systemActor } from '../src/domain/actor.js';
import { configurePasswordHashing, defaultHashingLimits } from '../src/modules/auth/password.js';
import { csvLine } from '../src/modules/household-files/household-files.formats.js';
import { templateFields } from '../src/modules/households/households.validation.js';
import { formatCount, markdownTable, quantile, type Benchmark } from './harness.js';
import { generateInputs } from './households.generate.js';
import {
  LoadClient,
  setUpAwn,
  signIn,
  type LoadResult,
  type LoadTarget,
} from './redemption.bench.js';

const ratePerSecond = Number(process.env.AWN_BENCH_COUNTER_RATE ?? 200);
const phaseSeconds = Number(process.env.AWN_BENCH_COUNTER_SECONDS ?? 15);
const importRows = Number(process.env.AWN_BENCH_IMPORT_ROWS ?? 100_000);
const floodConcurrency = 600;
const targetRatio = 2;
/** The counter runs in slices this long while an import lasts (its length is not known). */
const sliceSeconds = 5;

// ---- The second client (child process): the flood and the import -----------------------------

type AuxTask =
  | { kind: 'flood'; url: string; concurrency: number; seconds: number; firstAddress: number }
  | { kind: 'import'; url: string; headers: Record<string, string>; file: string };

interface AuxResult {
  kind: AuxTask['kind'];
  seconds: number;
  /** Answers by status (and problem code for 429), transport errors as 0. */
  statuses: Record<string, number>;
  /** The import's answer, in short. */
  summary?: string;
}

async function runAux(task: AuxTask): Promise<AuxResult> {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  const count = (key: string) => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  if (task.kind === 'flood') {
    // At the end of the phase, what is still in flight is dropped (counted apart).
    const stop = new AbortController();
    setMaxListeners(0, stop.signal); // one listener per request in flight
    const timer = setTimeout(() => stop.abort(), task.seconds * 1000);
    let next = task.firstAddress;
    const attacker = async () => {
      while (!stop.signal.aborted) {
        const index = (next += 1);
        try {
          const response = await fetch(task.url, {
            method: 'POST',
            signal: stop.signal,
            headers: {
              'content-type': 'application/json',
              'x-forwarded-for': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
            },
            body: JSON.stringify({ username: `flood-${index}`, password: `guess ${index}` }),
          });
          const body = (await response.json()) as { code?: string };
          count(response.status === 429 ? `429 ${body.code ?? ''}` : String(response.status));
        } catch {
          count(stop.signal.aborted ? 'in flight at the end' : '0');
        }
      }
    };
    await Promise.all(Array.from({ length: task.concurrency }, attacker));
    clearTimeout(timer);
    return { kind: 'flood', seconds: (performance.now() - started) / 1000, statuses };
  }
  // node:http, not fetch: fetch gives up on an answer's headers after 300 s.
  const body = readFileSync(task.file);
  const { status, text } = await new Promise<{ status: number; text: string }>(
    (resolve, reject) => {
      const request = httpRequest(
        task.url,
        {
          method: 'POST',
          headers: { ...task.headers, 'content-type': 'text/csv', 'content-length': body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    },
  );
  count(String(status));
  let summary = text.slice(0, 200);
  try {
    const report = JSON.parse(text) as Record<string, unknown>;
    const rejected = Array.isArray(report.rejected) ? report.rejected.length : '?';
    summary = `committed ${String(report.committed)}, ${String(report.accepted)} households accepted, ${rejected} rows rejected`;
  } catch {
    // Not JSON: keep the start of the answer.
  }
  return { kind: 'import', seconds: (performance.now() - started) / 1000, statuses, summary };
}

if (process.env.AWN_BENCH_AUX_CLIENT === '1') {
  process.on('message', (message: AuxTask | 'exit') => {
    if (message === 'exit') process.exit(0);
    void runAux(message).then((result) => process.send?.(result));
  });
}

/** The second client as a child process; tasks may overlap (each answers when done). */
class AuxClient {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<AuxTask['kind'], (result: AuxResult) => void>();

  constructor() {
    this.child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, AWN_BENCH_AUX_CLIENT: '1' },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (result: AuxResult) => {
      this.waiting.get(result.kind)?.(result);
      this.waiting.delete(result.kind);
    });
  }

  run(task: AuxTask): Promise<AuxResult> {
    return new Promise((resolve) => {
      this.waiting.set(task.kind, resolve);
      this.child.send(task);
    });
  }

  close(): void {
    this.child.send('exit');
  }
}

// ---- The benchmark ------------------------------------------------------------------------------

/** A household CSV in the import template with national ids unlike any other file's. */
function writeCsv(folder: string, name: string, subdistricts: string[], idBase: number): string {
  const lines = [csvLine(templateFields)];
  generateInputs(importRows, subdistricts, idBase).forEach((household, index) => {
    lines.push(
      csvLine([
        '',
        household.head_given_name,
        household.head_father_name,
        household.head_grandfather_name ?? '',
        household.head_family_name,
        household.national_id === null ? '' : String(idBase * 1_000_000_000 + index * 7),
        household.phone ?? '',
        String(household.household_size),
        household.area_pcode,
        '',
        household.tags.join(';'),
      ]),
    );
  });
  const path = join(folder, name);
  writeFileSync(path, lines.join(''));
  return path;
}

interface Phase {
  label: string;
  counter: LoadResult[];
  beside: AuxResult[];
  /** The server's event loop delay meanwhile (ms): p99 and max. */
  loopDelay: { p99: number; max: number };
}

/** Measures the event loop delay of this process (the server's) while `work` runs. */
async function withLoopDelay<T>(
  work: () => Promise<T>,
): Promise<{ result: T; loopDelay: Phase['loopDelay'] }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    return {
      result,
      loopDelay: { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
    };
  } finally {
    histogram.disable();
  }
}

function merged(results: LoadResult[]) {
  const latencies = results.flatMap((result) => result.latencies);
  const failures: Record<string, number> = {};
  for (const result of results) {
    for (const [status, count] of Object.entries(result.failures)) {
      failures[status] = (failures[status] ?? 0) + count;
    }
  }
  return {
    latencies,
    ok: results.reduce((sum, result) => sum + result.ok, 0),
    seconds: results.reduce((sum, result) => sum + result.seconds, 0),
    failures,
  };
}

async function run(): Promise<string> {
  // As `awn serve` configures it.
  configurePasswordHashing({ ...defaultHashingLimits, lowPriority: true });
  const folder = mkdtempSync(join(tmpdir(), 'awn-bench-counter-load-'));
  const counter = new LoadClient();
  const aux = new AuxClient();
  const awn = await setUpAwn({ trustedProxies: ['127.0.0.1'] });
  try {
    const origin = new URL(awn.target.url).origin;
    const password = `bench-registrar-${Date.now()}`;
    await createUser(awn.storage, systemActor, {
      username: 'bench-registrar',
      displayName: 'Bench registrar',
      role: 'registrar',
      password,
      scope: ['SY06'],
    });
    const registrar = await signIn(origin, 'bench-registrar', password);
    const subdistricts = (
      await awn.storage.db
        .selectFrom('areas')
        .select('pcode')
        .where('level', '=', 'subdistrict')
        .where('pcode', 'like', 'SY06%')
        .orderBy('pcode')
        .execute()
    ).map((area) => area.pcode);
    const files = [
      writeCsv(folder, 'a.csv', subdistricts, 31),
      writeCsv(folder, 'b.csv', subdistricts, 37),
    ];
    const importTask = (file: string): AuxTask => ({
      kind: 'import',
      url: `${origin}/api/v1/imports/households?skip_invalid=true`,
      headers: { cookie: registrar, origin },
      file,
    });
    let floodAddresses = 0;
    const floodTask = (seconds: number): AuxTask => {
      floodAddresses += 1_000_000;
      return {
        kind: 'flood',
        url: `${origin}/api/v1/auth/login`,
        concurrency: floodConcurrency,
        seconds,
        firstAddress: floodAddresses,
      };
    };
    const target: LoadTarget = awn.target;
    const open = (seconds: number) =>
      counter.run(awn.app.server, target, { mode: 'open', ratePerSecond, seconds });
    /** Runs the counter in slices until `beside` settles; answers the slices and its result. */
    const besideUntilDone = async (beside: Promise<AuxResult[]>) => {
      let done = false;
      const settled = beside.finally(() => {
        done = true;
      });
      const slices: LoadResult[] = [];
      while (!done) slices.push(await open(sliceSeconds));
      return { slices, beside: await settled };
    };

    // Warm-up (JIT, caches, a first hash), not counted.
    await counter.run(awn.app.server, target, { mode: 'closed', concurrency: 8, seconds: 1 });
    await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'warm-up', password: 'warm-up' }),
    });

    const phases: Phase[] = [];
    console.log('  counter alone...');
    const alonePhase = await withLoopDelay(() => open(phaseSeconds));
    phases.push({
      label: 'counter alone',
      counter: [alonePhase.result],
      beside: [],
      loopDelay: alonePhase.loopDelay,
    });

    console.log(`  beside ${floodConcurrency} failed sign-ins in flight...`);
    const floodPhase = await withLoopDelay(() =>
      Promise.all([open(phaseSeconds), aux.run(floodTask(phaseSeconds))]),
    );
    phases.push({
      label: `beside ${floodConcurrency} failed sign-ins in flight`,
      counter: [floodPhase.result[0]],
      beside: [floodPhase.result[1]],
      loopDelay: floodPhase.loopDelay,
    });

    console.log(`  beside an import of ${formatCount(importRows)} rows...`);
    const imported = await withLoopDelay(() =>
      besideUntilDone(Promise.all([aux.run(importTask(files[0] as string))])),
    );
    phases.push({
      label: `beside an import of ${formatCount(importRows)} rows`,
      counter: imported.result.slices,
      beside: imported.result.beside,
      loopDelay: imported.loopDelay,
    });

    console.log('  beside both...');
    const floods: AuxResult[] = [];
    let importing: Promise<AuxResult> = Promise.resolve({
      kind: 'import',
      seconds: 0,
      statuses: {},
    });
    const both = await withLoopDelay(() => {
      let finished = false;
      importing = aux.run(importTask(files[1] as string)).finally(() => {
        finished = true;
      });
      // The flood, in slices, while the import lasts, for at most twice a phase: under the
      // flood the import gets little of the event loop, and its end is not what is measured.
      const floodUntil = performance.now() + 2 * phaseSeconds * 1000;
      return besideUntilDone(
        (async () => {
          while (!finished && performance.now() < floodUntil) {
            floods.push(await aux.run(floodTask(sliceSeconds)));
          }
          return [];
        })(),
      );
    });
    console.log('  the import goes on alone to its end...');
    phases.push({
      label: 'beside both at once',
      counter: both.result.slices,
      beside: [await importing, ...floods],
      loopDelay: both.loopDelay,
    });

    const alone = merged(phases[0]?.counter ?? []);
    const aloneP99 = quantile(alone.latencies, 0.99);
    const rows = phases.map((phase) => {
      const result = merged(phase.counter);
      const p99 = quantile(result.latencies, 0.99);
      const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
      return {
        p99,
        failed,
        cells: [
          phase.label,
          `${formatCount(result.ok)} in ${result.seconds.toFixed(0)} s`,
          quantile(result.latencies, 0.5).toFixed(2),
          quantile(result.latencies, 0.95).toFixed(2),
          p99.toFixed(2),
          Math.max(0, ...result.latencies).toFixed(1),
          phase === phases[0] ? '1.00x' : `${(p99 / aloneP99).toFixed(2)}x`,
          `${phase.loopDelay.p99.toFixed(1)} / ${phase.loopDelay.max.toFixed(1)}`,
          failed === 0
            ? '0'
            : Object.entries(result.failures)
                .map(([status, count]) => `${formatCount(count)} × ${status}`)
                .join(', '),
        ],
      };
    });
    const worst = Math.max(...rows.slice(1).map((row) => row.p99 / aloneP99));
    const met = worst <= targetRatio && rows.every((row) => row.failed === 0);
    const besideLines = phases.flatMap((phase) =>
      phase.beside.map((result) => {
        const statuses = Object.entries(result.statuses)
          .sort()
          .map(([status, count]) => `${formatCount(count)} × ${status}`)
          .join(', ');
        return `- ${phase.label}: ${result.kind} ${result.seconds.toFixed(1)} s, answers ${statuses}${result.summary ? ` (${result.summary})` : ''}`;
      }),
    );
    return [
      '## The counter beside an import and a flood of failed sign-ins (SQLite)',
      '',
      `\`POST /api/v1/redemptions\` at ${formatCount(ratePerSecond)}/s (open loop, latency from the scheduled send time; the redemption bench's client in its own process) on the app from \`buildApp\` over SQLite (file, WAL, synchronous=FULL), hashing configured as \`awn serve\` does (threads ${defaultHashingLimits.threads}, queue ${defaultHashingLimits.queue}, lowest CPU priority). Beside it, from a second client process: ${floodConcurrency} failed sign-ins kept in flight, each from an address of its own (X-Forwarded-For behind a trusted proxy, so only the hashing queue refuses them), and household imports of ${formatCount(importRows)} CSV rows through \`POST /api/v1/imports/households?skip_invalid=true\` as a registrar (a fresh file of new national ids each time). The counter runs in slices of ${sliceSeconds} s for as long as an import lasts.`,
      '',
      `**Target (p99 beside each at most ${targetRatio}x the counter alone, same run):** ${met ? 'MET' : 'NOT MET'}: worst ${worst.toFixed(2)}x (alone p99 ${aloneP99.toFixed(2)} ms)`,
      '',
      markdownTable(
        [
          'counter',
          'answered 201',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'p99 vs alone',
          'server event loop delay p99 / max ms',
          'failures',
        ],
        rows.map((row) => row.cells),
      ),
      '',
      ...besideLines,
    ].join('\n');
  } finally {
    counter.close();
    aux.close();
    await awn.app.close();
    await awn.storage.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

export const counterLoadBenchmark: Benchmark = { name: 'counter-load', run };
