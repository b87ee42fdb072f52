/**
 * Areas files: CSV with a header row or a JSON array of objects, parsed and checked row by
 * row (format, ranges, duplicates) into areas with the row a person sees; the tree is checked
 * against the database by the service (areas.service.ts).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { cleanText } from '../../domain/text/clean.js';
import { ValidationError, type FieldIssue } from '../../shared/errors.js';
import {
  areaLevels,
  areaNameMaxLength,
  communityKinds,
  pcodeMaxLength,
  pcodePattern,
  type AreaRow,
  type CommunityKind,
} from './areas.schema.js';

/**
 * The columns an import file may have. A CSV header must name the first five; the centroid
 * columns may be left out, and `kind` is only for communities.
 */
export const importColumns = [
  'pcode',
  'parent_pcode',
  'level',
  'name_ar',
  'name_en',
  'latitude',
  'longitude',
  'kind',
] as const;
const requiredColumns = ['pcode', 'parent_pcode', 'level', 'name_ar', 'name_en'] as const;

/** An import stops listing problems after this many; the file must be fixed and re-run anyway. */
const maxReportedIssues = 100;

/**
 * Parses an areas file (CSV with a header row, or a JSON array of objects) into rows.
 * Row numbers in issues are what a person sees: in a CSV the header is row 1, so the first
 * area is row 2; in JSON the first element is row 1. Throws ValidationError listing every
 * problem found (up to 100), each with a path like 'row 7, column parent_pcode'.
 */
export function parseAreaFile(text: string, format: 'csv' | 'json'): NumberedAreaRow[] {
  return format === 'csv' ? parseAreaCsv(text) : parseAreaJson(text);
}

export interface NumberedAreaRow {
  row: number;
  area: AreaRow;
}

function parseAreaCsv(text: string): NumberedAreaRow[] {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    // csv-parse counts the records it finished; the bad one is the next (the header is row 1).
    const finished = (error as { records?: unknown }).records;
    throw new ValidationError(
      [
        {
          path: typeof finished === 'number' ? `row ${finished + 1}` : 'file',
          message: `is not valid CSV: ${(error as Error).message}`,
        },
      ],
      'The areas file is not valid CSV. Nothing was imported.',
    );
  }
  const [header, ...body] = records;
  if (!header) {
    throw new ValidationError([{ path: 'file', message: 'is empty' }], 'The areas file is empty.');
  }
  checkColumns(header, 1);
  const issues: FieldIssue[] = [];
  const rows = body.map((record, index) => {
    const object: Record<string, string> = {};
    header.forEach((column, position) => {
      object[column] = record[position] ?? '';
    });
    return { row: index + 2, values: object };
  });
  return validateRows(rows, issues);
}

function parseAreaJson(text: string): NumberedAreaRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ValidationError(
      [{ path: 'file', message: 'is not valid JSON' }],
      'The areas file is not valid JSON. Nothing was imported.',
    );
  }
  if (!Array.isArray(parsed)) {
    throw new ValidationError([{ path: 'file', message: 'must be a JSON array of areas' }]);
  }
  const issues: FieldIssue[] = [];
  const rows: { row: number; values: Record<string, unknown> }[] = [];
  parsed.forEach((element: unknown, index) => {
    const row = index + 1;
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      issues.push({ path: `row ${row}`, message: 'must be an object' });
      return;
    }
    const values = element as Record<string, unknown>;
    for (const key of Object.keys(values)) {
      if (!(importColumns as readonly string[]).includes(key)) {
        issues.push({ path: `row ${row}, column ${key}`, message: 'is not a known column' });
      }
    }
    rows.push({ row, values });
  });
  return validateRows(rows, issues);
}

function checkColumns(header: string[], row: number): void {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (!(importColumns as readonly string[]).includes(column)) {
      issues.push({ path: `row ${row}, column ${column}`, message: 'is not a known column' });
    } else if (seen.has(column)) {
      issues.push({ path: `row ${row}, column ${column}`, message: 'appears twice' });
    }
    seen.add(column);
  }
  for (const column of requiredColumns) {
    if (!seen.has(column))
      issues.push({ path: `row ${row}, column ${column}`, message: 'is missing' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The areas file has invalid columns.');
}

const pcodeRegExp = new RegExp(pcodePattern);
const decimalPattern = /^[-+]?\d+(\.\d+)?$/;

/** Checks each row on its own (format, ranges, duplicates); the tree is checked against the database later. */
export function validateRows(
  rows: { row: number; values: Record<string, unknown> }[],
  issues: FieldIssue[],
): NumberedAreaRow[] {
  const valid: NumberedAreaRow[] = [];
  const firstRowByPcode = new Map<string, number>();
  for (const { row, values } of rows) {
    const before = issues.length;
    const at = (column: string): string => `row ${row}, column ${column}`;
    const text = (column: string): string | null => {
      const value = values[column];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string') {
        issues.push({ path: at(column), message: 'must be text' });
        return null;
      }
      const cleaned = cleanText(value);
      if (!cleaned.ok) {
        issues.push({ path: at(column), message: cleaned.message });
        return null;
      }
      const trimmed = cleaned.value.trim();
      return trimmed === '' ? null : trimmed;
    };
    const pcode = text('pcode');
    if (pcode === null) {
      issues.push({ path: at('pcode'), message: 'is required' });
    } else if (!pcodeRegExp.test(pcode)) {
      issues.push({
        path: at('pcode'),
        message: `must be capital letters, digits, '-' or '_' (at most ${pcodeMaxLength})`,
      });
    } else if (firstRowByPcode.has(pcode)) {
      issues.push({
        path: at('pcode'),
        message: `repeats the p-code of row ${firstRowByPcode.get(pcode)}`,
      });
    } else {
      firstRowByPcode.set(pcode, row);
    }
    const levelText = text('level');
    const level = areaLevels.find((candidate) => candidate === levelText);
    if (!level)
      issues.push({ path: at('level'), message: `must be one of ${areaLevels.join(', ')}` });
    const parentPcode = text('parent_pcode');
    if (level === 'governorate' && parentPcode !== null) {
      issues.push({ path: at('parent_pcode'), message: 'must be empty for a governorate' });
    } else if (level && level !== 'governorate' && parentPcode === null) {
      issues.push({ path: at('parent_pcode'), message: `is required for a ${level}` });
    } else if (parentPcode !== null && !pcodeRegExp.test(parentPcode)) {
      issues.push({ path: at('parent_pcode'), message: 'is not a valid p-code' });
    }
    const names: Record<'name_ar' | 'name_en', string> = { name_ar: '', name_en: '' };
    for (const column of ['name_ar', 'name_en'] as const) {
      const name = text(column);
      if (name === null) issues.push({ path: at(column), message: 'is required' });
      else if (name.length > areaNameMaxLength)
        issues.push({
          path: at(column),
          message: `is longer than ${areaNameMaxLength} characters`,
        });
      else names[column] = name;
    }
    /** null when empty, undefined when invalid (already reported). */
    const coordinate = (
      column: 'latitude' | 'longitude',
      limit: number,
    ): number | null | undefined => {
      const value = values[column];
      if (value === undefined || value === null || value === '') return null;
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && decimalPattern.test(value.trim())
            ? Number(value)
            : NaN;
      if (!Number.isFinite(number) || Math.abs(number) > limit) {
        issues.push({ path: at(column), message: `must be a number from -${limit} to ${limit}` });
        return undefined;
      }
      return number;
    };
    const latitude = coordinate('latitude', 90);
    const longitude = coordinate('longitude', 180);
    if (
      latitude !== undefined &&
      longitude !== undefined &&
      (latitude === null) !== (longitude === null)
    ) {
      issues.push({
        path: at(latitude === null ? 'latitude' : 'longitude'),
        message: 'latitude and longitude are given together or not at all',
      });
    }
    const kindText = text('kind');
    let kind: CommunityKind | null = null;
    if (kindText !== null) {
      const found = communityKinds.find((candidate) => candidate === kindText);
      if (level !== 'community') {
        issues.push({ path: at('kind'), message: 'is only for communities' });
      } else if (!found) {
        issues.push({ path: at('kind'), message: `must be one of ${communityKinds.join(', ')}` });
      } else {
        kind = found;
      }
    }
    if (issues.length === before && pcode !== null && level) {
      valid.push({
        row,
        area: {
          pcode,
          parent_pcode: parentPcode,
          level,
          name_ar: names.name_ar,
          name_en: names.name_en,
          latitude: latitude ?? null,
          longitude: longitude ?? null,
          kind,
        },
      });
    }
  }
  if (issues.length > 0) throw tooManyIssues(issues);
  return valid;
}

export function tooManyIssues(issues: FieldIssue[]): ValidationError {
  const message =
    issues.length > maxReportedIssues
      ? `The areas file has ${issues.length} problems; the first ${maxReportedIssues} are listed. Nothing was imported.`
      : `The areas file has ${issues.length} problem${issues.length === 1 ? '' : 's'}. Nothing was imported.`;
  return new ValidationError(issues.slice(0, maxReportedIssues), message);
}
