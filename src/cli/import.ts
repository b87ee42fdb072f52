/**
 * `awn import households FILE [--dry-run] [--skip-invalid] [--report FILE]`: the same import as
 * POST /api/v1/imports/households, run as the system, with a progress bar on a terminal.
 *
 * Exit codes: 0 every row accepted (written, or would be in a dry run); 1 some rows rejected
 * (nothing written, unless --skip-invalid wrote the valid ones); 2 the file itself was refused
 * (unknown extension, unreadable, a required column missing).
 */
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import cliProgress from 'cli-progress';
import type { Storage } from '../db/connect.js';
import { systemActor } from '../domain/actor.js';
import type { FileFormat } from '../modules/household-files/household-files.formats.js';
import {
  importHouseholdFile,
  type ImportProgress,
  type ImportReport,
} from '../modules/household-files/household-files.service.js';
import { ValidationError } from '../shared/errors.js';
import { systemClock, type Clock } from '../shared/clock.js';

export interface ImportHouseholdsOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** Write the whole report as JSON to this file. */
  report?: string;
}

/** Where the command writes; tests capture it, the CLI uses the console and a progress bar. */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
  /** Show a progress bar (on stderr); default: when stderr is a terminal. */
  progress?: boolean;
  clock?: Clock;
}

const consoleOutput: CommandOutput = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};

/** Issues printed to the terminal; the rest are counted (and all are in --report). */
const printedIssues = 30;

function formatOf(file: string): FileFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  return undefined;
}

function progressReporter(totalBytes: number, enabled: boolean) {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {rows} rows',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(1, totalBytes), 0, { phase: 'reading ', rows: 0 });
  return {
    update(progress: ImportProgress) {
      if (progress.phase === 'reading') {
        bar.update(progress.bytes, { phase: 'reading ', rows: progress.rows });
      } else if (progress.phase === 'checking') {
        bar.update(Math.max(1, totalBytes), { phase: 'checking', rows: progress.rows });
      } else if (progress.phase === 'writing') {
        bar.setTotal(Math.max(1, progress.households));
        bar.update(progress.written, { phase: 'writing ', rows: progress.rows });
      } else bar.stop();
    },
    stop: () => bar.stop(),
  };
}

function printReport(report: ImportReport, output: CommandOutput): void {
  const issues = [
    ...report.rejected.map((issue) => ({ ...issue, kind: 'rejected' })),
    ...report.warnings.map((issue) => ({ ...issue, kind: 'warning' })),
  ].sort((a, b) => a.row - b.row);
  for (const issue of issues.slice(0, printedIssues)) {
    const where = issue.cell ?? `row ${issue.row}`;
    output.error(`${where} ${issue.column ?? ''}: ${issue.kind} ${issue.code}: ${issue.message}`);
  }
  if (issues.length > printedIssues) {
    output.error(`... and ${issues.length - printedIssues} more (use --report FILE for all).`);
  }
  const verb = report.dry_run
    ? 'Dry run: would import'
    : report.committed
      ? 'Imported'
      : 'Nothing imported; would have imported';
  const count = report.dry_run || report.committed ? report.accepted : report.valid;
  output.log(
    `${verb} ${count} of ${report.rows} households; ${report.rejected_rows} rows rejected, ${report.duplicates.length} duplicates (likely or certain), ${report.warnings.length} warnings.`,
  );
  if (!report.committed && !report.dry_run && report.rejected_rows > 0) {
    output.log('Fix the rejected rows, or run again with --skip-invalid to import the valid ones.');
  }
}

/** Runs the import of FILE and returns the exit code (see the file comment). */
export async function importHouseholdsCommand(
  storage: Pick<Storage, 'db' | 'dialect'>,
  file: string,
  options: ImportHouseholdsOptions = {},
  output: CommandOutput = consoleOutput,
): Promise<number> {
  const format = formatOf(file);
  if (format === undefined) {
    output.error(`awn: ${file}: the file must end in .csv or .xlsx`);
    return 2;
  }
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    output.error(`awn: ${file}: cannot read the file`);
    return 2;
  }
  const progress = progressReporter(size, output.progress ?? process.stderr.isTTY === true);
  let report: ImportReport;
  try {
    report = await importHouseholdFile(
      storage,
      systemActor,
      { format, content: createReadStream(file) },
      {
        clock: output.clock ?? systemClock,
        dryRun: options.dryRun ?? false,
        skipInvalid: options.skipInvalid ?? false,
        onProgress: (event) => progress.update(event),
      },
    );
  } catch (error) {
    progress.stop();
    if (!(error instanceof ValidationError)) throw error;
    output.error(`awn: ${file}: ${error.message}`);
    for (const issue of error.issues) output.error(`  ${issue.path}: ${issue.message}`);
    return 2;
  }
  progress.stop();
  printReport(report, output);
  if (options.report !== undefined) {
    await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
    output.log(`Report written to ${options.report}.`);
  }
  return report.rejected_rows > 0 ? 1 : 0;
}
