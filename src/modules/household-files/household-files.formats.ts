/**
 * Reading and writing spreadsheet rows, streamed: CSV through csv-parse (UTF-8, or Windows-1256
 * as Arabic Excel saves "CSV"; comma, semicolon or tab as found in the header line) and XLSX
 * through exceljs' streaming reader and writer (first worksheet only). Rows carry the number a
 * spreadsheet shows, so reports point at the row a person sees.
 */
import { PassThrough, Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { detectDelimiter } from '../../shared/csv.js';
import { ValidationError } from '../../shared/errors.js';

export const fileFormats = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof fileFormats)[number];

export const mediaTypes: Record<FileFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A spreadsheet row: its number as the spreadsheet shows it (from 1) and its cells from column A. */
export interface SheetRow {
  number: number;
  cells: unknown[];
}

/** Bytes of the source consumed so far, for progress. */
export type BytesRead = (bytes: number) => void;

const sliceBytes = 64 * 1024;

/** The source as chunks (a Buffer is cut into slices so progress and the event loop keep moving). */
async function* chunksOf(source: Buffer | AsyncIterable<Buffer | string>, onBytes?: BytesRead) {
  let total = 0;
  if (Buffer.isBuffer(source)) {
    for (let start = 0; start < source.length; start += sliceBytes) {
      const chunk = source.subarray(start, start + sliceBytes);
      total += chunk.length;
      onBytes?.(total);
      yield chunk;
    }
    return;
  }
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    total += chunk.length;
    onBytes?.(total);
    yield chunk;
  }
}

function unreadable(format: FileFormat, detail: string): ValidationError {
  return new ValidationError(
    [{ path: '/body', message: detail }],
    `The file is not a readable ${format.toUpperCase()} file.`,
  );
}

/** True when the bytes are valid UTF-8, allowing a sequence cut at the end. */
function isUtf8Start(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Decodes the text: UTF-8 when the start is UTF-8, else Windows-1256 (Arabic Excel's "CSV"). */
async function* decodeText(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let encoding = 'utf-8';
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  const decode = (bytes: Buffer, stream: boolean): string => {
    try {
      return (decoder as TextDecoder).decode(bytes, { stream });
    } catch {
      throw unreadable('csv', 'is not valid UTF-8 text; save it as "CSV UTF-8"');
    }
  };
  for await (const chunk of chunks) {
    if (decoder === undefined) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < sliceBytes) continue;
      const head = Buffer.concat(pending);
      if (!isUtf8Start(head)) encoding = 'windows-1256';
      decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
      yield decode(head, true);
      continue;
    }
    yield decode(chunk, true);
  }
  if (decoder === undefined) {
    const head = Buffer.concat(pending);
    if (!isUtf8Start(head)) encoding = 'windows-1256';
    decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
    yield decode(head, false);
    return;
  }
  yield decode(Buffer.alloc(0), false);
}

async function* readCsvRows(
  source: Buffer | AsyncIterable<Buffer | string>,
  onBytes?: BytesRead,
): AsyncGenerator<SheetRow> {
  const text = decodeText(chunksOf(source, onBytes));
  const first = await text.next();
  if (first.done) return;
  const delimiter = detectDelimiter(first.value.slice(0, 64 * 1024));
  async function* rest(): AsyncGenerator<string> {
    yield first.value as string;
    yield* text;
  }
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // A record (row) past this is no household: refused rather than held in memory.
    max_record_size: 4 * 1024 * 1024,
  });
  // pipe() does not pass errors on: a decoding error must end the parse, not leave it waiting.
  Readable.from(rest())
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  let number = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      number += 1;
      if (number > maxSheetRows) throw tooLarge('csv', `it has more than ${maxSheetRows} rows`);
      yield { number, cells: record };
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    // csv-parse names the line in its message; the text itself is never echoed.
    const code = (error as { code?: unknown }).code;
    throw unreadable('csv', `cannot be parsed after row ${number} (${String(code ?? 'error')})`);
  }
}

/** A cell's value as validation reads it: text, a number, or null when empty. */
export function xlsxCellValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    const cell = value as Record<string, unknown>;
    if (Array.isArray(cell.richText)) {
      return (cell.richText as { text?: unknown }[])
        .map((part) => String(part.text ?? ''))
        .join('');
    }
    // A formula is read as the result the spreadsheet saved with it, never evaluated.
    if ('formula' in cell || 'sharedFormula' in cell) return xlsxCellValue(cell.result);
    if (typeof cell.text === 'string') return cell.text;
    if (typeof cell.error === 'string') return cell.error;
  }
  return null;
}

/**
 * What an XLSX may unpack to. A zip entry of a few hundred KB can inflate to gigabytes (a
 * decompression bomb); exceljs' reader would inflate it whole and build its cells in memory.
 */
export const xlsxLimits = {
  /** The file itself, when it arrives as a stream (the HTTP body has its own limit). */
  fileBytes: 100 * 2 ** 20,
  /** Every entry inflated, together: a 200,000-row sheet of the template is well under it. */
  inflatedBytes: 256 * 2 ** 20,
  /** Shared strings are kept in memory while the sheet is read. */
  sharedStringsBytes: 64 * 2 ** 20,
  entries: 1000,
  /** Excel's own cell limit is 32,767 characters (at most 4 bytes each in UTF-8). */
  cellCharacters: 32_767,
  /** The template has a dozen columns; a file may carry a few unknown ones beside them. */
  columns: 200,
} as const;

/** Rows of any sheet read, blank ones included (more than an import may hold, with slack). */
export const maxSheetRows = 250_000;

function tooLarge(format: FileFormat, detail: string): ValidationError {
  return new ValidationError(
    [{ path: '/body', message: detail }],
    `The ${format.toUpperCase()} file is too large to read: ${detail}; split it.`,
  );
}

/**
 * Inflates every entry of the XLSX as exceljs' reader will (the same streaming unzip), keeping
 * none of it: counts the bytes and the longest run of text without markup (a cell, or an
 * attribute), and throws a ValidationError as soon as one passes its limit. Runs on zlib's
 * thread pool chunk by chunk, so a bomb costs at most the limits' worth of work.
 */
async function checkXlsxBounds(bytes: Buffer): Promise<void> {
  const zip = unzipper.Parse({ forceStream: true });
  const input = Readable.from(chunksOf(bytes));
  input.on('error', (error) => zip.destroy(error));
  input.pipe(zip);
  const maxRun = xlsxLimits.cellCharacters * 4;
  let total = 0;
  let entries = 0;
  try {
    for await (const entry of zip) {
      entries += 1;
      if (entries > xlsxLimits.entries) {
        throw tooLarge('xlsx', `it holds more than ${xlsxLimits.entries} parts`);
      }
      let entryBytes = 0;
      let run = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        total += chunk.length;
        entryBytes += chunk.length;
        if (total > xlsxLimits.inflatedBytes) {
          throw tooLarge(
            'xlsx',
            `it unpacks to more than ${xlsxLimits.inflatedBytes / 2 ** 20} MiB`,
          );
        }
        if (entry.path === 'xl/sharedStrings.xml' && entryBytes > xlsxLimits.sharedStringsBytes) {
          throw tooLarge(
            'xlsx',
            `its shared strings unpack to more than ${xlsxLimits.sharedStringsBytes / 2 ** 20} MiB`,
          );
        }
        for (let index = 0; index < chunk.length; index += 1) {
          // '<' and '>' end a run; anything else extends it.
          const byte = chunk[index];
          if (byte === 0x3c || byte === 0x3e) run = 0;
          else if (++run > maxRun) {
            throw tooLarge(
              'xlsx',
              `a cell holds more than ${xlsxLimits.cellCharacters} characters`,
            );
          }
        }
      }
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw unreadable('xlsx', 'is not a readable XLSX workbook');
  } finally {
    input.destroy();
    zip.destroy();
  }
}

/** The whole source as one Buffer, refusing more than `limit` bytes. */
async function bufferOf(
  source: Buffer | AsyncIterable<Buffer | string>,
  limit: number,
  onBytes?: BytesRead,
): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunksOf(source, onBytes)) {
    total += chunk.length;
    if (total > limit) throw tooLarge('xlsx', `it is larger than ${limit / 2 ** 20} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function* readXlsxRows(
  source: Buffer | AsyncIterable<Buffer | string>,
  onBytes?: BytesRead,
): AsyncGenerator<SheetRow> {
  // A zip is read twice (bounded first, then by exceljs), so it is held as the bytes it came as.
  const bytes = await bufferOf(source, xlsxLimits.fileBytes);
  await checkXlsxBounds(bytes);
  const input = Readable.from(chunksOf(bytes, onBytes));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  let rows = 0;
  try {
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        rows += 1;
        if (rows > maxSheetRows) throw tooLarge('xlsx', `it has more than ${maxSheetRows} rows`);
        const cells: unknown[] = [];
        let refused: ValidationError | undefined;
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          if (refused) return;
          if (column > xlsxLimits.columns) {
            refused = tooLarge(
              'xlsx',
              `row ${row.number} has cells past column ${xlsxLimits.columns}`,
            );
            return;
          }
          const value = xlsxCellValue(cell.value);
          if (typeof value === 'string' && value.length > xlsxLimits.cellCharacters) {
            refused = tooLarge(
              'xlsx',
              `a cell holds more than ${xlsxLimits.cellCharacters} characters`,
            );
            return;
          }
          cells[column - 1] = value;
        });
        if (refused) throw refused;
        yield { number: row.number, cells: Array.from(cells, (cell) => cell ?? null) };
      }
      // Only the first worksheet holds households.
      break;
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw unreadable('xlsx', 'is not a readable XLSX workbook');
  } finally {
    input.destroy();
  }
}

/**
 * The rows of a CSV or XLSX source in order (spreadsheet numbering; an XLSX skips rows that
 * were never written); throws ValidationError when the bytes are not such a file.
 */
export function readSheetRows(
  source: Buffer | AsyncIterable<Buffer | string>,
  format: FileFormat,
  onBytes?: BytesRead,
): AsyncGenerator<SheetRow> {
  return format === 'csv' ? readCsvRows(source, onBytes) : readXlsxRows(source, onBytes);
}

/**
 * One CSV record, CRLF-ended, every field quoted and its quotes doubled (RFC 4180, and OWASP's
 * CSV injection guidance: a spreadsheet then reads each field whole, as text).
 */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')}\r\n`;
}

/** A UTF-8 CSV stream of the rows, with a byte-order mark so Excel reads the Arabic right. */
export function csvStream(rows: AsyncIterable<readonly string[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield '\uFEFF';
    let batch = '';
    for await (const row of rows) {
      batch += csvLine(row);
      if (batch.length >= sliceBytes) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * An XLSX stream of the rows (one worksheet, written as rows arrive; every cell is text, so
 * nothing is ever a formula). A failure while producing rows destroys the stream with it.
 */
export function xlsxStream(
  rows: AsyncIterable<readonly string[]>,
  options: { sheetName: string; rightToLeft?: boolean },
): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName, {
    views: [{ rightToLeft: options.rightToLeft ?? false }],
  });
  void (async () => {
    try {
      for await (const row of rows) sheet.addRow([...row]).commit();
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      output.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return output;
}
