/**
 * Database errors both dialects raise in their own words, read once: a unique (or primary key)
 * violation names its table and columns on SQLite ("UNIQUE constraint failed: t.a, t.b") and on
 * PostgreSQL (23505, with `table` and a detail "Key (a, b)=(...) already exists."). The values
 * in PostgreSQL's detail are never kept: they can be personal data.
 */

export interface UniqueViolation {
  table: string | null;
  columns: string[];
}

const sqliteUniqueCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** The table and columns of a unique violation, or null when the error is not one. */
export function uniqueViolationOf(error: unknown): UniqueViolation | null {
  if (error === null || typeof error !== 'object') return null;
  const { code, message, table, detail } = error as Record<string, unknown>;
  if (typeof code === 'string' && sqliteUniqueCodes.has(code)) {
    const named = /constraint failed: (.+)$/u.exec(typeof message === 'string' ? message : '');
    const qualified = (named?.[1] ?? '').split(',').map((part) => part.trim().split('.'));
    const tables = new Set(qualified.filter((part) => part.length === 2).map((part) => part[0]));
    return {
      table: tables.size === 1 ? ([...tables][0] as string) : null,
      columns: qualified.filter((part) => part.length === 2).map((part) => part[1] as string),
    };
  }
  if (code === '23505') {
    const key = /^Key \((.+?)\)=/u.exec(typeof detail === 'string' ? detail : '');
    return {
      table: typeof table === 'string' ? table : null,
      columns: key?.[1] ? key[1].split(',').map((column) => column.trim()) : [],
    };
  }
  return null;
}

/** True for a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolationOf(error) !== null;
}
