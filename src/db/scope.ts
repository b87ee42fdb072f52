/**
 * The ONE scope filter. Every query of scoped data (households, service points, stock at
 * places, runs...) narrows its rows to the actor's scope through these functions, so the
 * rule lives in one place:
 *
 *   a row is in scope when the actor's scope is `all`, or when the row's area lies at or
 *   beneath one of the scope's area paths (`areas.path` is '/SY06/SY0600/SY060000/', so
 *   "this area and everything under it" is a prefix match on the stored path).
 *
 * Usage:
 *   whereAreaInScope(db.selectFrom('service_points').selectAll(), actor.scope, 'service_points.area_pcode')
 *   await assertAreaInScope(db, actor.scope, household.area_pcode, 'household')   // 404 when outside
 *
 * A scope of kind `areas` with no paths sees nothing. Out-of-scope rows are answered as
 * not found (404) so that their existence does not leak.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { areaInScope, type Scope } from '../domain/actor.js';
import { NotFoundError } from '../shared/errors.js';
import type { Executor } from './transaction.js';

/** Escapes LIKE metacharacters so that `value` matches literally (with ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * A boolean SQL expression: the area p-code in `areaPcodeColumn` (e.g. 'households.area_pcode')
 * lies inside the scope. Always true for `all`, always false for an empty scope.
 * Each path is matched with an escaped LIKE prefix (index-friendly) and an exact `substr`
 * comparison, because SQLite's LIKE ignores ASCII case.
 */
export function areaInScopeExpression(scope: Scope, areaPcodeColumn: string): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`1 = 1`;
  const paths = minimalPaths(scope.paths);
  if (paths.length === 0) return sql<SqlBool>`1 = 0`;
  const conditions = paths.map(
    (path) =>
      sql`(scope_areas.path like ${`${escapeLike(path)}%`} escape '\\' and substr(scope_areas.path, 1, ${path.length}) = ${path})`,
  );
  return sql<SqlBool>`${sql.ref(areaPcodeColumn)} in (select scope_areas.pcode from areas as scope_areas where ${sql.join(conditions, sql` or `)})`;
}

/** Anything with a `where(expression)` method: select, update and delete query builders. */
interface Filterable<Q> {
  where(expression: Expression<SqlBool>): Q;
}

/**
 * Narrows a query to rows whose area (the p-code in `areaPcodeColumn`) is inside the scope.
 * Returns the query unchanged for scope `all`.
 */
export function whereAreaInScope<Q extends Filterable<Q>>(
  query: Q,
  scope: Scope,
  areaPcodeColumn: string,
): Q {
  if (scope.kind === 'all') return query;
  return query.where(areaInScopeExpression(scope, areaPcodeColumn));
}

/**
 * Resolves when the area with this p-code exists and lies inside the scope; otherwise throws
 * NotFoundError(entity), the same answer as for something that does not exist.
 */
export async function assertAreaInScope(
  db: Executor,
  scope: Scope,
  pcode: string,
  entity = 'area',
): Promise<void> {
  const area = await db
    .selectFrom('areas')
    .select('path')
    .where('pcode', '=', pcode)
    .executeTakeFirst();
  if (!area || !areaInScope(scope, area.path)) throw new NotFoundError(entity);
}

/** Sorted, de-duplicated paths with those beneath another path dropped (they add nothing). */
export function minimalPaths(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const kept: string[] = [];
  for (const path of sorted) {
    if (!kept.some((ancestor) => path.startsWith(ancestor))) kept.push(path);
  }
  return kept;
}
