/**
 * The first record of a CSV file (its header), read and rewritten in the browser so that
 * the import wizard can map columns before upload. Only the header is touched: the rows go
 * to the server as they were (the server parses them).
 */
import { detectDelimiter } from '../../../src/shared/csv.js';

export interface CsvHeader {
  cells: string[];
  delimiter: string;
  /** Index in the text where the rows begin (after the header's line break). */
  end: number;
}

/** Parses the header record (RFC 4180 quoting); a leading byte-order mark is skipped. */
export function readCsvHeader(text: string): CsvHeader {
  const start = text.startsWith('\uFEFF') ? 1 : 0;
  const delimiter = detectDelimiter(text.slice(start, start + 64 * 1024));
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let index = start;
  for (; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (character === '\r' || character === '\n') {
      index += character === '\r' && text[index + 1] === '\n' ? 2 : 1;
      break;
    } else cell += character;
  }
  cells.push(cell);
  return {
    cells: cells.map((value) => value.trim()),
    delimiter,
    end: Math.min(index, text.length),
  };
}

function quote(cell: string, delimiter: string): string {
  return /["\r\n]/u.test(cell) || cell.includes(delimiter)
    ? `"${cell.replace(/"/gu, '""')}"`
    : cell;
}

/** The same file with its header replaced by `cells`. */
export function replaceCsvHeader(
  text: string,
  header: CsvHeader,
  cells: readonly string[],
): string {
  return `${cells.map((cell) => quote(cell, header.delimiter)).join(header.delimiter)}\r\n${text.slice(header.end)}`;
}

/** Decodes a file as UTF-8, or as Windows-1256 (Arabic Excel's "CSV") when it is not UTF-8. */
export function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1256').decode(bytes);
  }
}
