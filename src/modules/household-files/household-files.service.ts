/**
 * Household files: import a CSV or XLSX of households with a row-level report, export the
 * households of a filtered list, and the blank template. Every row goes through the households
 * module's one bulk registration (`createHouseholds`: the one validation, the duplicate checks,
 * multi-row inserts), so a row is accepted or refused for the same reasons as in the API.
 * No framework here: the routes and the CLI call these.
 */
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Storage } from '../../db/connect.js';
import { pacedExecutor } from '../../db/pacing.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { BatchSizer, slicePacer, unpaced, backgroundTurn, type Pace } from '../../shared/pacing.js';
import {
  appendAuditEvents,
  recordPersonalDataReads,
  type AuditEventInput,
} from '../audit/audit.service.js';
import { joinOpenCycles } from '../cycles/cycles.service.js';
import { loadHouseholdConfig } from '../households/households.config.js';
import { personalFieldsFor } from '../households/households.presenter.js';
import { templateFields } from '../households/households.validation.js';
import type { HouseholdView } from '../households/households.schema.js';
import { newTimeOrderedId } from '../households/households.ids.js';
import {
  outsideScopeEvents,
  planHouseholds,
  writePlannedHouseholds,
  type HouseholdCreateResult,
  type PlannedHousehold,
} from '../households/households.registration.js';
import { searchHouseholds, type HouseholdSearch } from '../households/households.search.js';
import {
  exportFields,
  hintFor,
  hxlFor,
  isHxlRow,
  mapColumns,
  neutraliseCell,
  restoreCell,
  type ExportField,
  type ImportField,
} from '../../shared/import-columns.js';
import {
  csvLine,
  csvStream,
  mediaTypes,
  readSheetRows,
  xlsxStream,
  type FileFormat,
} from './household-files.formats.js';
import {
  deleteImportedHouseholds,
  findAbandonedImports,
  finishHouseholdImport,
  insertHouseholdImport,
  markHouseholdImportJoined,
  markHouseholdImportUndoing,
  nextImportedHouseholds,
  touchHouseholdImport,
} from './household-files.repository.js';

/** Data rows one import may hold; more is refused before anything is checked. */
export const maxImportRows = 200_000;
/** Likely duplicates listed per row (the best first); all of them still go to the review queue. */
export const maxLikelyDuplicatesPerRow = 5;

export interface ImportSource {
  format: FileFormat;
  /** The whole file, or its bytes as they arrive. */
  content: Buffer | AsyncIterable<Buffer | string>;
}

export type ImportProgress =
  | { phase: 'reading'; bytes: number; rows: number }
  | { phase: 'checking'; rows: number }
  /** `written` of the `households` to write are written (not yet committed). */
  | { phase: 'writing'; rows: number; households: number; written: number }
  | { phase: 'done'; rows: number };

export interface ImportOptions {
  clock: Clock;
  /** Check everything and report, write nothing. */
  dryRun?: boolean;
  /** Commit the valid rows and report the rest (default: nothing is written if any row fails). */
  skipInvalid?: boolean;
  /** Told of each step; a promise it returns is awaited (a slow listener slows the import). */
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
}

export interface ImportRejection {
  /** As the spreadsheet numbers it: the header is row 1 (an HXL row is row 2). */
  row: number;
  /** The field (a template column name). */
  column: string | null;
  /** Spreadsheet reference of the cell, e.g. "G7", when the column is in the file. */
  cell?: string;
  code: string;
  message: string;
}

export interface ImportDuplicate {
  row: number;
  existing_household_id?: string;
  /** The identifier is held by a household outside the importer's scope (not named). */
  outside_scope?: true;
  other_row?: number;
  /** `national_id` / `card_number` (the row is rejected), or what a likely duplicate shares ("name+size"). */
  reason: string;
  /** Name similarity of a likely duplicate (0..1). */
  score?: number;
}

export interface ImportWarning extends ImportRejection {
  existing_household_id?: string;
  other_row?: number;
}

export interface ImportReport {
  /** Households written, or that the commit would write in a dry run. */
  accepted: number;
  rejected: ImportRejection[];
  duplicates: ImportDuplicate[];
  warnings: ImportWarning[];
  committed: boolean;
  dry_run: boolean;
  /** Data rows read (blank rows are skipped). */
  rows: number;
  /** Rows that passed every check (written unless another row failed without skip_invalid). */
  valid: number;
  /** Rows with at least one rejection. */
  rejected_rows: number;
}

/** Spreadsheet column letters for a 0-based position: 0 → A, 26 → AA. */
export function columnLetters(position: number): string {
  let letters = '';
  for (let rest = position + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

interface ParsedFile {
  inputs: Record<string, unknown>[];
  rowNumbers: number[];
  /** 0-based position of each mapped field in the file. */
  positions: Partial<Record<ImportField, number>>;
  warnings: ImportWarning[];
}

function isBlank(cell: unknown): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** Reads the file into raw inputs keyed by field; refuses a file lacking a required column. */
async function readImportFile(
  source: ImportSource,
  onProgress: ImportOptions['onProgress'],
  pace: Pace = unpaced,
): Promise<ParsedFile> {
  let bytes = 0;
  const rows = readSheetRows(source.content, source.format, (total) => {
    bytes = total;
  });
  const header = await rows.next();
  if (header.done) {
    throw new ValidationError(
      [{ path: '/body', message: 'has no header row' }],
      'The file is empty.',
    );
  }
  let next = await rows.next();
  const hxl = !next.done && isHxlRow(next.value.cells) ? next.value.cells : undefined;
  if (hxl) next = await rows.next();

  const mapping = mapColumns(header.value.cells, hxl);
  if (mapping.missing.length > 0 || mapping.repeated.length > 0) {
    throw new ValidationError(
      [
        ...mapping.missing.map((field) => ({
          path: `/columns/${field}`,
          message: 'is a required column and is missing',
        })),
        ...mapping.repeated.map((field) => ({
          path: `/columns/${field}`,
          message: 'is named by more than one column',
        })),
      ],
      `The file's columns are not usable: ${[
        ...mapping.missing.map((field) => `${field} is missing`),
        ...mapping.repeated.map((field) => `${field} appears twice`),
      ].join('; ')}.`,
    );
  }
  const positions: Partial<Record<ImportField, number>> = {};
  mapping.fields.forEach((field, position) => {
    if (field !== null) positions[field] = position;
  });
  const warnings: ImportWarning[] = mapping.warnings.map((warning) => ({
    row: header.value.number,
    column: warning.header,
    cell: `${columnLetters(warning.position - 1)}${header.value.number}`,
    code: warning.code,
    message: warning.message,
  }));

  const mapped = mapping.fields.flatMap((field, position) =>
    field === null ? [] : [{ field, position }],
  );
  const inputs: Record<string, unknown>[] = [];
  const rowNumbers: number[] = [];
  for (; !next.done; next = await rows.next()) {
    const { cells, number } = next.value;
    if (cells.every(isBlank)) continue;
    if (inputs.length >= maxImportRows) {
      throw new ValidationError(
        [{ path: '/body', message: `has more than ${maxImportRows} rows` }],
        `An import holds at most ${maxImportRows} rows; split the file.`,
      );
    }
    const input: Record<string, unknown> = {};
    for (const { field, position } of mapped) {
      const cell = cells[position];
      input[field] = typeof cell === 'string' ? restoreCell(cell) : (cell ?? null);
    }
    inputs.push(input);
    rowNumbers.push(number);
    await pace();
    if (inputs.length % 2000 === 0) {
      await onProgress?.({ phase: 'reading', bytes, rows: inputs.length });
    }
  }
  await onProgress?.({ phase: 'reading', bytes, rows: inputs.length });
  if (inputs.length === 0) {
    throw new ValidationError(
      [{ path: '/body', message: 'has no household rows under the header' }],
      'The file has no households.',
    );
  }
  return { inputs, rowNumbers, positions, warnings };
}

/** Turns the per-input results into the row-level report. */
async function buildReport(
  parsed: ParsedFile,
  results: readonly HouseholdCreateResult[],
  options: { dryRun: boolean; skipInvalid: boolean; committed: boolean },
  pace: Pace,
): Promise<ImportReport> {
  const report: ImportReport = {
    accepted: 0,
    rejected: [],
    duplicates: [],
    warnings: [...parsed.warnings],
    committed: options.committed,
    dry_run: options.dryRun,
    rows: parsed.inputs.length,
    valid: 0,
    rejected_rows: 0,
  };
  const rowOf = (index: number): number => parsed.rowNumbers[index] ?? 0;
  const place = (
    row: number,
    field: string | undefined,
  ): { column: string | null; cell?: string } => {
    if (field === undefined) return { column: null };
    const position = parsed.positions[field as ImportField];
    return position === undefined
      ? { column: field }
      : { column: field, cell: `${columnLetters(position)}${row}` };
  };

  for (const [index, result] of results.entries()) {
    await pace();
    const row = rowOf(index);
    if (!result.ok) {
      report.rejected_rows += 1;
      for (const issue of result.issues) {
        const otherRow = issue.other_index === undefined ? undefined : rowOf(issue.other_index);
        report.rejected.push({
          row,
          ...place(row, issue.field),
          code: issue.code,
          message: otherRow === undefined ? issue.message : `is repeated from row ${otherRow}`,
        });
        if (issue.household_id !== undefined || otherRow !== undefined || issue.outside_scope) {
          report.duplicates.push({
            row,
            ...(issue.household_id !== undefined
              ? { existing_household_id: issue.household_id }
              : otherRow !== undefined
                ? { other_row: otherRow }
                : { outside_scope: true }),
            reason: issue.field,
          });
        }
      }
      continue;
    }
    report.valid += 1;
    for (const warning of result.warnings) {
      const otherRow = warning.other_index === undefined ? undefined : rowOf(warning.other_index);
      report.warnings.push({
        row,
        ...place(row, warning.field),
        code: warning.code,
        message: otherRow === undefined ? warning.message : `${warning.message} (row ${otherRow})`,
        ...(otherRow !== undefined
          ? { other_row: otherRow }
          : warning.household_id !== undefined
            ? { existing_household_id: warning.household_id }
            : warning.outside_scope
              ? { outside_scope: true }
              : {}),
      });
    }
    const likely = [...result.duplicate_candidates]
      .sort((a, b) => b.score - a.score)
      .slice(0, maxLikelyDuplicatesPerRow);
    for (const hint of likely) {
      report.duplicates.push({
        row,
        ...(hint.other_index !== undefined
          ? { other_row: rowOf(hint.other_index) }
          : { existing_household_id: hint.other_household_id }),
        reason: hint.reason,
        score: hint.score,
      });
    }
  }
  const wouldCommit = options.skipInvalid || report.rejected_rows === 0;
  report.accepted = options.dryRun
    ? wouldCommit
      ? report.valid
      : 0
    : options.committed
      ? report.valid
      : 0;
  return report;
}

/**
 * Imports households from a CSV or XLSX file and answers a row-level report. All or nothing by
 * default: every row is checked first and nothing is written when any is rejected;
 * `skipInvalid` writes the valid rows; `dryRun` checks against the registry and writes no
 * household. A file lacking a required column, unreadable, empty or too long is refused with a
 * ValidationError before any row is checked. One audit event per import records the counts
 * (never a value from the file).
 *
 * Long files never hold the event loop or the database: reading and checking run in slices of
 * a few milliseconds, and the households are written in short transactions (see
 * writeHouseholdImport), so other requests are answered throughout.
 */
export async function importHouseholdFile(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  source: ImportSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const skipInvalid = options.skipInvalid ?? false;
  const pace = slicePacer();
  const parsed = await readImportFile(source, options.onProgress, pace);
  await options.onProgress?.({ phase: 'checking', rows: parsed.inputs.length });

  const plan = await planHouseholds(pacedExecutor(storage.db, pace), actor, parsed.inputs, {
    clock: options.clock,
    pace,
  });
  const refused = !skipInvalid && plan.results.some((result) => !result.ok);
  const committed = !dryRun && !refused;
  const report = await buildReport(parsed, plan.results, { dryRun, skipInvalid, committed }, pace);
  // Refusals and dry runs are recorded too, though nothing else is written.
  const events = [
    importAuditEvent(actor, parsed, report),
    ...outsideScopeEvents(actor, plan.results),
  ];
  if (committed) {
    await writeHouseholdImport(storage, actor, plan.households, {
      clock: options.clock,
      events,
      onWritten: (written) =>
        options.onProgress?.({
          phase: 'writing',
          rows: parsed.inputs.length,
          households: plan.households.length,
          written,
        }),
    });
  } else {
    await writeTransaction(storage, (trx) => appendAuditEvents(trx, events, options.clock));
  }
  await options.onProgress?.({ phase: 'done', rows: parsed.inputs.length });
  return report;
}

/** Households per transaction at first; then sized so that one takes a few milliseconds. */
const firstWriteSlice = 16;
const maxWriteSlice = 2048;
/**
 * A write slice's budget. SQLite: the counter waits for the one connection meanwhile, but every
 * commit has a fixed cost (hot index pages rewritten, the page cache visited), so much shorter
 * slices cost the import several times its speed (measured on a loaded machine: 5 ms slices
 * wrote 3x slower than 20 ms ones). PostgreSQL: a transaction holds no one up and mostly waits
 * on the network (the event loop free), so slices are larger.
 */
const writeSliceMs = { sqlite: 20, postgres: 100 } as const;
/** Households deleted per transaction when an import is undone. */
const undoSlice = 200;
/** The import's slices do not wait for the disk: its commit does, and so covers them. */
const noWaitForDisk = { awaitDurable: false };
/** A writing import whose heartbeat is older than this is taken for abandoned and undone. */
export const abandonedImportMs = 60_000;

/**
 * Writes an import's planned households in short transactions (a few milliseconds each, the
 * event loop getting a turn between them), then commits the import with `events` in one last
 * transaction. Every household carries the import's id until then; if anything fails midway
 * (a national id registered meanwhile, the database going away), what was written is deleted
 * again (undoHouseholdImport) and the error is rethrown, so the file is still all or nothing.
 * Should the process die midway, undoAbandonedImports finishes the job.
 */
export async function writeHouseholdImport(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  households: readonly PlannedHousehold[],
  options: {
    clock: Clock;
    events: AuditEventInput[];
    onWritten?: (written: number) => void | Promise<void>;
  },
): Promise<string> {
  const { clock } = options;
  const importId = newTimeOrderedId(clock().getTime());
  await writeTransaction(storage, (trx) =>
    insertHouseholdImport(trx, {
      id: importId,
      created_by: actor.userId,
      now: clock().toISOString(),
    }),
  );
  try {
    const sizer = new BatchSizer(firstWriteSlice, maxWriteSlice, writeSliceMs[storage.dialect]);
    for (let written = 0; written < households.length;) {
      const slice = households.slice(written, written + sizer.size);
      const elapsedMs = await writeTransaction(
        storage,
        async (trx) => {
          const started = performance.now();
          if (!(await touchHouseholdImport(trx, importId, clock().toISOString()))) {
            throw new Error('the import was undone while it was writing');
          }
          await writePlannedHouseholds(trx, slice, clock, importId);
          return performance.now() - started;
        },
        noWaitForDisk,
      );
      written += slice.length;
      await options.onWritten?.(written);
      sizer.took(slice.length, elapsedMs);
      await backgroundTurn(elapsedMs);
    }
    await writeTransaction(storage, async (trx) => {
      if (!(await finishHouseholdImport(trx, importId, 'committed', clock().toISOString()))) {
        throw new Error('the import was undone while it was writing');
      }
      await appendAuditEvents(trx, options.events, clock);
    });
  } catch (error) {
    // If this fails too, undoAbandonedImports takes over once the heartbeat is old.
    await undoHouseholdImport(storage, importId, actor, clock).catch(() => undefined);
    throw error;
  }
  await joinImportedHouseholds(storage, actor, importId, clock);
  return importId;
}

/**
 * Registered while a cycle is open, a committed import's households join it when eligible (if
 * the programme says so): only after the commit, so that an import undone never leaves
 * entitlements behind, and in short transactions like the writing. Joining is idempotent: if
 * the process dies midway, undoAbandonedImports finishes it.
 */
async function joinImportedHouseholds(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  importId: string,
  clock: Clock,
): Promise<void> {
  const sizer = new BatchSizer(firstWriteSlice, maxWriteSlice, writeSliceMs[storage.dialect]);
  let after: string | null = null;
  for (;;) {
    const cursor: string | null = after;
    const step = await writeTransaction(
      storage,
      async (trx) => {
        const started = performance.now();
        const ids = await nextImportedHouseholds(
          trx,
          importId,
          cursor,
          sizer.size,
          clock().toISOString(),
        );
        await joinOpenCycles(trx, actor, ids, clock);
        return { ids, elapsedMs: performance.now() - started };
      },
      noWaitForDisk,
    );
    if (step.ids.length === 0) break;
    sizer.took(step.ids.length, step.elapsedMs);
    after = step.ids.at(-1) ?? null;
    await backgroundTurn(step.elapsedMs);
  }
  await writeTransaction(storage, (trx) =>
    markHouseholdImportJoined(trx, importId, clock().toISOString()),
  );
}

/**
 * Undoes an import that did not commit: marks it `undoing` (so its writer stops), deletes the
 * households it wrote in short transactions, then marks it `undone` with an audit event naming
 * how many were removed. Safe to run twice, or beside another undo of the same import.
 */
export async function undoHouseholdImport(
  storage: Pick<Storage, 'db' | 'dialect'>,
  importId: string,
  actor: Actor,
  clock: Clock,
): Promise<number> {
  const undoing = await writeTransaction(storage, (trx) =>
    markHouseholdImportUndoing(trx, importId, clock().toISOString()),
  );
  if (!undoing) return 0;
  let removed = 0;
  for (;;) {
    const deleted = await writeTransaction(
      storage,
      (trx) => deleteImportedHouseholds(trx, importId, undoSlice),
      noWaitForDisk,
    );
    if (deleted === 0) break;
    removed += deleted;
    await backgroundTurn();
  }
  await writeTransaction(storage, async (trx) => {
    if (!(await finishHouseholdImport(trx, importId, 'undone', clock().toISOString()))) return;
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'household_import.undo',
          entity: 'household_import',
          entityId: importId,
          fields: [`households:${removed}`],
        },
      ],
      clock,
    );
  });
  return removed;
}

/**
 * Undoes the imports whose process died while writing (no heartbeat for abandonedImportMs) or
 * while undoing, and finishes joining those it died joining; the server runs it at start and
 * every minute. Answers the imports taken over.
 */
export async function undoAbandonedImports(
  storage: Pick<Storage, 'db' | 'dialect'>,
  clock: Clock,
): Promise<number> {
  const before = new Date(clock().getTime() - abandonedImportMs).toISOString();
  const abandoned = await findAbandonedImports(storage.db, before);
  for (const { id, status } of abandoned) {
    if (status === 'committed') await joinImportedHouseholds(storage, systemActor, id, clock);
    else await undoHouseholdImport(storage, id, systemActor, clock);
  }
  return abandoned.length;
}

/**
 * The import's audit event: the columns the file carried, the outcome and the counts. The audit
 * log holds names, not values, so the counts travel as "name:count" entries of `fields`.
 */
function importAuditEvent(actor: Actor, parsed: ParsedFile, report: ImportReport) {
  const outcome = report.dry_run ? 'dry_run' : report.committed ? 'committed' : 'refused';
  return {
    actor,
    action: 'household.import',
    entity: 'household',
    entityId: null,
    fields: [
      ...Object.keys(parsed.positions),
      `outcome:${outcome}`,
      `rows:${report.rows}`,
      `accepted:${report.accepted}`,
      `rejected_rows:${report.rejected_rows}`,
      `duplicates:${report.duplicates.length}`,
    ],
  };
}

// ---- Export ---------------------------------------------------------------------------------

export type HouseholdExportFilter = Pick<HouseholdSearch, 'q' | 'area' | 'tag' | 'status'>;

export interface ExportOptions {
  format: FileFormat;
  /** Add the HXL hashtag row under the header. */
  hxl?: boolean;
  clock: Clock;
}

export interface HouseholdExport {
  stream: Readable;
  mediaType: string;
  filename: string;
}

/** Households per page read (and audit-logged) while the file streams out: a few ms of work. */
const exportPageSize = 200;

function exportCells(household: HouseholdView): string[] {
  const value = (field: ExportField): string => {
    switch (field) {
      case 'tags':
        return (household.tags ?? []).join(';');
      case 'household_size':
        return String(household.household_size);
      default: {
        const raw = (household as Record<string, unknown>)[field];
        return raw === null || raw === undefined ? '' : String(raw);
      }
    }
  };
  return exportFields.map((field) => neutraliseCell(value(field)));
}

/**
 * The households in the actor's scope matching the filter (the same filters as the household
 * list), as a CSV or XLSX stream in the template's columns plus id and status. Bad filters throw
 * ValidationError before anything is streamed; each page is audit-logged as a read of personal
 * data before it is written out. Cells that a spreadsheet would run as formulas are neutralised.
 */
export async function exportHouseholdFile(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  filter: HouseholdExportFilter,
  options: ExportOptions,
): Promise<HouseholdExport> {
  const config = await loadHouseholdConfig(storage.db);
  const search: HouseholdSearch = { ...filter, limit: exportPageSize };
  const first = await searchHouseholds(storage.db, actor, search, config);
  const fields = personalFieldsFor(actor.role, false);

  const pace = slicePacer();
  async function* rows(): AsyncGenerator<string[]> {
    yield [...exportFields];
    if (options.hxl) yield exportFields.map(hxlFor);
    let page = first;
    for (;;) {
      await recordPersonalDataReads(
        storage,
        actor,
        'household',
        page.items.map((item) => item.id),
        fields,
        options.clock,
      );
      for (const item of page.items) {
        yield exportCells(item);
        await pace();
      }
      if (page.next_cursor === null) return;
      page = await searchHouseholds(
        storage.db,
        actor,
        { ...search, cursor: page.next_cursor },
        config,
      );
    }
  }

  const date = options.clock().toISOString().slice(0, 10);
  return {
    stream:
      options.format === 'csv'
        ? csvStream(rows())
        : xlsxStream(rows(), { sheetName: 'households', rightToLeft: true }),
    mediaType: mediaTypes[options.format],
    filename: `households-${date}.${options.format}`,
  };
}

// ---- Template -------------------------------------------------------------------------------

/**
 * The blank import template: the header row is exactly the canonical column names; `hxl` adds
 * the HXL row under it. The XLSX carries each column's Arabic and English hint as a cell note.
 */
export async function householdTemplate(
  format: FileFormat,
  options: { hxl?: boolean } = {},
): Promise<Buffer> {
  const fields: ImportField[] = [...templateFields];
  if (format === 'csv') {
    const lines = csvLine(fields) + (options.hxl ? csvLine(fields.map(hxlFor)) : '');
    return Buffer.from(`\uFEFF${lines}`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('households', { views: [{ rightToLeft: true }] });
  sheet.addRow(fields);
  if (options.hxl) sheet.addRow(fields.map(hxlFor));
  fields.forEach((field, index) => {
    const hint = hintFor(field);
    const cell = sheet.getRow(1).getCell(index + 1);
    cell.note = `${hint.ar}\n${hint.en}`;
    cell.font = { bold: true };
    sheet.getColumn(index + 1).width = Math.max(14, field.length + 2);
  });
  // Text format keeps leading zeros of national ids and phones as typed.
  for (const field of ['card_number', 'national_id', 'phone', 'area_pcode'] as const) {
    sheet.getColumn(fields.indexOf(field) + 1).numFmt = '@';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
