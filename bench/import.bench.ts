/**
 * Household import: a 100,000-row CSV of Lattakia households, imported end to end (streamed
 * parse, header mapping, the one validation, duplicate checks against the file and the registry,
 * card numbers, multi-row inserts, audit) in one all-or-nothing transaction on SQLite (file, WAL,
 * synchronous=FULL). Target: under 60 s.
 *
 * The rows are generated at run time from the AKhateeb Arabic name lists shipped in data/names/
 * (MIT; see data/names/SOURCE.md), spread over the Lattakia subdistricts (SY06xxxx) of the
 * shipped areas, with a seeded generator so every run imports the same file.
 * AWN_BENCH_IMPORT_ROWS (e.g. "20000") shrinks the file while profiling.
 */
import {
  createReadStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../src/domain/actor.js';
import { loadShippedAreas } from '../src/modules/areas/areas.service.js';
import { csvLine } from '../src/modules/household-files/household-files.formats.js';
import {
  importHouseholdFile,
  type ImportProgress,
} from '../src/modules/household-files/household-files.service.js';
import { templateFields } from '../src/modules/households/households.validation.js';
import { systemClock } from '../src/shared/clock.js';
import { formatCount, markdownTable, openBenchStorage, type Benchmark } from './harness.js';

const rows = Number(process.env.AWN_BENCH_IMPORT_ROWS ?? 100_000);
const targetSeconds = 60;
const namesDirectory = fileURLToPath(new URL('../data/names/akhateeb/', import.meta.url));

function readNames(file: string): string[] {
  return readFileSync(join(namesDirectory, file), 'utf8')
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** mulberry32: a small seeded generator, so the file is the same on every run. */
function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const tagCodes = [
  'elderly',
  'disability',
  'chronic_illness',
  'female_headed',
  'displaced',
  'orphans',
];

/** Writes the CSV (template columns, Arabic names, unique national ids) and returns its path. */
function generateCsv(folder: string, subdistricts: readonly string[]): string {
  const male = readNames('male-first--names-in-arabic.txt');
  const female = readNames('female-first-names-in-arabic.txt');
  const family = readNames('last-names-in-arabic.txt');
  const random = seededRandom(20_200_329);
  const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;
  const lines: string[] = [csvLine(templateFields)];
  for (let index = 0; index < rows; index += 1) {
    const femaleHeaded = random(5) === 0;
    const tags = femaleHeaded ? ['female_headed'] : [];
    if (random(6) === 0) tags.push(pick(tagCodes));
    lines.push(
      csvLine([
        '',
        pick(femaleHeaded ? female : male),
        pick(male),
        random(3) === 0 ? '' : pick(male),
        pick(family),
        // Unique 11-digit national ids; a tenth of the households have none recorded.
        random(10) === 0 ? '' : String(10_000_000_000 + index * 7919),
        random(4) === 0 ? '' : `09${String(30_000_000 + random(69_999_999)).padStart(8, '0')}`,
        String(1 + random(9)),
        pick(subdistricts),
        '',
        [...new Set(tags)].join(';'),
      ]),
    );
  }
  const path = join(folder, 'households.csv');
  writeFileSync(path, lines.join(''));
  return path;
}

async function run(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'awn-bench-import-'));
  const storage = await openBenchStorage('sqlite');
  try {
    await loadShippedAreas(storage);
    const subdistricts = (
      await storage.db
        .selectFrom('areas')
        .select('pcode')
        .where('level', '=', 'subdistrict')
        .where('pcode', 'like', 'SY06%')
        .orderBy('pcode')
        .execute()
    ).map((area) => area.pcode);
    const file = generateCsv(folder, subdistricts);
    const bytes = statSync(file).size;

    let checkingAt = 0;
    const started = performance.now();
    const report = await importHouseholdFile(
      storage,
      systemActor,
      { format: 'csv', content: createReadStream(file) },
      {
        clock: systemClock,
        onProgress: (progress: ImportProgress) => {
          if (progress.phase === 'checking') checkingAt = performance.now();
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const readSeconds = (checkingAt - started) / 1000;

    const stored = await storage.db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    if (!report.committed || Number(stored.count) !== rows) {
      throw new Error(
        `import bench: expected ${rows} households committed, got ${String(stored.count)} (rejected rows: ${report.rejected_rows})`,
      );
    }
    const passed = seconds < targetSeconds;
    return [
      '## Household import (CSV, SQLite)',
      '',
      `A ${formatCount(rows)}-row CSV (${(bytes / 2 ** 20).toFixed(1)} MiB) of generated Lattakia households (AKhateeb Arabic name lists, ${subdistricts.length} subdistricts), imported all or nothing through \`importHouseholdFile\`: streamed parse, validation, duplicate checks (in the file and against the registry), card numbers, multi-row inserts and audit events in one write transaction.`,
      '',
      markdownTable(
        [
          'rows',
          'total s',
          'rows/s',
          'read + map s',
          'check + write s',
          'likely duplicates',
          `target < ${targetSeconds} s`,
        ],
        [
          [
            formatCount(rows),
            seconds.toFixed(1),
            formatCount(rows / seconds),
            readSeconds.toFixed(1),
            (seconds - readSeconds).toFixed(1),
            formatCount(report.duplicates.length),
            passed ? 'pass' : 'FAIL',
          ],
        ],
      ),
    ].join('\n');
  } finally {
    await storage.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

export const importBenchmark: Benchmark = { name: 'import', run };
