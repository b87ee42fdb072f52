/**
 * `npm run bench [-- name...]`: runs the registered benchmarks in one process, one after the
 * other, and writes bench/RESULTS.md: a description of the machine, then each benchmark's
 * section. A new benchmark is a file exporting a Benchmark, added to `benchmarks` below.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { benchPostgresUrl, type Benchmark } from './harness.js';
import { ledgerBenchmark } from './ledger.bench.js';
import { importBenchmark } from './import.bench.js';
import { redemptionBenchmark } from './redemption.bench.js';
import { searchBenchmark } from './search.bench.js';
import { cycleBenchmark } from './cycle.bench.js';
import { routesBenchmark } from './routes.bench.js';
import { runsPlanBenchmark } from './runs-plan.bench.js';
import { syncBenchmark } from './sync.bench.js';
import { counterLoadBenchmark } from './counter-load.bench.js';
import { fieldAppBenchmark } from './field-app.bench.js';
import { storesBenchmark } from './stores.bench.js';
import { messagingBenchmark } from './messaging.bench.js';

const benchmarks: Benchmark[] = [
  ledgerBenchmark,
  importBenchmark,
  redemptionBenchmark,
  searchBenchmark,
  cycleBenchmark,
  routesBenchmark,
  runsPlanBenchmark,
  syncBenchmark,
  counterLoadBenchmark,
  fieldAppBenchmark,
  storesBenchmark,
  messagingBenchmark,
];

const resultsFile = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

function sqliteVersion(): string {
  const database = new SqliteDatabase(':memory:');
  try {
    return String(database.prepare('select sqlite_version() as version').pluck().get());
  } finally {
    database.close();
  }
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({
    connectionString: benchPostgresUrl,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } catch {
    return 'unavailable';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function machineDescription(): Promise<string> {
  const rows = [
    ['CPU', cpuModel()],
    ['Cores', String(cpus().length)],
    ['Memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    [
      'Load average at start (1, 5, 15 min)',
      loadavg()
        .map((value) => value.toFixed(2))
        .join(', '),
    ],
    ['Node.js', process.version],
    ['SQLite', sqliteVersion()],
    ['PostgreSQL', await postgresVersion()],
    ['Date', new Date().toISOString()],
  ];
  return ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length
    ? benchmarks.filter((benchmark) => wanted.includes(benchmark.name))
    : benchmarks;
  if (selected.length === 0) {
    throw new Error(
      `no benchmark named ${wanted.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
  }
  const machine = await machineDescription();
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  const sections: string[] = [];
  for (const benchmark of selected) {
    console.log(`bench: ${benchmark.name}...`);
    const started = performance.now();
    const section = (await benchmark.run()).trim();
    // Each section says when it ran, so sections kept from earlier runs stay honest.
    const [heading, ...body] = section.split('\n');
    sections.push(
      [
        heading,
        '',
        `_Measured ${new Date().toISOString()}, load average ${load} at start._`,
        ...body,
      ].join('\n'),
    );
    console.log(
      `bench: ${benchmark.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const document = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts). Every ratio compares figures measured side by side in the same run; a run of some benchmarks (`npm run bench -- NAME ...`) keeps the other sections from their own earlier runs.',
    '',
    '## Machine (of the latest run)',
    '',
    machine,
    '',
    ...mergeSections(sections).flatMap((section) => [section.trim(), '']),
  ].join('\n');
  writeFileSync(resultsFile, document);
  console.log(`bench: wrote ${resultsFile}`);
}

/** The new sections, plus the sections of the previous file that this run did not replace. */
function mergeSections(fresh: string[]): string[] {
  const headingOf = (section: string) => section.split('\n')[0]?.trim() ?? '';
  const freshHeadings = new Set(fresh.map(headingOf));
  let previous: string[] = [];
  try {
    previous = readFileSync(resultsFile, 'utf8')
      .split(/^(?=## )/m)
      .filter((section) => section.startsWith('## ') && !section.startsWith('## Machine'));
  } catch {
    // No earlier results.
  }
  const kept = previous.filter((section) => !freshHeadings.has(headingOf(section)));
  return [...fresh, ...kept];
}

await main();
